/**
 * What the commands do, and the panel they show: builds the panel's models
 * and the panel, and gives each section the actions it asks for. Loaded on
 * first use (src/index.ts imports it dynamically), with the panel.
 */
import { PageConfig } from '@jupyterlab/coreutils';
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Clipboard,
  Dialog,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import type { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TranslationBundle } from '@jupyterlab/translation';
import { type Panel, Widget } from '@lumino/widgets';
import { flushSync } from 'react-dom';
import { createSecret } from '../api';
import { checksFor } from '../checks';
import type { IFinding } from '../core/checker';
import { isPanelAuthType } from '../core/auth';
import { connectCells } from '../core/connectCell';
import { validateSecretId } from '../core/validate';
import { askForCredentials } from '../panel/createSecretDialog';
import { envVarLines } from '../core/envVars';
import { redshiftCells } from '../core/redshiftCell';
import {
  adoptConnectCell,
  assertEditable,
  upsertCells
} from '../notebookEdits';
import { PanelModel, PanelSection } from '../panel/model';
import { createPanelWidget, IPanelActions } from '../panel/widget';
import { openCreateJobForm, schedulerAvailable } from '../schedulerForm';
import type { RunAction } from '../core/runs/diagnosis';
import { RunsModel } from '../runs/model';
import { NetworkModel, RunsWhere } from '../network/model';
import {
  browserTestRunStore,
  ITestRunPlan,
  jupyterSchedulerBackend,
  sagemakerSchedulerBackend,
  testRunBackendFor,
  TestRunModel
} from '../runs/testRun';
import { INotebookLike, testRunCells, testRunTarget } from '../core/testRun';
import { jobNameFor } from '../schedulerForm';
import { openJobDefinitionDetail, openJobDetail } from '../runs/schedulerViews';
import '../../style/fields.css';
import '../../style/panel.css';

export interface IActionDeps {
  app: JupyterFrontEnd;
  tracker: INotebookTracker;
  settings: ISettingRegistry.ISettings | null;
  trans: TranslationBundle;
  sidebar: Panel;
}

/** The panel's actions (IPanelActions), and what only the commands call. */
export interface IActions extends IPanelActions {
  model: PanelModel;
  /** Builds the panel (once): its form is on the page when this returns. */
  mountPanel(): void;
  /** Builds the panel, hidden, if it is not built yet; nothing else. */
  buildPanel(): void;
  showPolicies(): Promise<boolean>;
}

/** How long "Create job…" waits for the collaboration server's own save. */
const COLLABORATIVE_SAVE_WAIT_MS = 5000;

/**
 * Resolves true once the notebook is no longer dirty (the collaboration
 * server saved it), false after `timeout` ms or if the notebook closes.
 */
function savedByServer(
  panel: NotebookPanel,
  timeout: number
): Promise<boolean> {
  const model = panel.context.model;
  return new Promise(resolve => {
    const done = (saved: boolean) => {
      clearTimeout(timer);
      model.stateChanged.disconnect(check);
      panel.disposed.disconnect(closed);
      resolve(saved);
    };
    const check = () => {
      if (!model.dirty) {
        done(true);
      }
    };
    const closed = () => done(false);
    const timer = setTimeout(() => done(false), timeout);
    model.stateChanged.connect(check);
    panel.disposed.connect(closed);
    check();
  });
}

export function createActions(deps: IActionDeps): IActions {
  const { app, tracker, trans, sidebar } = deps;
  const model = new PanelModel(tracker, deps.settings);
  void model.refreshServerStatus();
  const runs = new RunsModel(trans);
  // The Network section's state: nothing is read until it opens or a job is created.
  const network = new NetworkModel();
  const followNotebook = () =>
    runs.setNotebook(tracker.currentWidget?.context.path ?? null);
  tracker.currentChanged.connect(followNotebook);
  followNotebook();
  const testRuns = new TestRunModel(
    trans,
    browserTestRunStore(PageConfig.getBaseUrl())
  );
  // A test run started before this page loaded is followed again.
  testRuns.restore(where =>
    where === 'sagemaker' ? sagemakerSchedulerBackend : jupyterSchedulerBackend
  );
  if (testRuns.run) {
    model.setOpen('runs', true);
  }

  const fail = (text: string): false => {
    model.setMessage({ kind: 'error', text });
    Notification.error(text, { autoClose: 8000 });
    return false;
  };
  const succeed = (text: string): true => {
    model.setMessage({ kind: 'success', text });
    return true;
  };
  /** Runs `edit`; what it throws (a read-only notebook, ...) is the message. */
  const attempt = async (
    edit: () => boolean | Promise<boolean>
  ): Promise<boolean> => {
    try {
      return await edit();
    } catch (error) {
      return fail((error as Error).message);
    }
  };
  /** Shows the panel, with `section` open. */
  const showPanel = (section?: PanelSection): void => {
    if (section) {
      model.setOpen(section, true);
    }
    app.shell.activateById(sidebar.id);
  };

  const closedWhileAsking = (path: string): string =>
    trans.__(
      '%1 was closed before the job was created; nothing was scheduled. Open it and schedule again.',
      path
    );

  /** Asks to save the notebook a job will run, and saves it; false if not saved. */
  const askAndSave = async (panel: NotebookPanel): Promise<boolean> => {
    const path = panel.context.path;
    const answer = await showDialog({
      title: trans.__('Save before scheduling?'),
      body: trans.__(
        'A job runs the saved notebook. Save %1 now and continue?',
        path
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.okButton({ label: trans.__('Save and continue') })
      ]
    });
    if (!answer.button.accept) {
      return false;
    }
    if (panel.isDisposed) {
      return fail(closedWhileAsking(path));
    }
    try {
      await panel.context.save();
      return true;
    } catch (error) {
      return fail(
        trans.__(
          'The notebook could not be saved: %1',
          (error as Error).message
        )
      );
    }
  };

  const formProblem = (): string | null => {
    if (model.isValid) {
      return null;
    }
    const first = Object.values(model.errors)[0];
    return trans.__(
      'Complete the Schedule with EMR form first: %1',
      first ?? ''
    );
  };

  /** False, with the reason shown, while the form is not complete. */
  const formReady = (): boolean => {
    const problem = formProblem();
    if (problem) {
      showPanel();
      return fail(problem);
    }
    return true;
  };

  /** Where a scheduled run runs, as the server's status says. */
  const runsWhere = async (): Promise<RunsWhere> => {
    if (!model.serverStatus) {
      await model.refreshServerStatus();
    }
    const scheduler = model.serverStatus?.scheduler;
    if (scheduler?.how === 'sagemaker-job-environment') {
      return 'sagemaker';
    }
    return scheduler?.installed && scheduler.how === 'execution-manager'
      ? 'server'
      : 'unknown';
  };

  /** Asks whether to schedule a run the network check says cannot reach the cluster. */
  const networkAllows = async (): Promise<boolean> => {
    const { target, clusterId, applicationId } = model.state;
    if (!(target === 'cluster' ? clusterId : applicationId)) {
      return true;
    }
    await actions.checkNetwork();
    if (network.verdict !== 'blocked') {
      return true;
    }
    const blocked =
      network.where === 'server'
        ? (network.probe?.results ?? []).find(r => r.result !== 'open')?.message
        : network.report?.lines.find(l => l.verdict === 'blocked')?.reasons[0];
    const answer = await showDialog({
      title: trans.__('Schedule a run that cannot reach the cluster?'),
      body: trans.__(
        'The network check says a scheduled run will not reach the cluster: %1',
        blocked ?? ''
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Show the network') }),
        Dialog.warnButton({ label: trans.__('Schedule anyway') })
      ]
    });
    if (!answer.button.accept) {
      showPanel('network');
      return false;
    }
    return true;
  };

  /** Takes the user from a failed run's cause to the panel's fix. */
  const followRunAction = (action: RunAction): void => {
    showPanel();
    switch (action) {
      case 'checks':
        void actions.checkNotebook();
        return;
      case 'secret-create':
        void actions.createSecretFromCredentials();
        return;
      case 'policies':
        void actions.showPolicies();
        return;
      case 'cluster-picker':
        model.revealField('clusters');
        return;
      case 'network':
        model.setOpen('network', true);
        return;
      case 'secret-check':
        if (!model.needsSecret) {
          model.setMessage({
            kind: 'info',
            text: trans.__(
              'Choose the authentication the cluster uses (Kerberos, LDAP or HTTP Basic) to pick its secret and check it.'
            )
          });
        }
        model.revealField('secret');
        return;
    }
  };

  /** The test run (issue: "Test the schedule now"): asks, then starts it. */
  const startTestRun = async (): Promise<boolean> => {
    if (!formReady()) {
      return false;
    }
    const panel = tracker.currentWidget;
    if (!panel || !panel.content.model) {
      return fail(trans.__('Open the notebook to test first.'));
    }
    if (testRuns.inProgress) {
      showPanel('runs');
      return fail(
        trans.__(
          'A test run of %1 is in progress: wait for its outcome in the Runs section, or stop it there, before starting another.',
          testRuns.run!.notebookPath
        )
      );
    }
    if (!model.serverStatus) {
      await model.refreshServerStatus();
    }
    const scheduler = model.serverStatus?.scheduler;
    const backend = testRunBackendFor(scheduler);
    if (!backend || !schedulerAvailable(app.commands)) {
      model.setMessage({
        kind: 'warning',
        text: trans.__(
          'No notebook scheduler is installed in this JupyterLab, so there is nothing to run a test job. Install jupyter-scheduler and restart JupyterLab.'
        )
      });
      showPanel();
      return false;
    }
    const path = panel.context.path;
    // The notebook as the editor has it (unsaved changes too); it is only read.
    const notebook =
      panel.content.model.sharedModel.toJSON() as unknown as INotebookLike;
    const family = model.notebook?.family ?? 'ipython';
    const env = model.jobEnvVars;
    let made;
    try {
      made = testRunCells(notebook, family, model.state, model.options);
    } catch (error) {
      return fail((error as Error).message);
    }
    const target = testRunTarget(made.cells, env);
    let plan: ITestRunPlan;
    try {
      plan = await backend.prepare(network.jobNetwork);
    } catch (error) {
      return fail(
        trans.__(
          'The test run was not started: the scheduler’s job settings could not be read (%1).',
          (error as Error).message
        )
      );
    }
    const connectFrom =
      made.connectFrom === 'notebook'
        ? trans.__('as the notebook has it')
        : trans.__('as the panel would insert it; the notebook has none yet');
    const cluster = target?.id ?? trans.__('the cluster');
    const where =
      plan.where === 'sagemaker'
        ? trans.__(
            'It is a SageMaker training job on one %1 instance, billed while it runs: usually a few minutes, at most 30 minutes. It runs as %2%3, as a job created with Create job… would.',
            plan.instanceType ?? '',
            plan.roleArn ?? '',
            plan.network
              ? trans.__(
                  ', in subnets %1 with security groups %2',
                  plan.network.subnets.join(', '),
                  plan.network.securityGroupIds.join(', ')
                )
              : ''
          )
        : trans.__(
            'The job runs on the Jupyter server’s machine and takes a few minutes.'
          );
    const answer = await showDialog({
      title: trans.__('Test the schedule now?'),
      body: trans.__(
        'This runs a job now: a small notebook with only the connect cell of %1 (%2) and one Spark statement, with the variables the scheduled job gets. %3 It starts a Spark session on %4 while it runs. %1 is not changed, saved or run. You can stop the test run from the Runs section.',
        path,
        connectFrom,
        where,
        cluster
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.okButton({ label: trans.__('Start test run') })
      ]
    });
    if (!answer.button.accept) {
      return false;
    }
    if (panel.isDisposed) {
      return fail(trans.__('%1 was closed; no test run was started.', path));
    }
    model.setOpen('runs', true);
    showPanel('runs');
    try {
      await testRuns.start(backend, {
        notebookPath: path,
        notebook: notebook,
        cells: made.cells,
        env,
        target,
        name: `${jobNameFor(path)}-test`,
        plan
      });
    } catch (error) {
      return fail(
        trans.__('The test run was not started: %1', (error as Error).message)
      );
    }
    return succeed(
      trans.__(
        'Started a test run of %1; its outcome shows in the Runs section.',
        path
      )
    );
  };

  const actions: IActions = {
    model,
    runs,
    network,

    async checkNetwork(force = false) {
      const { target, clusterId, applicationId, secretId } = model.state;
      const where = await runsWhere();
      await network.check(
        target === 'cluster' ? { clusterId } : { applicationId },
        where,
        { secret: target === 'cluster' && model.needsSecret && !!secretId },
        force
      );
    },

    copyCommand(text: string) {
      Clipboard.copyToSystem(text);
      Notification.success(trans.__('Copied the command.'), {
        autoClose: 3000
      });
    },
    testRuns,
    testRun: startTestRun,
    runHandlers: {
      followAction: followRunAction,
      openJob: jobId => void openJobDetail(app.commands, jobId),
      openDefinition: id => void openJobDefinitionDetail(app.commands, id),
      openNotebook: path =>
        void app.commands.execute('docmanager:open', { path }),
      get canOpenScheduler() {
        return schedulerAvailable(app.commands);
      }
    },

    buildPanel() {
      if (sidebar.widgets.length === 0) {
        const widget = createPanelWidget(model, actions, trans);
        sidebar.addWidget(widget);
        // Render and commit now, while the sidebar is still hidden: shown
        // then, the notebook and the form are laid out and painted once (not
        // the empty sidebar first, a frame before the form).
        flushSync(() => widget.processMessage(Widget.Msg.UpdateRequest));
      }
    },

    mountPanel() {
      if (sidebar.widgets.length === 0) {
        actions.buildPanel();
      } else if (model.isOpen('runs')) {
        // Shown again: a job created meanwhile should be there.
        void runs.refresh();
      }
    },

    async insertConnectCell() {
      if (!formReady()) {
        return false;
      }
      return attempt(() => {
        const panel = assertEditable(tracker.currentWidget);
        const family = model.notebook?.family ?? 'ipython';
        const result = upsertCells(
          panel,
          connectCells(model.state, model.options, family),
          adoptConnectCell
        );
        const text =
          result === 'inserted'
            ? trans.__('Inserted the connect cell into %1.', panel.context.path)
            : result === 'updated'
              ? trans.__('Updated the connect cell in %1.', panel.context.path)
              : trans.__(
                  'The connect cell in %1 is already up to date.',
                  panel.context.path
                );
        return succeed(text);
      });
    },

    async createJob() {
      if (!formReady()) {
        return false;
      }
      const panel = tracker.currentWidget;
      if (!panel) {
        return fail(trans.__('Open the notebook to schedule first.'));
      }
      const path = panel.context.path;
      const errors = checksFor(panel)
        .refresh()
        .filter(f => f.severity === 'error');
      if (errors.length) {
        const answer = await showDialog({
          title: trans.__('Schedule a notebook that would fail?'),
          body: trans.__(
            '%1 has %2 problems that fail an unattended run, for example: %3',
            panel.context.path,
            errors.length,
            errors[0].message
          ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Show the problems') }),
            Dialog.warnButton({ label: trans.__('Schedule anyway') })
          ]
        });
        if (!answer.button.accept) {
          showPanel('checks');
          return false;
        }
        if (panel.isDisposed) {
          return fail(closedWhileAsking(path));
        }
      }
      if (!(await networkAllows())) {
        return false;
      }
      if (panel.isDisposed) {
        return fail(closedWhileAsking(path));
      }
      if (!schedulerAvailable(app.commands)) {
        model.setMessage({
          kind: 'warning',
          text: trans.__(
            'No notebook scheduler is installed in this JupyterLab. Install jupyter-scheduler, or copy the variables below into your scheduler.'
          )
        });
        showPanel();
        return false;
      }
      if (panel.context.model.dirty) {
        // With real-time collaboration the server saves the notebook itself
        // shortly after each change; a save from here would race with it
        // (and JupyterLab would ask "File Changed"), so wait for its save.
        const saved =
          panel.context.model.collaborative &&
          (await savedByServer(panel, COLLABORATIVE_SAVE_WAIT_MS));
        if (panel.isDisposed) {
          return fail(closedWhileAsking(path));
        }
        if (!saved && !(await askAndSave(panel))) {
          return false;
        }
      }
      try {
        if (panel.isDisposed) {
          return fail(closedWhileAsking(path));
        }
        await openCreateJobForm(
          app.commands,
          path,
          model.jobEnvVars,
          network.jobNetwork
        );
        model.setOpen('runs', true);
        runs.expectNewRun();
      } catch (error) {
        return fail(
          trans.__(
            'The Create Job form could not be opened: %1',
            (error as Error).message
          )
        );
      }
      return true;
    },

    async createSecretFromCredentials(useInForm = true) {
      const user = model.defaults.userIdentityTag;
      const input = await askForCredentials({
        name: user ? `emr/users/${user}` : '',
        userIdentity: user
      });
      if (!input) {
        return false;
      }
      const problem =
        validateSecretId(input.name) ??
        (input.username ? null : trans.__('Enter the user name.')) ??
        (input.password ? null : trans.__('Enter the password.'));
      if (problem) {
        return fail(trans.__('The secret was not created: %1', problem));
      }
      try {
        const created = await createSecret(input);
        if (!useInForm) {
          return succeed(
            trans.__(
              'Created %1 (%2). Read it when the notebook runs and remove the password from the notebook.',
              created.name,
              created.arn
            )
          );
        }
        model.update({ secretId: created.arn });
        return succeed(
          trans.__('Created %1 and filled in its ARN.', created.name)
        );
      } catch (error) {
        return fail(
          trans.__('The secret was not created: %1', (error as Error).message)
        );
      }
    },

    async insertRedshiftCell() {
      const errors = Object.values(model.redshiftErrors);
      if (errors.length) {
        showPanel('redshift');
        return fail(
          trans.__('Complete the Redshift form first: %1', errors[0])
        );
      }
      return attempt(() => {
        const panel = assertEditable(tracker.currentWidget);
        const kernel = model.notebook?.kernelName ?? '';
        if (!/pyspark/i.test(kernel)) {
          return fail(
            trans.__(
              'The Redshift cells are PySpark and need the PySpark (SparkMagic) kernel; %1 uses %2.',
              panel.context.path,
              model.notebook?.kernelDisplayName || trans.__('no kernel')
            )
          );
        }
        const result = upsertCells(panel, redshiftCells(model.redshift));
        return succeed(
          result === 'unchanged'
            ? trans.__('The Redshift cells are already up to date.')
            : trans.__(
                'Wrote the Redshift cells; a job created from here gets their variables.'
              )
        );
      });
    },

    async showPolicies() {
      showPanel('policies');
      await model.loadIdentity();
      return model.identity !== null;
    },

    async checkNotebook() {
      const panel = tracker.currentWidget;
      showPanel('checks');
      if (!panel) {
        return fail(trans.__('Open a notebook to check it.'));
      }
      const findings = checksFor(panel).refresh();
      model.setMessage({
        kind: findings.some(f => f.severity === 'error') ? 'warning' : 'info',
        text: findings.length
          ? trans.__(
              'Checked %1: %2 findings.',
              panel.context.path,
              findings.length
            )
          : trans.__(
              'Checked %1: nothing would fail unattended.',
              panel.context.path
            )
      });
      return true;
    },

    async goToFinding(finding: IFinding) {
      const panel = tracker.currentWidget;
      if (!panel || finding.cell >= panel.content.widgets.length) {
        return;
      }
      app.shell.activateById(panel.id);
      panel.content.activeCellIndex = finding.cell;
      await panel.content.scrollToItem(finding.cell, 'center');
      const editor = panel.content.activeCell?.editor;
      editor?.setCursorPosition({ line: finding.line, column: 0 });
    },

    async applyFinding(finding: IFinding) {
      const panel = tracker.currentWidget;
      const fix = finding.fix;
      if (!panel || !fix) {
        return false;
      }
      if (fix.kind === 'env-form') {
        const values = fix.values;
        if (values.target === 'serverless') {
          model.setTarget('serverless');
          const { applicationId, executionRoleArn } = values;
          model.update({
            ...(applicationId ? { applicationId } : {}),
            ...(executionRoleArn ? { executionRoleArn } : {})
          });
        } else {
          const { clusterId, authType, secretId } = values;
          model.setTarget('cluster');
          model.update({
            ...(clusterId ? { clusterId } : {}),
            ...(authType && isPanelAuthType(authType) ? { authType } : {}),
            ...(secretId ? { secretId } : {})
          });
        }
        model.setMessage({
          kind: 'info',
          text: trans.__(
            'Filled the form from the notebook. Insert the connect cell: it replaces the hand-written one and reads these values from environment variables.'
          )
        });
        showPanel();
        return true;
      }
      if (fix.kind === 'secret') {
        // A cluster's credentials: the connect form shows the secret picker.
        if (fix.authType && isPanelAuthType(fix.authType)) {
          model.setTarget('cluster');
          model.update({ authType: fix.authType });
        }
        showPanel();
        return actions.createSecretFromCredentials(!!fix.authType);
      }
      return attempt(() => {
        assertEditable(panel);
        const applied = checksFor(panel).applyFix(finding);
        if (!applied) {
          return fail(
            trans.__(
              'The notebook changed since it was checked; check it again.'
            )
          );
        }
        return succeed(trans.__('%1 in cell %2.', fix.label, fix.cell + 1));
      });
    },

    async copyEnvVars() {
      const problem = formProblem();
      if (problem) {
        return fail(problem);
      }
      Clipboard.copyToSystem(envVarLines(model.jobEnvVars));
      const copied = trans.__('Copied the job environment variables.');
      succeed(copied);
      Notification.success(copied, { autoClose: 3000 });
      return true;
    }
  };
  return actions;
}
