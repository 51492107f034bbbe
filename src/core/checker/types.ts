/**
 * Shapes shared by the scheduling readiness checker.
 *
 * The input shapes are deliberately loose (`ICellLike`, `INotebookLike`):
 * the checker reads nbformat JSON from disk as well as live JupyterLab
 * models, and it never throws on malformed input.
 */
import type { IKernelSpecLike, KernelFamily } from '../kernel';

export type { IKernelSpecLike, KernelFamily };

export interface ICellLike {
  cell_type: 'code' | 'markdown' | 'raw' | string;
  /** A string, or nbformat's list of lines (each keeping its `\n`). */
  source: string | string[];
  metadata?: { tags?: string[]; [k: string]: unknown };
  id?: string;
}

export interface INotebookLike {
  cells: ICellLike[];
  metadata?: { kernelspec?: IKernelSpecLike; [k: string]: unknown };
}

export type Severity = 'error' | 'warning' | 'info';

/** Replace the whole source of one cell. */
export interface IEditFix {
  kind: 'edit';
  cell: number;
  /** The whole new cell source. */
  source: string;
  label: string;
}

/**
 * Use the panel's environment-variable form with these values: the panel
 * writes a connect cell that reads them with `os.getenv` and puts them in
 * the job's Environment variables. `authType` is a panel auth type id
 * (`None`, `Kerberos`, `LDAP`, `HTTP_Basic`).
 */
export interface IEnvFormFix {
  kind: 'env-form';
  label: string;
  values: IEnvFormValues;
}

/**
 * What the panel's connect form should start from. `target` is set for an
 * `emr-serverless connect` line, whose values are `applicationId` and
 * `executionRoleArn`; otherwise the line is a cluster's.
 */
export interface IEnvFormValues {
  target?: 'serverless';
  clusterId?: string;
  authType?: string;
  secretId?: string;
  applicationId?: string;
  executionRoleArn?: string;
}

/**
 * Store credentials in AWS Secrets Manager with the panel's "Create from my
 * credentials…" dialog instead of writing them into the notebook. With an
 * `authType` (a panel auth type id) the credentials are a cluster's: the
 * panel's connect form switches to that auth type and takes the new secret.
 */
export interface ISecretFix {
  kind: 'secret';
  label: string;
  authType?: string;
}

export type IFix = IEditFix | IEnvFormFix | ISecretFix;

export interface IFinding {
  /** Stable kebab-case rule id, see `RULES`. */
  rule: string;
  severity: Severity;
  /** Index of the cell in the notebook. */
  cell: number;
  /** 0-based line within the cell. */
  line: number;
  /** What fails when the notebook runs unattended, and what to do. */
  message: string;
  fix?: IFix;
}

/** A position in the notebook: cell index and 0-based line. */
export interface IPosition {
  cell: number;
  line: number;
}

/**
 * What the rules of one cell need to know about the rest of the notebook,
 * built by `notebookContext`.
 */
export interface INotebookContext {
  family: KernelFamily;
  /** Indices of the cells tagged `parameters` or `injected-parameters`. */
  parametersCells: readonly number[];
  /** Names assigned in those cells. */
  parameterNames: readonly string[];
  /** Literal string values assigned there, by name (for env-form fixes). */
  parameterValues: Readonly<Record<string, string>>;
  /** The first `import os` that runs in the local kernel, if any. */
  firstLocalOsImport: IPosition | null;
  /**
   * SparkMagic only: the first cell that uses `os` and holds nothing but
   * local work, yet is sent to the Spark session (no `%%local`); -1 if none.
   */
  firstRemoteOsOnlyCell: number;
  /** Connect lines that use `os` in an `{...}` expression, in order. */
  osConnects: readonly IPosition[];
  /**
   * Where the names that local connect lines read in `{...}` or `$name` are
   * bound (`os` and job parameters have rules of their own); only names
   * that some cell sent to the Spark session assigns.
   */
  connectNames: ReadonlyMap<string, INameBindings>;
}

/** An assignment of a name in a cell that runs in the Spark session. */
export interface IRemoteAssignment extends IPosition {
  /**
   * The same assignment as local Python (`cid = os.getenv('cluster_id')`),
   * when its value needs nothing from the Spark session; otherwise null.
   */
  local: string | null;
  /** The literal value assigned (or the `os.getenv` fallback), if any. */
  value: string | null;
}

/** Where a name is bound, in the Spark session and in the local kernel. */
export interface INameBindings {
  /** Assignments in cells sent to the Spark session, in notebook order. */
  remote: readonly IRemoteAssignment[];
  /**
   * The first line that binds the name in the local kernel (or may: `%run`,
   * `%store -r`, `%%sql -o`), or null.
   */
  firstLocal: IPosition | null;
}
