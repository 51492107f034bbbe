/**
 * Rules that depend on more than one cell: where `os` is imported relative
 * to the connect line, job parameters in SparkMagic kernels, and names the
 * connect line reads that only the Spark session has (`remoteNames.ts`).
 *
 * They read the notebook through `INotebookContext` and the cached facts of
 * each cell's scan, so re-checking after an edit touches only the cells
 * these rules concern (connect cells and cells that use `os`); only when a
 * connect line reads other names are the texts of the cells before it read,
 * for where those names are bound.
 */
import type { KernelFamily } from '../kernel';
import { panelAuth } from './authValue';
import { collectBindings, remoteNameFinding } from './remoteNames';
import { RULES } from './rules';
import { ICellScan } from './scan';
import { editFix, ILocalFinding, insertBefore, localFinding } from './text';
import type { INotebookContext, IPosition } from './types';

const PARAMETER_TAGS = ['parameters', 'injected-parameters'];

/** Tags of a cell, whatever its metadata holds. */
export function isParametersCell(cell: unknown): boolean {
  const metadata = (cell as { metadata?: unknown } | null)?.metadata;
  const tags = (metadata as { tags?: unknown } | null | undefined)?.tags;
  return (
    Array.isArray(tags) &&
    tags.some(tag => typeof tag === 'string' && PARAMETER_TAGS.includes(tag))
  );
}

const ASSIGNMENT =
  /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)(.*)$/;
const STRING_LITERAL = /^(?:[rRuU])?(['"])([^'"\\]*)\1$/;

/** Names assigned at the top level of a parameters cell, and string values. */
export function parameterAssignments(text: string): {
  names: string[];
  values: Record<string, string>;
} {
  const names: string[] = [];
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      continue;
    }
    const targets = m[1].split(',').map(n => n.trim());
    names.push(...targets);
    const literal = STRING_LITERAL.exec(m[2].trim());
    if (targets.length === 1 && literal) {
      values[targets[0]] = literal[2];
    }
  }
  return { names, values };
}

/** Reads what the notebook-level rules need, cell by cell. */
export interface ICellSource {
  count: number;
  scanAt(index: number): ICellScan;
  textAt(index: number): string;
  isCodeAt(index: number): boolean;
  isParametersAt(index: number): boolean;
  /**
   * The code cells whose scan is relevant or that are parameters cells, in
   * order (others may be among them). The only cells the rules need read;
   * without it every cell is looked at.
   */
  notable?: readonly number[];
}

export function buildContext(
  family: KernelFamily,
  cells: ICellSource
): INotebookContext {
  const parametersCells: number[] = [];
  const parameterNames: string[] = [];
  const parameterValues: Record<string, string> = {};
  let firstLocalOsImport: IPosition | null = null;
  let firstRemoteOsOnlyCell = -1;
  const osConnects: IPosition[] = [];
  // Names that local connect lines read, and the last cell with such a line.
  const read = new Set<string>();
  let lastReader = -1;
  const visit = (i: number) => {
    if (cells.isParametersAt(i)) {
      parametersCells.push(i);
      const { names, values } = parameterAssignments(cells.textAt(i));
      parameterNames.push(...names.filter(n => !parameterNames.includes(n)));
      Object.assign(parameterValues, values);
    }
    const scan = cells.scanAt(i);
    if (!scan.relevant) {
      return;
    }
    const facts = scan.facts;
    if (facts.local) {
      if (firstLocalOsImport === null && facts.osImportLine >= 0) {
        firstLocalOsImport = { cell: i, line: facts.osImportLine };
      }
      for (const connect of facts.connects) {
        if (connect.usesOs) {
          osConnects.push({ cell: i, line: connect.line });
        }
        for (const ref of connect.refs) {
          for (const name of ref.names) {
            if (name !== 'os') {
              read.add(name);
              lastReader = i;
            }
          }
        }
      }
    } else if (
      firstRemoteOsOnlyCell < 0 &&
      facts.osUseLine >= 0 &&
      facts.localOnly &&
      !facts.connects.length
    ) {
      firstRemoteOsOnlyCell = i;
    }
  };
  const { notable } = cells;
  const visited = notable ? notable.length : cells.count;
  for (let k = 0; k < visited; k++) {
    const i = notable ? notable[k] : k;
    if (cells.isCodeAt(i)) {
      visit(i);
    }
  }
  // Job parameters have their own rule.
  parameterNames.forEach(name => read.delete(name));
  return {
    family,
    parametersCells,
    parameterNames,
    parameterValues,
    firstLocalOsImport,
    firstRemoteOsOnlyCell,
    osConnects,
    connectNames: collectBindings(family, cells, read, lastReader)
  };
}

function importedBefore(ctx: INotebookContext, at: IPosition): boolean {
  const first = ctx.firstLocalOsImport;
  return (
    first !== null &&
    (first.cell < at.cell || (first.cell === at.cell && first.line < at.line))
  );
}

/** The findings of one cell that depend on the rest of the notebook. */
export function contextFindings(
  index: number,
  text: string,
  scan: ICellScan,
  ctx: INotebookContext
): ILocalFinding[] {
  if (!scan.relevant) {
    return [];
  }
  const findings: ILocalFinding[] = [];
  const facts = scan.facts;
  const sparkmagic = ctx.family === 'sparkmagic';
  let lines: string[] | null = null;
  const getLines = () => (lines ??= text.split('\n'));

  if (sparkmagic && ctx.parameterNames.length) {
    for (const connect of facts.connects) {
      checkParameters(connect.line, connect.refs, ctx, findings);
    }
  }

  if (facts.local && ctx.connectNames.size) {
    for (const connect of facts.connects) {
      const finding = remoteNameFinding(
        index,
        getLines(),
        connect,
        ctx,
        importedBefore(ctx, { cell: index, line: connect.line })
      );
      if (finding) {
        findings.push(finding);
      }
    }
  }

  if (facts.local) {
    for (const connect of facts.connects) {
      const at = { cell: index, line: connect.line };
      if (!connect.usesOs || importedBefore(ctx, at)) {
        continue;
      }
      if (
        sparkmagic &&
        ctx.firstRemoteOsOnlyCell >= 0 &&
        ctx.firstRemoteOsOnlyCell < index
      ) {
        // The cell that imports os is reported, with the fix.
        continue;
      }
      findings.push(missingImport(getLines(), connect.line, ctx.family));
    }
  } else if (
    sparkmagic &&
    facts.osUseLine >= 0 &&
    facts.localOnly &&
    !facts.connects.length &&
    ctx.osConnects.some(c => c.cell > index && !importedBefore(ctx, c))
  ) {
    findings.push(
      localFinding(
        RULES.sparkmagicLocalPython,
        facts.osUseLine,
        'In a SparkMagic kernel this cell is sent to the Spark session, so os is imported on ' +
          'the cluster, not in the local kernel where the %sm_analytics line reads ' +
          '{os.getenv(...)}; the line reaches the magic unexpanded and the job fails. Start ' +
          'the cell with %%local.',
        editFix(`%%local\n${text}`, 'Run the cell locally (%%local)')
      )
    );
  }
  return findings;
}

function missingImport(
  lines: readonly string[],
  line: number,
  family: KernelFamily
): ILocalFinding {
  const source = insertBefore(
    lines,
    line,
    ['import os'],
    family === 'sparkmagic'
  );
  const where =
    family === 'sparkmagic'
      ? 'in the local kernel (a %%local cell) before it'
      : 'before it';
  return localFinding(
    family === 'sparkmagic' ? RULES.sparkmagicLocalPython : RULES.osNotImported,
    line,
    `This %sm_analytics line reads {os.getenv(...)} but os is not imported ${where}. IPython ` +
      'then leaves the whole line unexpanded and the magic fails, so the job does not connect. ' +
      'Import os first.',
    editFix(source, 'Import os before the magic')
  );
}

function checkParameters(
  line: number,
  refs: readonly { option: string; names: readonly string[] }[],
  ctx: INotebookContext,
  findings: ILocalFinding[]
): void {
  const used = new Set<string>();
  const values: { clusterId?: string; authType?: string; secretId?: string } =
    {};
  for (const ref of refs) {
    for (const name of ref.names) {
      if (!ctx.parameterNames.includes(name)) {
        continue;
      }
      used.add(name);
      const value = ctx.parameterValues[name];
      if (value === undefined) {
        continue;
      }
      if (ref.option === 'cluster-id') {
        values.clusterId = value;
      } else if (ref.option === 'secret') {
        values.secretId = value;
      } else if (ref.option === 'auth-type') {
        const auth = panelAuth(value);
        if (auth) {
          values.authType = auth;
        }
      }
    }
  }
  if (!used.size) {
    return;
  }
  const names = [...used].join(', ');
  findings.push(
    localFinding(
      RULES.sparkmagicParameters,
      line,
      `This connect line uses the job parameter${used.size > 1 ? 's' : ''} ${names}. In a ` +
        'SparkMagic kernel the job puts parameters into a cell that runs in the Spark session, ' +
        'never in the local kernel where the magic runs, so the line reaches the magic ' +
        "unexpanded and the job fails. Pass the values as the job's Environment variables and " +
        "read them with os.getenv; the panel's form does both.",
      {
        kind: 'env-form',
        label: 'Use environment variables',
        values
      }
    )
  );
}
