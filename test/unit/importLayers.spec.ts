/**
 * The check of src/'s floors (test/lint/importLayers.mjs, run by `make lint`):
 * it passes on this tree and fails, naming the chain, on a cycle, on an
 * import up a floor and on a file no floor names.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

const SCRIPT = join(__dirname, '..', 'lint', 'importLayers.mjs');

function run(srcDir?: string): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    srcDir ? [SCRIPT, srcDir] : [SCRIPT],
    { encoding: 'utf8' }
  );
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('the import floors of src/', () => {
  let root: string;

  /** Writes a tree of source files under a fresh src/. */
  function tree(files: Record<string, string>): string {
    const src = join(root, 'src');
    rmSync(src, { recursive: true, force: true });
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(src, path)), { recursive: true });
      writeFileSync(join(src, path), text);
    }
    return src;
  }

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'import-layers-'));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('holds in this repository', () => {
    const { status, output } = run();
    expect(output).toMatch(/no cycle, every import on its floor or below/);
    expect(status).toBe(0);
  });

  it('passes a tree whose imports all go down', () => {
    const src = tree({
      'index.ts': "import type { IActions } from './wiring/actions';\n",
      'wiring/actions.ts':
        "import { PanelView } from '../panel/widget';\nexport const a = 1;\n",
      'panel/widget.tsx':
        "import { checksFor } from '../checks';\n// import { a } from '../wiring/actions';\nexport const PanelView = 1;\n",
      'checks.ts': "import { k } from './core/kernel';\nexport const x = 1;\n",
      'core/kernel.ts': 'export const k = 1;\n'
    });
    expect(run(src).status).toBe(0);
  });

  it('fails on a cycle and prints it', () => {
    const src = tree({
      'core/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'core/b.ts': "import { c } from './c';\nexport const b = c;\n",
      'core/c.ts': "import type { a } from './a';\nexport const c = 1;\n"
    });
    const { status, output } = run(src);
    expect(status).toBe(1);
    expect(output).toContain(
      'import cycle: src/core/a.ts → src/core/b.ts → src/core/c.ts → src/core/a.ts'
    );
  });

  it('fails on an import up a floor, dynamic ones too, and names it', () => {
    const src = tree({
      'wiring/actions.ts': 'export const a = 1;\n',
      'panel/widget.tsx':
        "\nimport type { IActions } from '../wiring/actions';\n",
      'runs/model.ts': "export const m = () => import('../panel/widget');\n"
    });
    const { status, output } = run(src);
    expect(status).toBe(1);
    expect(output).toContain(
      'import up a floor: src/panel/widget.tsx:2 (ui) → src/wiring/actions.ts (wiring)'
    );
    expect(output).toContain(
      'import up a floor: src/runs/model.ts:1 (models) → src/panel/widget.tsx (ui)'
    );
  });

  it('fails on a file no floor names', () => {
    const src = tree({ 'actions.ts': 'export const a = 1;\n' });
    const { status, output } = run(src);
    expect(status).toBe(1);
    expect(output).toContain('src/actions.ts: on no floor');
  });
});
