/**
 * The Network section's state: the facts of the job's network (read once per
 * cluster or application, when the section opens or Create job asks), the
 * subnets and security groups the user picks (evaluated in the browser, with
 * no new read), and, where jobs run on the Jupyter server's own machine
 * (open-source jupyter-scheduler), the server's probe of the primary node.
 */
import { VDomModel } from '@jupyterlab/ui-components';
import { getNetworkFacts, INetworkTarget, probeClusterNetwork } from '../api';
import type {
  IJobSettings,
  INetworkFacts,
  INetworkProposal,
  INetworkReport,
  IProbe,
  INetworkChoices,
  Verdict
} from '../core/network';
import { networkChoices, probeVerdict } from '../core/network/choices';

/**
 * The evaluator (the largest part of the network check) is fetched with the
 * first facts, in a chunk of its own, not with the panel.
 */
type Evaluator = typeof import('../core/network/evaluate');
let evaluator: Evaluator | null = null;
async function loadEvaluator(): Promise<Evaluator> {
  evaluator ??= await import('../core/network/evaluate');
  return evaluator;
}
import { ApiError } from '../request';
import type { IJobNetwork as ISchedulerNetwork } from '../schedulerForm';

/**
 * Where a scheduled run runs: in SageMaker (its job's VPC settings decide),
 * on this Jupyter server's machine (open-source jupyter-scheduler), or nowhere
 * this server knows of.
 */
export type RunsWhere = 'sagemaker' | 'server' | 'unknown';

export interface INetworkError {
  message: string;
  /** The IAM action a 403 names. */
  action?: string;
}

function errorOf(error: unknown): INetworkError {
  if (error instanceof ApiError) {
    return {
      message: error.message,
      ...(error.status === 403 && error.action ? { action: error.action } : {})
    };
  }
  return { message: (error as Error).message ?? String(error) };
}

function keyOf(target: INetworkTarget): string {
  return target.clusterId
    ? `cluster:${target.clusterId}`
    : `serverless:${target.applicationId ?? ''}`;
}

export class NetworkModel extends VDomModel {
  /** The target the facts are (or are being) read for. */
  get target(): INetworkTarget | null {
    return this._target;
  }

  get where(): RunsWhere {
    return this._where;
  }

  get facts(): INetworkFacts | null {
    return this._facts;
  }

  get loading(): boolean {
    return this._loading !== null;
  }

  get error(): INetworkError | null {
    return this._error;
  }

  get probe(): IProbe | null {
    return this._probe;
  }

  get probing(): boolean {
    return this._probing !== null;
  }

  get probeError(): INetworkError | null {
    return this._probeError;
  }

  /** The subnets and groups the user picked (absent: SageMaker's defaults). */
  get selection(): { subnets?: string[]; securityGroups?: string[] } {
    return this._selection;
  }

  get choices(): INetworkChoices | null {
    if (!this._facts) {
      return null;
    }
    if (this._choicesFor !== this._facts) {
      this._choices = networkChoices(this._facts);
      this._choicesFor = this._facts;
    }
    return this._choices;
  }

  /** The verdicts for the facts and the user's choice (SageMaker only). */
  get report(): INetworkReport | null {
    if (!this._facts || this._where === 'server' || !evaluator) {
      return null;
    }
    const settings: IJobSettings = { ...this._selection, ...this._settings };
    const key = JSON.stringify(settings);
    if (this._reportFor !== this._facts || this._reportKey !== key) {
      this._report = evaluator.evaluateNetwork(this._facts, settings);
      this._reportFor = this._facts;
      this._reportKey = key;
    }
    return this._report;
  }

  /** Whether a run will reach the cluster, as far as known. */
  get verdict(): Verdict | null {
    if (this._where === 'server') {
      return this._probe ? probeVerdict(this._probe) : null;
    }
    return this.report?.verdict ?? null;
  }

  /** The VPC settings for SageMaker's form: the user's choice or the domain's defaults. */
  get jobNetwork(): ISchedulerNetwork | undefined {
    const job = this.report?.job;
    if (this._where !== 'sagemaker' || !job || job.source === 'none') {
      return undefined;
    }
    return { subnets: job.subnets, securityGroupIds: job.securityGroups };
  }

  /**
   * Reads the facts for `target` (once: again only when the target changes or
   * `force`), and where jobs run on this server, its probe of the cluster.
   * A failed read keeps what was read before.
   */
  async check(
    target: INetworkTarget,
    where: RunsWhere,
    settings: IJobSettings = {},
    force = false
  ): Promise<void> {
    this._where = where;
    this._settings = settings;
    const key = keyOf(target);
    const same = this._target && keyOf(this._target) === key;
    if (!same) {
      this._target = target;
      this._facts = null;
      this._probe = null;
      this._selection = {};
      this._error = null;
      this._probeError = null;
    }
    const reads: Promise<void>[] = [];
    if (where === 'server') {
      if (target.clusterId && (force || (!this._probe && !this._probing))) {
        reads.push(this._readProbe(target.clusterId, key));
      } else if (this._probing) {
        reads.push(this._probing);
      }
    } else if (force || (!this._facts && !this._loading)) {
      reads.push(this._readFacts(target, key));
    } else if (this._loading) {
      reads.push(this._loading);
    }
    this.stateChanged.emit();
    await Promise.all(reads);
  }

  setSubnets(subnets: string[]): void {
    this._selection = {
      ...this._defaultsIfUnset(),
      ...this._selection,
      subnets
    };
    this.stateChanged.emit();
  }

  setSecurityGroups(securityGroups: string[]): void {
    this._selection = {
      ...this._defaultsIfUnset(),
      ...this._selection,
      securityGroups
    };
    this.stateChanged.emit();
  }

  applyProposal(proposal: INetworkProposal): void {
    this._selection = {
      subnets: proposal.subnets,
      securityGroups: proposal.securityGroups
    };
    this.stateChanged.emit();
  }

  /** Back to what SageMaker's form preselects. */
  resetSelection(): void {
    this._selection = {};
    this.stateChanged.emit();
  }

  /** The job's current subnets and groups, so picking one keeps the other. */
  private _defaultsIfUnset(): { subnets: string[]; securityGroups: string[] } {
    const job = this.report?.job;
    return {
      subnets: job?.subnets ?? [],
      securityGroups: job?.securityGroups ?? []
    };
  }

  private _readFacts(target: INetworkTarget, key: string): Promise<void> {
    const pending: Promise<void> = Promise.resolve().then(async () => {
      try {
        const [facts] = await Promise.all([
          getNetworkFacts(target),
          loadEvaluator()
        ]);
        if (this._target && keyOf(this._target) === key) {
          this._facts = facts;
          this._error = null;
        }
      } catch (error) {
        if (this._target && keyOf(this._target) === key) {
          this._error = errorOf(error);
        }
      } finally {
        if (this._loading === pending) {
          this._loading = null;
        }
        this.stateChanged.emit();
      }
    });
    this._loading = pending;
    return pending;
  }

  private _readProbe(clusterId: string, key: string): Promise<void> {
    const pending: Promise<void> = Promise.resolve().then(async () => {
      try {
        const probe = await probeClusterNetwork(clusterId);
        if (this._target && keyOf(this._target) === key) {
          this._probe = probe;
          this._probeError = null;
        }
      } catch (error) {
        if (this._target && keyOf(this._target) === key) {
          this._probeError = errorOf(error);
        }
      } finally {
        if (this._probing === pending) {
          this._probing = null;
        }
        this.stateChanged.emit();
      }
    });
    this._probing = pending;
    return pending;
  }

  private _target: INetworkTarget | null = null;
  private _where: RunsWhere = 'unknown';
  private _settings: IJobSettings = {};
  private _facts: INetworkFacts | null = null;
  private _loading: Promise<void> | null = null;
  private _error: INetworkError | null = null;
  private _probe: IProbe | null = null;
  private _probing: Promise<void> | null = null;
  private _probeError: INetworkError | null = null;
  private _selection: { subnets?: string[]; securityGroups?: string[] } = {};
  private _choices: INetworkChoices | null = null;
  private _choicesFor: INetworkFacts | null = null;
  private _report: INetworkReport | null = null;
  private _reportFor: INetworkFacts | null = null;
  private _reportKey = '';
}
