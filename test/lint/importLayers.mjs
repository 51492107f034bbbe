#!/usr/bin/env node
/**
 * The floors of src/ (ARCHITECTURE.md) kept: fails on any import cycle and on
 * any import from a lower floor to a higher one, and prints the chain.
 *
 *   node test/lint/importLayers.mjs [srcDir]
 *
 * Reads `import ... from '...'`, `export ... from '...'`, `import '...'` and
 * `import('...')` (type-only imports too: they tie the modules as much) of the
 * .ts and .tsx files under srcDir (default: this repository's src/). Only
 * relative imports of files under srcDir count. Dependency-free on purpose.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The floors, highest first: a file may import its own floor's files and any
 * lower floor's, never a higher one's. A path ending in "/" is a folder; the
 * closest path decides (panel/model.ts, the panel's model, is below the
 * panel's sections). A file under srcDir that no floor names is an error.
 */
export const FLOORS = [
  {
    name: 'entry',
    paths: ['index.ts', 'admin/'],
    about: "the plugin's start-up code; the admin CLI"
  },
  {
    name: 'wiring',
    paths: ['wiring/'],
    about: 'builds the models and the panel, does what the commands ask'
  },
  {
    name: 'ui',
    paths: ['panel/', 'scheduleButton.tsx', 'scheduler/'],
    about:
      "the panel and its sections, the toolbar button, the job form's options"
  },
  {
    name: 'models',
    paths: [
      'panel/model.ts',
      'runs/',
      'network/',
      'checks.ts',
      'notebookEdits.ts',
      'schedulerForm.ts',
      'api.ts',
      'request.ts',
      'settings.ts',
      'tokens.ts',
      'icons.ts'
    ],
    about: 'models and services: the server, the scheduler, the notebook'
  },
  {
    name: 'core',
    paths: ['core/'],
    about: 'pure logic, no JupyterLab'
  }
];

const SOURCE = /\.tsx?$/;

function sourceFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...sourceFiles(path));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files;
}

/** The text with its comments blanked (strings kept, lines kept). */
function withoutComments(text) {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') {
        i++;
      }
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const STATIC =
  /(?:^|[;\n])\s*(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*(['"])([^'"]+)\1/g;
const BARE = /(?:^|[;\n])\s*import\s*(['"])([^'"]+)\1/g;
const DYNAMIC = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

/** The module specifiers a file imports, each with its line. */
export function importsOf(text) {
  const code = withoutComments(text);
  const found = [];
  for (const pattern of [STATIC, BARE, DYNAMIC]) {
    for (const match of code.matchAll(pattern)) {
      const at = match.index + match[0].indexOf(match[1] + match[2]);
      found.push({
        specifier: match[2],
        line: code.slice(0, at).split('\n').length
      });
    }
  }
  return found;
}

function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx')
  ]) {
    if (
      SOURCE.test(candidate) &&
      existsSync(candidate) &&
      statSync(candidate).isFile()
    ) {
      return candidate;
    }
  }
  return null;
}

/** The floor of a file: the one whose path names it most closely. */
function floorOf(name) {
  let best = -1;
  let bestLength = -1;
  FLOORS.forEach((floor, index) => {
    for (const p of floor.paths) {
      const matches = p.endsWith('/') ? name.startsWith(p) : name === p;
      if (matches && p.length > bestLength) {
        best = index;
        bestLength = p.length;
      }
    }
  });
  return best;
}

/**
 * The problems of the tree under srcDir, as lines to print: files no floor
 * names, imports that cannot be found, imports up a floor, cycles.
 */
export function check(srcDir) {
  const root = resolve(srcDir);
  const name = path => relative(root, path).split(sep).join('/');
  const shown = path => `${basename(root)}/${name(path)}`;
  const problems = [];
  const edges = new Map();
  const files = sourceFiles(root).sort();
  for (const file of files) {
    const floor = floorOf(name(file));
    if (floor < 0) {
      problems.push(
        `${shown(file)}: on no floor; add it to FLOORS in test/lint/importLayers.mjs`
      );
    }
    const targets = [];
    for (const { specifier, line } of importsOf(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) {
        continue;
      }
      const target = resolveImport(file, specifier);
      if (target === null) {
        if (!/\.[a-z]+$/i.test(specifier)) {
          problems.push(
            `${shown(file)}:${line}: '${specifier}' is no .ts or .tsx file`
          );
        }
        continue;
      }
      if (relative(root, target).startsWith('..')) {
        continue;
      }
      targets.push({ target, line });
      const to = floorOf(name(target));
      if (floor >= 0 && to >= 0 && to < floor) {
        problems.push(
          `import up a floor: ${shown(file)}:${line} (${FLOORS[floor].name}) → ${shown(target)} (${FLOORS[to].name})`
        );
      }
    }
    edges.set(file, targets);
  }

  // Cycles: a depth-first walk; each edge back onto the walk's path closes one.
  const state = new Map();
  const path = [];
  const seen = new Set();
  const visit = file => {
    state.set(file, 'open');
    path.push(file);
    for (const { target, line } of edges.get(file) ?? []) {
      if (state.get(target) === 'open') {
        const cycle = path.slice(path.indexOf(target));
        const key = [...cycle].sort().join('\n');
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(
            `import cycle: ${[...cycle, target].map(shown).join(' → ')} (closed at ${shown(file)}:${line})`
          );
        }
      } else if (!state.has(target)) {
        visit(target);
      }
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of files) {
    if (!state.has(file)) {
      visit(file);
    }
  }
  return { files: files.length, problems };
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  const srcDir =
    process.argv[2] ??
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
  const { files, problems } = check(srcDir);
  if (problems.length) {
    for (const problem of problems) {
      console.error(problem);
    }
    console.error(
      `${problems.length} import problem(s) in ${files} files; the floors, highest first: ${FLOORS.map(f => f.name).join(' → ')} (ARCHITECTURE.md)`
    );
    process.exit(1);
  }
  console.log(
    `import layers: ${files} files, no cycle, every import on its floor or below (${FLOORS.map(f => f.name).join(' → ')})`
  );
}
