/**
 * upsertCells and replaceCellSource on a real shared notebook (@jupyter/ydoc's
 * YNotebook, the model JupyterLab edits). The notebook panel around it is a
 * plain object holding that model: only its model, path and read-only facts
 * are read.
 */
import { YNotebook } from '@jupyter/ydoc';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { CELL_METADATA_KEY, ICellSpec } from '../../src/core/connectCell';
import {
  adoptConnectCell,
  NotebookEditError,
  replaceCellSource,
  upsertCells
} from '../../src/notebookEdits';

// Yjs warns when a new cell's text is read before the cell joins the document,
// which is how ydoc builds every cell (JupyterLab's console shows the same).
const warn = console.warn;
beforeAll(() => {
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).startsWith('Invalid access: Add Yjs type')) {
      warn(...args);
    }
  };
});
afterAll(() => {
  console.warn = warn;
});

type Cell = { cell_type: 'code' | 'markdown'; source: string; part?: string };

const made: YNotebook[] = [];
afterEach(() => made.splice(0).forEach(shared => shared.dispose()));

function notebook(cells: Cell[], writable = true) {
  const shared = YNotebook.create();
  made.push(shared);
  shared.insertCells(
    0,
    cells.map(c => ({
      cell_type: c.cell_type,
      source: c.source,
      metadata: c.part ? { [CELL_METADATA_KEY]: { part: c.part } } : {}
    }))
  );
  // A new undo step starts with the test's first edit.
  shared.undoManager?.stopCapturing();
  shared.undoManager?.clear();
  const panel = {
    isDisposed: false,
    content: { model: { readOnly: false, sharedModel: shared } },
    context: { path: 'dir/nb.ipynb', contentsModel: { writable } }
  } as unknown as NotebookPanel;
  return { panel, shared };
}

const view = (shared: YNotebook) =>
  shared.cells.map(c => {
    const part = (c.getMetadata(CELL_METADATA_KEY) as any)?.part;
    return part ? `${part}: ${c.getSource()}` : c.getSource();
  });

const CONNECT: ICellSpec[] = [
  { part: 'local-import', source: '%%local\nimport os' },
  { part: 'connect', source: '%sm_analytics emr connect --cluster-id X' }
];
const REDSHIFT: ICellSpec[] = [
  { part: 'redshift-local', source: 'local' },
  { part: 'redshift-send', source: 'send' },
  { part: 'redshift', source: 'spark' }
];

describe('upsertCells', () => {
  it('inserts after a leading title, in order, as one undo step', () => {
    const { panel, shared } = notebook([
      { cell_type: 'markdown', source: '# Title' },
      { cell_type: 'code', source: 'df = 1' }
    ]);
    expect(upsertCells(panel, CONNECT)).toBe('inserted');
    expect(view(shared)).toEqual([
      '# Title',
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X',
      'df = 1'
    ]);
    shared.undo();
    expect(view(shared)).toEqual(['# Title', 'df = 1']);
  });

  it('updates its own cells in place and never duplicates them', () => {
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'a' },
      { cell_type: 'code', source: 'old', part: 'connect' },
      { cell_type: 'code', source: '%%local\nimport os', part: 'local-import' }
    ]);
    expect(upsertCells(panel, CONNECT)).toBe('updated');
    expect(view(shared)).toEqual([
      'a',
      'connect: %sm_analytics emr connect --cluster-id X',
      'local-import: %%local\nimport os'
    ]);
    expect(upsertCells(panel, CONNECT)).toBe('unchanged');
    expect(shared.cells).toHaveLength(3);
  });

  it('inserts a missing part before a present one and updates that one', () => {
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'old', part: 'connect' },
      { cell_type: 'code', source: 'b' }
    ]);
    expect(upsertCells(panel, CONNECT)).toBe('inserted');
    expect(view(shared)).toEqual([
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X',
      'b'
    ]);
  });

  it('puts a missing part between present ones where it belongs', () => {
    // The first and last Redshift parts exist, the middle one was deleted.
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'x' },
      { cell_type: 'code', source: 'local', part: 'redshift-local' },
      { cell_type: 'code', source: 'y' },
      { cell_type: 'code', source: 'old spark', part: 'redshift' },
      { cell_type: 'code', source: 'z' }
    ]);
    expect(upsertCells(panel, REDSHIFT)).toBe('inserted');
    expect(view(shared)).toEqual([
      'x',
      'redshift-local: local',
      'redshift-send: send',
      'y',
      'redshift: spark',
      'z'
    ]);
  });

  it('rebuilds the parts around the one that is left, in order', () => {
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'c', part: 'connect' },
      { cell_type: 'code', source: 'y' },
      { cell_type: 'code', source: 'old send', part: 'redshift-send' },
      { cell_type: 'code', source: 'z' }
    ]);
    expect(upsertCells(panel, REDSHIFT)).toBe('inserted');
    expect(view(shared)).toEqual([
      'connect: c',
      'y',
      'redshift-local: local',
      'redshift-send: send',
      'redshift: spark',
      'z'
    ]);
  });

  it('puts the import right before a connect cell that lost it', () => {
    const { panel, shared } = notebook([
      { cell_type: 'markdown', source: '# T' },
      { cell_type: 'code', source: 'setup' },
      { cell_type: 'code', source: 'old', part: 'connect' }
    ]);
    upsertCells(panel, CONNECT);
    expect(view(shared)).toEqual([
      '# T',
      'setup',
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X'
    ]);
  });

  it('puts Redshift cells after the last cell of ours', () => {
    const { panel, shared } = notebook([
      { cell_type: 'markdown', source: '# T' },
      { cell_type: 'code', source: 'c', part: 'connect' },
      { cell_type: 'code', source: 'work' }
    ]);
    upsertCells(panel, REDSHIFT);
    expect(view(shared)).toEqual([
      '# T',
      'connect: c',
      'redshift-local: local',
      'redshift-send: send',
      'redshift: spark',
      'work'
    ]);
  });

  it('adopts a hand-written connect cell instead of adding a second', () => {
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'x' },
      { cell_type: 'code', source: '%%local\nimport os' },
      {
        cell_type: 'code',
        source: '%sm_analytics emr connect --cluster-id j-OLD --auth-type None'
      }
    ]);
    expect(upsertCells(panel, CONNECT, adoptConnectCell)).toBe('updated');
    expect(view(shared)).toEqual([
      'x',
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X'
    ]);
  });

  it('adopts a hand-written serverless connect cell too', () => {
    const { panel, shared } = notebook([
      {
        cell_type: 'code',
        source:
          '%load_ext sagemaker_studio_analytics_extension.magics\n' +
          '%sm_analytics emr-serverless connect --application-id 00abc ' +
          '--emr-execution-role-arn arn:aws:iam::123456789012:role/x'
      }
    ]);
    expect(upsertCells(panel, CONNECT, adoptConnectCell)).toBe('updated');
    expect(view(shared)).toEqual([
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X'
    ]);
  });

  it('adopts a connect command the way the magic reads it', () => {
    // The words are case-insensitive and the command goes on over every
    // line that ends in "\\".
    const { panel, shared } = notebook([
      {
        cell_type: 'code',
        source:
          'import os\n%sm_analytics EMR Connect \\\n' +
          "    --cluster-id {os.getenv('cluster_id')} \\\n" +
          '    --auth-type None'
      }
    ]);
    expect(upsertCells(panel, CONNECT, adoptConnectCell)).toBe('updated');
    expect(view(shared)).toEqual([
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X'
    ]);
  });

  it('does not adopt a cell whose only command is not a connect', () => {
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'import os\n%sm_analytics emr help' },
      {
        cell_type: 'code',
        source: '%sm_analytics emr connects --cluster-id j-OLD --auth-type None'
      }
    ]);
    upsertCells(panel, CONNECT, adoptConnectCell);
    expect(view(shared)).toEqual([
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X',
      'import os\n%sm_analytics emr help',
      '%sm_analytics emr connects --cluster-id j-OLD --auth-type None'
    ]);
  });

  it('switching target rewrites the connect cell as one undo step', () => {
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'df = 1' }
    ]);
    upsertCells(panel, CONNECT);
    const serverless: ICellSpec[] = [
      CONNECT[0],
      {
        part: 'connect',
        source: '%sm_analytics emr-serverless connect --application-id A'
      }
    ];
    expect(upsertCells(panel, serverless)).toBe('updated');
    expect(view(shared)).toEqual([
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr-serverless connect --application-id A',
      'df = 1'
    ]);
    shared.undo();
    expect(view(shared)).toEqual([
      'local-import: %%local\nimport os',
      'connect: %sm_analytics emr connect --cluster-id X',
      'df = 1'
    ]);
  });

  it('does not adopt a connect cell holding other code', () => {
    const { panel, shared } = notebook([
      {
        cell_type: 'code',
        source:
          '%sm_analytics emr connect --cluster-id j-OLD\ndf = spark.sql("x")'
      }
    ]);
    upsertCells(panel, CONNECT, adoptConnectCell);
    expect(shared.cells).toHaveLength(3);
    expect(shared.cells[2].getSource()).toContain('df = spark.sql');
  });

  it('refuses a read-only notebook and leaves it as it was', () => {
    const { panel, shared } = notebook(
      [{ cell_type: 'code', source: 'a' }],
      false
    );
    expect(() => upsertCells(panel, CONNECT)).toThrow(NotebookEditError);
    expect(() => upsertCells(panel, CONNECT)).toThrow(
      'dir/nb.ipynb is read-only'
    );
    expect(view(shared)).toEqual(['a']);
  });
});

describe('replaceCellSource', () => {
  it('replaces one cell as one undo step', () => {
    const { panel, shared } = notebook([
      { cell_type: 'code', source: 'a' },
      { cell_type: 'code', source: 'b' }
    ]);
    replaceCellSource(panel, 1, 'B');
    expect(view(shared)).toEqual(['a', 'B']);
    shared.undo();
    expect(view(shared)).toEqual(['a', 'b']);
  });

  it('says so when the cell is gone', () => {
    const { panel } = notebook([{ cell_type: 'code', source: 'a' }]);
    expect(() => replaceCellSource(panel, 3, 'x')).toThrow('Cell 4 is gone');
  });
});
