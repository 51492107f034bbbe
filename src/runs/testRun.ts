/**
 * A test run: a run-now job of a small notebook made from the user's one
 * (src/core/testRun.ts), with the variables the scheduled job gets. Writes
 * the small notebook into a folder of its own next to the user's notebook
 * (not a hidden one: Jupyter's contents API refuses hidden paths unless the
 * server allows them), creates the job through the scheduler's REST API,
 * follows it, and on dismiss removes the job, its files, the small notebook
 * and the folder when nothing else is left in it. The user's notebook is
 * only read.
 *
 * Each scheduler is a `ITestRunBackend`: open-source jupyter-scheduler (the
 * job runs on the server's machine) and SageMaker's plugin (a SageMaker
 * training job, with the fields SageMaker's form would send).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import type { EnvMap } from '../core/envVars';
import { diagnoseRun, IRunDiagnosis } from '../core/runs/diagnosis';
import {
  displayStatus,
  formatDuration,
  IJob,
  isActive,
  runDuration
} from '../core/runs/runs';
import {
  ITestRunCell,
  ITestRunTarget,
  TEST_RUN_TAG,
  testRunFileName,
  testRunFolder,
  testRunNotebook,
  INotebookLike
} from '../core/testRun';
import { IJobNetwork, networkParameters } from '../schedulerForm';
import { SchedulerError } from './service';

/** How often a test run in progress is looked at. */
export const TEST_RUN_POLL_MS = 3000;

/**
 * The longest a test run's SageMaker job may run (StoppingCondition): the
 * connection answers within minutes or not at all, and SageMaker bills the
 * instance while the job runs. The form's own default is 48 hours.
 */
export const SAGEMAKER_TEST_RUN_MAX_SECONDS = 30 * 60;

/** Where a test run's job runs and what it takes, said before it starts. */
export interface ITestRunPlan {
  where: 'server' | 'sagemaker';
  /** SageMaker: the training job's instance type (the form's default). */
  instanceType?: string;
  /** SageMaker: the job's execution role (the form's default). */
  roleArn?: string;
  /** SageMaker: the job's subnets and security groups, when it runs in a VPC. */
  network?: IJobNetwork;
  /** What goes to `POST scheduler/jobs` besides the name, input and variables. */
  request: {
    runtime_environment_name: string;
    compute_type?: string;
    output_formats: string[];
    parameters: Record<string, string | number | boolean>;
  };
}

/** The scheduler a test run's job goes to. */
export interface ITestRunBackend {
  readonly where: ITestRunPlan['where'];
  /**
   * Reads what the scheduler's Create Job form would preselect, for the
   * dialog that asks before starting and for the job. `network` is the
   * Network section's choice (SageMaker: subnets and security groups).
   */
  prepare(network?: IJobNetwork): Promise<ITestRunPlan>;
  createJob(request: ITestRunJobRequest, plan: ITestRunPlan): Promise<string>;
  getJob(jobId: string): Promise<IJob>;
  stopJob(jobId: string): Promise<void>;
  /** Removes the job and the files the scheduler keeps for it. */
  deleteJob(jobId: string): Promise<void>;
  /**
   * For a scheduler whose "completed" is reported by someone else (AWS):
   * whether the ended job left the output a job that ran leaves, and where.
   */
  ranAsReported?(jobId: string): Promise<{ ran: boolean; output: string }>;
}

export interface ITestRunJobRequest {
  /** The small notebook, relative to the server's root. */
  inputPath: string;
  name: string;
  env: EnvMap;
  /** The user's notebook: a tag says whose test run it is. */
  notebookPath: string;
}

async function request(
  method: string,
  path: string,
  body?: unknown
): Promise<Response> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, path);
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      url,
      {
        method,
        ...(body === undefined
          ? {}
          : {
              body: JSON.stringify(body),
              headers: { 'Content-Type': 'application/json' }
            })
      },
      settings
    );
  } catch {
    throw new SchedulerError('unreachable', '');
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`.trim();
    try {
      const data = await response.json();
      detail = data?.message || detail;
    } catch {
      // The status line is all there is.
    }
    throw new SchedulerError(
      response.status === 404 ? 'missing' : 'unavailable',
      detail
    );
  }
  return response;
}

async function requestJSON<T>(
  method: string,
  path: string,
  body?: unknown
): Promise<T> {
  const response = await request(method, path, body);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A runtime environment as `GET scheduler/runtime_environments` lists it. */
interface IRuntimeEnvironment {
  name: string;
  default_compute_type?: string | null;
  compute_types?: string[] | null;
}

/** The environment the Create Job form preselects: its first one. */
async function firstEnvironment(): Promise<IRuntimeEnvironment> {
  const environments = await requestJSON<IRuntimeEnvironment[]>(
    'GET',
    'scheduler/runtime_environments'
  );
  const first = environments?.[0];
  if (!first) {
    throw new SchedulerError(
      'unavailable',
      'the scheduler offers no runtime environment'
    );
  }
  return first;
}

/**
 * The job calls both schedulers share: jupyter-scheduler's REST API, which
 * SageMaker's plugin serves too (its scheduler class behind the same routes).
 */
const jobRoutes = {
  async createJob(
    req: ITestRunJobRequest,
    plan: ITestRunPlan
  ): Promise<string> {
    const created = await requestJSON<{ job_id: string }>(
      'POST',
      'scheduler/jobs',
      {
        name: req.name,
        input_uri: req.inputPath,
        runtime_environment_name: plan.request.runtime_environment_name,
        ...(plan.request.compute_type
          ? { compute_type: plan.request.compute_type }
          : {}),
        runtime_environment_parameters: {
          ...plan.request.parameters,
          ...req.env
        },
        output_formats: plan.request.output_formats,
        tags: [TEST_RUN_TAG]
      }
    );
    return created.job_id;
  },

  getJob(jobId: string): Promise<IJob> {
    return requestJSON<IJob>(
      'GET',
      `scheduler/jobs/${encodeURIComponent(jobId)}`
    );
  },

  async stopJob(jobId: string): Promise<void> {
    await request('PATCH', `scheduler/jobs/${encodeURIComponent(jobId)}`, {
      status: 'STOPPED'
    });
  },

  async deleteJob(jobId: string): Promise<void> {
    try {
      await request('DELETE', `scheduler/jobs/${encodeURIComponent(jobId)}`);
    } catch (error) {
      // Gone already is what was asked for.
      if (!(error instanceof SchedulerError && error.kind === 'missing')) {
        throw error;
      }
    }
  }
};

/** Open-source jupyter-scheduler: the job runs on the Jupyter server's machine. */
export const jupyterSchedulerBackend: ITestRunBackend = {
  where: 'server',

  async prepare() {
    const environment = await firstEnvironment();
    return {
      where: 'server',
      request: {
        runtime_environment_name: environment.name,
        output_formats: ['ipynb'],
        parameters: {}
      }
    };
  },

  ...jobRoutes
};

/** One of the settings `GET advanced_environments` (SageMaker's plugin) detected. */
interface IDetectedSetting {
  name: string;
  value?: unknown;
}

/** The values of a detected list setting that its form preselects. */
function selected(value: unknown): string[] {
  return Array.isArray(value)
    ? value
        .filter(v => v && typeof v === 'object' && (v as any).is_selected)
        .map(v => String((v as any).name))
    : [];
}

/**
 * What SageMaker's Create Job form sends for a run-now job it opens with
 * its defaults, in its JupyterLab app mode (the image and kernel are the
 * space's: it sends them empty), read from the plugin's own routes. The
 * one difference: the job may run 30 minutes, not 48 hours.
 */
export async function sagemakerPlan(
  network?: IJobNetwork
): Promise<ITestRunPlan> {
  const [environment, detected] = await Promise.all([
    firstEnvironment(),
    requestJSON<{ auto_detected_config?: IDetectedSetting[] | null }>(
      'GET',
      'advanced_environments'
    )
  ]);
  const settings = new Map(
    (detected?.auto_detected_config ?? []).map(s => [s.name, s.value])
  );
  const text = (name: string): string => {
    const value = settings.get(name);
    return typeof value === 'string' ? value : '';
  };
  const roles = settings.get('role_arn');
  const roleArn = Array.isArray(roles)
    ? String(roles[0] ?? '')
    : text('role_arn');
  const input = text('s3_input');
  const output = text('s3_output');
  if (!roleArn || !input || !output) {
    throw new SchedulerError(
      'unavailable',
      "SageMaker's scheduler did not name the execution role and S3 locations its form uses"
    );
  }
  const jobNetwork = network ?? {
    subnets: selected(settings.get('vpc_subnets')),
    securityGroupIds: selected(settings.get('vpc_security_group_ids'))
  };
  const inVpc =
    jobNetwork.subnets.length > 0 && jobNetwork.securityGroupIds.length > 0;
  const instanceType = environment.default_compute_type || 'ml.m5.large';
  return {
    where: 'sagemaker',
    instanceType,
    roleArn,
    network: inVpc ? jobNetwork : undefined,
    request: {
      runtime_environment_name: environment.name,
      compute_type: instanceType,
      output_formats: [],
      parameters: {
        sm_lcc_init_script_arn: 'No script',
        role_arn: roleArn,
        ...networkParameters(jobNetwork),
        s3_input: input,
        s3_input_account_id: '',
        s3_output: output,
        s3_output_account_id: '',
        sm_kernel: '',
        sm_image: '',
        sm_init_script: '',
        sm_output_kms_key: '',
        sm_volume_kms_key: '',
        max_retry_attempts: 1,
        max_run_time_in_seconds: SAGEMAKER_TEST_RUN_MAX_SECONDS,
        enable_network_isolation: false
      }
    }
  };
}

/** This server's route for a SageMaker test run's files (jupyterlab_emr_schedule/testruns.py). */
function sagemakerTestRunRoute(jobId: string): string {
  return `emr-schedule/test-runs/sagemaker/${encodeURIComponent(jobId)}`;
}

/**
 * SageMaker's plugin: the job is a SageMaker training job. Its delete stops
 * the job and archives it but leaves its files in S3; this server's route
 * removes those (only a test run's).
 */
export const sagemakerSchedulerBackend: ITestRunBackend = {
  where: 'sagemaker',
  prepare: sagemakerPlan,
  ...jobRoutes,

  async ranAsReported(jobId: string) {
    const answer = await requestJSON<{
      outputWritten?: boolean;
      output?: string | null;
    }>('GET', sagemakerTestRunRoute(jobId));
    return { ran: !!answer?.outputWritten, output: answer?.output ?? '' };
  },

  async deleteJob(jobId: string): Promise<void> {
    await jobRoutes.deleteJob(jobId);
    try {
      await request('DELETE', sagemakerTestRunRoute(jobId));
    } catch (error) {
      if (!(error instanceof SchedulerError && error.kind === 'missing')) {
        throw error;
      }
    }
  }
};

/** The scheduler kinds a test run is offered on (see the server's status). */
export function testRunBackendFor(
  scheduler:
    | {
        installed: boolean;
        how?: string;
      }
    | null
    | undefined
): ITestRunBackend | null {
  if (!scheduler?.installed) {
    return null;
  }
  return scheduler.how === 'sagemaker-job-environment'
    ? sagemakerSchedulerBackend
    : jupyterSchedulerBackend;
}

function contentsPath(path: string): string {
  return URLExt.join('api/contents', URLExt.encodeParts(path));
}

async function contentsExists(path: string): Promise<boolean> {
  try {
    await request('GET', `${contentsPath(path)}?content=0`);
    return true;
  } catch (error) {
    if (error instanceof SchedulerError && error.kind === 'missing') {
      return false;
    }
    throw error;
  }
}

/** Writes the small notebook; returns its path. */
async function writeTestNotebook(
  notebookPath: string,
  content: Record<string, unknown>,
  now: Date
): Promise<string> {
  const folder = testRunFolder(notebookPath);
  if (!(await contentsExists(folder))) {
    await request('PUT', contentsPath(folder), { type: 'directory' });
  }
  const path = `${folder}/${testRunFileName(notebookPath, now)}`;
  await request('PUT', contentsPath(path), {
    type: 'notebook',
    format: 'json',
    content
  });
  return path;
}

/** Where Jupyter's file checkpoints go, in the folder of the file. */
const CHECKPOINTS = '.ipynb_checkpoints';

/** Removes the small notebook, and its folder if nothing else is in it. */
async function removeTestNotebook(path: string): Promise<void> {
  try {
    await request('DELETE', contentsPath(path));
  } catch (error) {
    if (!(error instanceof SchedulerError && error.kind === 'missing')) {
      throw error;
    }
  }
  const folder = path.slice(0, path.lastIndexOf('/'));
  try {
    const listing = await requestJSON<{ content?: { name?: string }[] }>(
      'GET',
      `${contentsPath(folder)}?content=1`
    );
    // Checkpoints the server made of the small notebook are its own: the
    // server deletes a folder holding only those.
    const left = Array.isArray(listing?.content)
      ? listing.content.filter(e => e?.name !== CHECKPOINTS)
      : null;
    if (left && left.length === 0) {
      await request('DELETE', contentsPath(folder));
    }
  } catch {
    // Gone already, or someone else's files are in it: it stays.
  }
}

/**
 * `unconfirmed`: the scheduler reports the job completed, but it left none
 * of the output a job that ran leaves (so it is not shown as a success).
 */
export type TestRunPhase =
  'starting' | 'running' | 'completed' | 'unconfirmed' | 'failed' | 'stopped';

/** One test run, as the Runs section shows it. */
export interface ITestRun {
  notebookPath: string;
  /** The small notebook's path, once written. */
  filePath: string | null;
  jobId: string | null;
  job: IJob | null;
  phase: TestRunPhase;
  target: ITestRunTarget | null;
  /** Why it failed, when it ran and failed. */
  diagnosis: IRunDiagnosis | null;
  /** What went wrong starting, stopping or removing it (not the run's own failure). */
  error: string | null;
  /** Where the output of a job reported completed was looked for (`unconfirmed`). */
  missingOutput: string | null;
  /** Whether dismissing (the removal) is under way. */
  removing: boolean;
  stopping: boolean;
}

export interface ITestRunStart {
  notebookPath: string;
  notebook: INotebookLike;
  cells: ITestRunCell[];
  env: EnvMap;
  target: ITestRunTarget | null;
  name: string;
  /** What `backend.prepare` read, as the dialog showed it. */
  plan: ITestRunPlan;
}

/**
 * Where a test run is remembered while it exists (a page reload, a second
 * tab of the same server): what it takes to follow it and remove it again.
 */
export interface ITestRunStore {
  read(): string | null;
  write(value: string | null): void;
}

/** What is remembered of a test run. */
interface IRemembered {
  notebookPath: string;
  filePath: string;
  jobId: string;
  where: ITestRunPlan['where'];
  target: ITestRunTarget | null;
}

/** A store in the browser's local storage, one per Jupyter server. */
export function browserTestRunStore(baseUrl: string): ITestRunStore {
  const key = `jupyterlab-emr-schedule:test-run:${baseUrl}`;
  return {
    read: () => {
      try {
        return window.localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    write: value => {
      try {
        if (value === null) {
          window.localStorage.removeItem(key);
        } else {
          window.localStorage.setItem(key, value);
        }
      } catch {
        // Storage refused (private mode, quota): the test run is not remembered.
      }
    }
  };
}

/** The test run (one at a time) and its job's progress. */
export class TestRunModel extends VDomModel {
  constructor(
    private _trans: TranslationBundle,
    private _store: ITestRunStore | null = null
  ) {
    super();
  }

  /**
   * Takes up the test run remembered from before the page was loaded, if
   * there is one: it is followed again, and can be stopped and dismissed.
   */
  restore(backendFor: (where: ITestRunPlan['where']) => ITestRunBackend): void {
    if (this._run) {
      return;
    }
    let saved: IRemembered;
    try {
      saved = JSON.parse(this._store?.read() ?? 'null');
    } catch {
      saved = null as unknown as IRemembered;
    }
    if (
      !saved ||
      typeof saved.jobId !== 'string' ||
      typeof saved.filePath !== 'string' ||
      typeof saved.notebookPath !== 'string' ||
      (saved.where !== 'server' && saved.where !== 'sagemaker')
    ) {
      this._store?.write(null);
      return;
    }
    this._backend = backendFor(saved.where);
    this._set({
      notebookPath: saved.notebookPath,
      filePath: saved.filePath,
      jobId: saved.jobId,
      job: null,
      phase: 'running',
      target: saved.target ?? null,
      diagnosis: null,
      missingOutput: null,
      error: null,
      removing: false,
      stopping: false
    });
    this._schedule(0);
  }

  get run(): ITestRun | null {
    return this._run;
  }

  /** Whether a test run is being started or runs (a second one is refused). */
  get inProgress(): boolean {
    const phase = this._run?.phase;
    return phase === 'starting' || phase === 'running';
  }

  /** The test run of `path`, if that notebook's is the one there is. */
  runOf(path: string | null): ITestRun | null {
    return path && this._run?.notebookPath === path ? this._run : null;
  }

  /**
   * Writes the small notebook and creates its job. Throws (with nothing
   * left behind) when either fails; the job is then followed on a timer.
   */
  async start(backend: ITestRunBackend, spec: ITestRunStart): Promise<void> {
    if (this.inProgress) {
      throw new Error(
        this._trans.__(
          'A test run of %1 is in progress; wait for it to end or stop it first.',
          this._run!.notebookPath
        )
      );
    }
    if (this._run && !(await this.dismiss())) {
      // The previous outcome goes with its files, or stays to say why not.
      throw new Error(this._run?.error ?? '');
    }
    const run: ITestRun = {
      notebookPath: spec.notebookPath,
      filePath: null,
      jobId: null,
      job: null,
      phase: 'starting',
      target: spec.target,
      diagnosis: null,
      missingOutput: null,
      error: null,
      removing: false,
      stopping: false
    };
    this._backend = backend;
    this._set(run);
    try {
      run.filePath = await writeTestNotebook(
        spec.notebookPath,
        testRunNotebook(spec.notebook, spec.cells),
        new Date()
      );
      run.jobId = await backend.createJob(
        {
          inputPath: run.filePath,
          name: spec.name,
          env: spec.env,
          notebookPath: spec.notebookPath
        },
        spec.plan
      );
    } catch (error) {
      if (run.filePath) {
        await removeTestNotebook(run.filePath).catch(() => undefined);
      }
      if (this._run === run) {
        this._run = null;
        this.stateChanged.emit();
      }
      throw error;
    }
    run.phase = 'running';
    this._remember(run, backend.where);
    this._set(run);
    this._schedule(0);
  }

  /** Asks the scheduler to stop the test run's job. */
  async stop(): Promise<void> {
    const run = this._run;
    if (!run?.jobId || !this._backend || !this.inProgress) {
      return;
    }
    run.stopping = true;
    run.error = null;
    this._set(run);
    try {
      await this._backend.stopJob(run.jobId);
      await this._poll();
    } catch (error) {
      run.error = this._trans.__(
        'The test run could not be stopped: %1',
        (error as Error).message
      );
    } finally {
      run.stopping = false;
      this._set(run);
    }
  }

  /**
   * Removes the test run: its job (stopped first if it runs) and the
   * scheduler's files for it, the small notebook, and its folder if empty.
   * The outcome stays shown, with the error, if that fails.
   */
  async dismiss(): Promise<boolean> {
    const run = this._run;
    if (!run || run.removing) {
      return false;
    }
    run.removing = true;
    run.error = null;
    this._set(run);
    try {
      if (run.jobId && this._backend) {
        await this._backend.deleteJob(run.jobId);
      }
      if (run.filePath) {
        await removeTestNotebook(run.filePath);
      }
    } catch (error) {
      run.removing = false;
      run.error = this._trans.__(
        'The test run could not be removed: %1',
        (error as Error).message
      );
      this._set(run);
      return false;
    }
    this._stopTimer();
    if (this._run === run) {
      this._run = null;
      this._store?.write(null);
      this.stateChanged.emit();
    }
    return true;
  }

  /** The one line the Runs section shows for a test run that worked. */
  successText(run: ITestRun): string {
    const took = run.job ? runDuration(run.job, Date.now()) : null;
    const where = run.target?.id
      ? run.target.service === 'emr-serverless'
        ? this._trans.__('Connected to application %1', run.target.id)
        : this._trans.__('Connected to %1', run.target.id)
      : this._trans.__('Connected');
    return took === null
      ? this._trans.__('%1; Spark answered.', where)
      : this._trans.__(
          '%1; Spark answered in %2.',
          where,
          formatDuration(took)
        );
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopTimer();
    super.dispose();
  }

  private _remember(run: ITestRun, where: ITestRunPlan['where']): void {
    if (run.jobId && run.filePath) {
      const saved: IRemembered = {
        notebookPath: run.notebookPath,
        filePath: run.filePath,
        jobId: run.jobId,
        where,
        target: run.target
      };
      this._store?.write(JSON.stringify(saved));
    }
  }

  private _set(run: ITestRun): void {
    if (this._run !== run) {
      this._run = run;
    }
    this.stateChanged.emit();
  }

  private async _poll(): Promise<void> {
    const run = this._run;
    if (!run?.jobId || !this._backend || run.removing) {
      return;
    }
    let job: IJob;
    try {
      job = await this._backend.getJob(run.jobId);
    } catch (error) {
      if (!(error instanceof SchedulerError && error.kind === 'missing')) {
        throw error;
      }
      if (this._run === run && !run.removing) {
        // Removed elsewhere (the scheduler's job list, another tab).
        run.phase = 'stopped';
        run.error = this._trans.__(
          'The scheduler no longer has this test run’s job. Dismiss removes what is left of it.'
        );
        this._set(run);
      }
      return;
    }
    if (this._run !== run || run.removing) {
      return;
    }
    run.job = job;
    const status = displayStatus(job, Date.now());
    if (isActive(status)) {
      run.phase = 'running';
    } else if (status === 'COMPLETED') {
      const check = this._backend.ranAsReported
        ? await this._backend.ranAsReported(run.jobId)
        : null;
      if (this._run !== run || run.removing) {
        return;
      }
      run.phase = check && !check.ran ? 'unconfirmed' : 'completed';
      run.missingOutput = check && !check.ran ? check.output : null;
    } else if (status === 'FAILED') {
      run.phase = 'failed';
      run.diagnosis = diagnoseRun({ statusMessage: job.status_message });
    } else {
      run.phase = 'stopped';
    }
    this._set(run);
  }

  private _schedule(delay = TEST_RUN_POLL_MS): void {
    this._stopTimer();
    if (this.isDisposed) {
      return;
    }
    this._timer = setTimeout(async () => {
      this._timer = null;
      try {
        await this._poll();
        if (this._run && this._pollFailed) {
          this._run.error = null;
          this.stateChanged.emit();
        }
        this._pollFailed = false;
      } catch (error) {
        if (this._run) {
          this._pollFailed = true;
          this._run.error = this._trans.__(
            'The scheduler did not say how the test run goes (%1); trying again.',
            (error as Error).message
          );
          this.stateChanged.emit();
        }
      }
      if (this.inProgress) {
        this._schedule();
      }
    }, delay);
  }

  private _stopTimer(): void {
    if (this._timer !== null) {
      clearTimeout(this._timer);
      this._timer = null;
    }
  }

  private _run: ITestRun | null = null;
  private _backend: ITestRunBackend | null = null;
  private _timer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the error shown is the last poll's (cleared when one works). */
  private _pollFailed = false;
}
