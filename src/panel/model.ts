/**
 * The panel's state: the form, the notebook it is bound to, and the server's
 * answers. Widgets render it; commands and the form change it.
 */
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { VDomModel } from '@jupyterlab/ui-components';
import {
  checkSecret,
  describeApplication,
  describeCheck,
  describeCluster,
  getIdentity,
  IApplicationDetail,
  IClusterDetail,
  IIdentity,
  ISecretCheck
} from '../api';
import { authTypeInfo, panelAuthFromDetected } from '../core/auth';
import {
  CELL_METADATA_KEY,
  ConnectTarget,
  connectErrors,
  EMPTY_CONNECT_STATE,
  FieldErrors,
  IConnectOptions,
  IConnectState
} from '../core/connectCell';
import {
  connectEnvVars,
  EnvMap,
  getenvFallbacks,
  mergeEnv
} from '../core/envVars';
import { KernelFamily, kernelFamily } from '../core/kernel';
import {
  EMPTY_REDSHIFT_STATE,
  IRedshiftState,
  RedshiftErrors,
  redshiftErrors
} from '../core/redshiftCell';
import { checksFor, NotebookChecks } from '../checks';
import { IServerStatus, requestAPI } from '../request';
import { IPanelDefaults, readDefaults } from '../settings';

export interface INotebookInfo {
  path: string;
  name: string;
  kernelName: string;
  kernelDisplayName: string;
  family: KernelFamily;
}

export interface IMessage {
  kind: 'info' | 'success' | 'warning' | 'error';
  text: string;
}

/** The panel's collapsible sections a command can open. */
export type PanelSection =
  'redshift' | 'policies' | 'checks' | 'runs' | 'network';

/** A form field a command asks the panel to show and focus. */
export interface IReveal {
  target: 'secret' | 'clusters';
  /** Counts requests, so asking twice for the same field shows it again. */
  serial: number;
}

/** Policy inputs that only the policies section asks for. */
export interface IPolicyExtras {
  roleArn: string;
  region: string;
  kmsKeyArn: string;
  dbUser: string;
  workgroupArn: string;
}

export class PanelModel extends VDomModel {
  constructor(
    readonly tracker: INotebookTracker,
    private _settings: ISettingRegistry.ISettings | null
  ) {
    super();
    this._defaults = readDefaults(_settings);
    this._options = this._defaults.options;
    this._state = {
      ...EMPTY_CONNECT_STATE,
      verifyCertificate: this._defaults.verifyCertificate
    };
    _settings?.changed.connect(this._onSettingsChanged, this);
    tracker.currentChanged.connect(this._onNotebookChanged, this);
    this._onNotebookChanged();
  }

  get state(): IConnectState {
    return this._state;
  }

  get options(): IConnectOptions {
    return this._options;
  }

  get defaults(): IPanelDefaults {
    return this._defaults;
  }

  get errors(): FieldErrors {
    return connectErrors(this._state, this._options);
  }

  get isValid(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  get envVars(): EnvMap {
    return connectEnvVars(this._state, this._options);
  }

  /**
   * What a job of the active notebook needs: the connect variables, plus
   * those its Redshift cells read (taken from the cells, so cells written in
   * an earlier session count too).
   */
  get jobEnvVars(): EnvMap {
    const cells = this.notebookPanel?.content.model?.sharedModel.cells ?? [];
    const redshift = cells
      .filter(c => {
        const meta = c.getMetadata(CELL_METADATA_KEY) as
          { part?: string } | undefined;
        return meta?.part === 'redshift-local';
      })
      .map(c => getenvFallbacks(c.getSource()));
    return mergeEnv(...redshift, this.envVars);
  }

  get needsSecret(): boolean {
    return authTypeInfo(this._state.authType).needsSecret;
  }

  get notebook(): INotebookInfo | null {
    return this._notebook;
  }

  get notebookPanel(): NotebookPanel | null {
    return this.tracker.currentWidget;
  }

  get serverStatus(): IServerStatus | null {
    return this._serverStatus;
  }

  get message(): IMessage | null {
    return this._message;
  }

  get cluster(): IClusterDetail | null {
    return this._cluster?.id === this._state.clusterId ? this._cluster : null;
  }

  get application(): IApplicationDetail | null {
    return this._application?.id === this._state.applicationId
      ? this._application
      : null;
  }

  get secretCheck(): ISecretCheck | null {
    return this._secretCheck?.secretId === this._state.secretId
      ? this._secretCheck
      : null;
  }

  /** The readiness checks of the active notebook. */
  get checks(): NotebookChecks | null {
    return this._checks;
  }

  get busy(): string | null {
    return this._busy;
  }

  get redshift(): IRedshiftState {
    return this._redshift;
  }

  get redshiftErrors(): RedshiftErrors {
    return redshiftErrors(this._redshift);
  }

  updateRedshift(patch: Partial<IRedshiftState>): void {
    this._redshift = { ...this._redshift, ...patch };
    this.stateChanged.emit();
  }

  get identity(): IIdentity | null {
    return this._identity;
  }

  get identityError(): string | null {
    return this._identityError;
  }

  /** Asks the server who it runs as (for the policies). */
  async loadIdentity(): Promise<void> {
    try {
      this._identity = await getIdentity();
      this._identityError = null;
    } catch (error) {
      this._identityError = (error as Error).message;
    }
    this.stateChanged.emit();
  }

  get policyExtras(): IPolicyExtras {
    return this._policyExtras;
  }

  updatePolicyExtras(patch: Partial<IPolicyExtras>): void {
    this._policyExtras = { ...this._policyExtras, ...patch };
    this.stateChanged.emit();
  }

  /** The field a command last asked the panel to show and focus. */
  get reveal(): IReveal | null {
    return this._reveal;
  }

  revealField(target: IReveal['target']): void {
    // Both fields are a cluster's.
    this.setTarget('cluster');
    this._reveal = { target, serial: (this._reveal?.serial ?? 0) + 1 };
    this.stateChanged.emit();
  }

  /** Sections the user (or a command) opened. */
  isOpen(section: PanelSection): boolean {
    return this._open.has(section);
  }

  setOpen(section: PanelSection, open: boolean): void {
    if (open === this._open.has(section)) {
      return;
    }
    if (open) {
      this._open.add(section);
    } else {
      this._open.delete(section);
    }
    this.stateChanged.emit();
  }

  /**
   * Switches between a cluster and a serverless application. The other
   * target's values stay for switching back; the execution role, which both
   * targets have with different meanings, is remembered per target.
   */
  setTarget(target: ConnectTarget): void {
    const from = this._state.target;
    if (target === from) {
      return;
    }
    this._roles[from] = this._state.executionRoleArn;
    this.update({ target, executionRoleArn: this._roles[target] });
  }

  update(patch: Partial<IConnectState>): void {
    this._state = { ...this._state, ...patch };
    this.stateChanged.emit();
  }

  /** Fills the cluster id, then the auth type the server detects on it. */
  async chooseCluster(id: string): Promise<void> {
    this.update({ clusterId: id });
    await this._whileBusy('Reading the cluster…', async () => {
      const detail = await describeCluster(id);
      this._cluster = detail;
      const auth = panelAuthFromDetected(detail.authType);
      if (auth && this._state.clusterId === id) {
        this.update({ authType: auth });
      }
      this.setMessage(null);
    });
  }

  /** Fills the application id, then reads what a run would meet there. */
  async chooseApplication(id: string): Promise<void> {
    this.update({ applicationId: id });
    await this._whileBusy('Reading the application…', async () => {
      this._application = await describeApplication(id);
      this.setMessage(null);
    });
  }

  /** Asks the server what it can tell about the secret (never its value). */
  async checkSecret(): Promise<ISecretCheck | null> {
    const secretId = this._state.secretId;
    return this._whileBusy('Checking the secret…', async () => {
      const result = await checkSecret(secretId);
      this._secretCheck = result;
      this.setMessage({
        kind: result.problem ? 'warning' : 'success',
        text: describeCheck(result)
      });
      return result;
    });
  }

  /**
   * Runs `task` with `busy` shown under the form; what it throws becomes the
   * panel's error message, and the result null.
   */
  private async _whileBusy<T>(
    busy: string,
    task: () => Promise<T>
  ): Promise<T | null> {
    this._busy = busy;
    this.stateChanged.emit();
    try {
      return await task();
    } catch (error) {
      this.setMessage({ kind: 'error', text: (error as Error).message });
      return null;
    } finally {
      this._busy = null;
      this.stateChanged.emit();
    }
  }

  updateOptions(patch: Partial<IConnectOptions>): void {
    this._options = { ...this._options, ...patch };
    this.stateChanged.emit();
  }

  setMessage(message: IMessage | null): void {
    this._message = message;
    this.stateChanged.emit();
  }

  async refreshServerStatus(): Promise<void> {
    try {
      this._serverStatus = await requestAPI<IServerStatus>('status');
    } catch (error) {
      this._serverStatus = null;
      this.setMessage({
        kind: 'error',
        text: `The extension's server part did not answer: ${(error as Error).message}`
      });
    }
    this.stateChanged.emit();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._settings?.changed.disconnect(this._onSettingsChanged, this);
    this.tracker.currentChanged.disconnect(this._onNotebookChanged, this);
    this._checks?.changed.disconnect(this._onChecksChanged, this);
    super.dispose();
  }

  private _onSettingsChanged(): void {
    const previous = this._defaults;
    this._defaults = readDefaults(this._settings);
    // Settings replace the defaults, but keep what the user changed here.
    if (this._options === previous.options) {
      this._options = this._defaults.options;
    }
    this.stateChanged.emit();
  }

  private _onChecksChanged(): void {
    this.stateChanged.emit();
  }

  private _onNotebookChanged(): void {
    const panel = this.tracker.currentWidget;
    this._checks?.changed.disconnect(this._onChecksChanged, this);
    this._checks = panel ? checksFor(panel) : null;
    this._checks?.changed.connect(this._onChecksChanged, this);
    this._kernelWatch?.();
    this._kernelWatch = null;
    if (!panel) {
      this._notebook = null;
      this.stateChanged.emit();
      return;
    }
    const read = () => {
      if (panel.isDisposed) {
        return;
      }
      const spec = panel.context.model?.metadata?.kernelspec as
        { name?: string; display_name?: string } | undefined;
      const session = panel.sessionContext;
      const kernelName = session.kernelPreference.name || spec?.name || '';
      const kernelDisplayName =
        session.kernelDisplayName || spec?.display_name || kernelName;
      this._notebook = {
        path: panel.context.path,
        name: panel.context.path.split('/').pop() ?? panel.context.path,
        kernelName: session.session?.kernel?.name ?? kernelName,
        kernelDisplayName,
        family: kernelFamily({
          name: session.session?.kernel?.name ?? kernelName,
          display_name: kernelDisplayName
        })
      };
      this.stateChanged.emit();
    };
    panel.sessionContext.kernelChanged.connect(read);
    panel.context.pathChanged.connect(read);
    panel.sessionContext.ready.then(read).catch(() => undefined);
    this._kernelWatch = () => {
      panel.sessionContext.kernelChanged.disconnect(read);
      panel.context.pathChanged.disconnect(read);
    };
    read();
  }

  private _defaults: IPanelDefaults;
  private _options: IConnectOptions;
  private _state: IConnectState;
  private _notebook: INotebookInfo | null = null;
  private _serverStatus: IServerStatus | null = null;
  private _message: IMessage | null = null;
  private _kernelWatch: (() => void) | null = null;
  private _cluster: IClusterDetail | null = null;
  private _application: IApplicationDetail | null = null;
  private _roles: Record<ConnectTarget, string> = {
    cluster: '',
    serverless: ''
  };
  private _secretCheck: ISecretCheck | null = null;
  private _busy: string | null = null;
  private _redshift: IRedshiftState = EMPTY_REDSHIFT_STATE;
  private _open = new Set<PanelSection>();
  private _reveal: IReveal | null = null;
  private _checks: NotebookChecks | null = null;
  private _identity: IIdentity | null = null;
  private _identityError: string | null = null;
  private _policyExtras: IPolicyExtras = {
    roleArn: '',
    region: '',
    kmsKeyArn: '',
    dbUser: '',
    workgroupArn: ''
  };
}
