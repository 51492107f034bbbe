/**
 * The in-browser benchmarks, in Debian's Chromium driven by Playwright:
 * start-up time with and without the extension, the code each extension
 * fetches, and the panel's latencies. Times are taken inside the page with
 * performance.now(), so the driver's round trips are not counted.
 *
 *   node bench/browser.js <plan.json> <results.json>
 *
 * bench/run.py writes the plan (servers, workspaces, notebooks, samples).
 */
'use strict';
/* global window, document, requestAnimationFrame, MutationObserver -- functions run in the page */

const fs = require('fs');
const zlib = require('zlib');
const { chromium } = require('@playwright/test');

const { LAUNCH, VIEWPORT } = require('./chromium');
const OURS = 'jupyterlab-emr-schedule';
const PANEL_INPUT = '#jp-EmrSchedule-clusterId';
const CELL_METADATA_KEY = 'emr_schedule';

function log(...parts) {
  process.stderr.write(parts.join(' ') + '\n');
}

function median(values) {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value, digits = 1) {
  return value === null ? null : Number(value.toFixed(digits));
}

function summary(values) {
  return {
    median: round(median(values)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    samples: values.map(v => round(v))
  };
}

/** Records, before any page script runs, when the app starts and restores. */
function readinessHook() {
  const bench = (window.__bench = {});
  let resolveRestored;
  // Awaited by the bench, so the page's CPU time is read as soon as the
  // layout is restored rather than up to a polling interval later.
  bench.whenRestored = new Promise(resolve => (resolveRestored = resolve));
  let app;
  Object.defineProperty(window, 'jupyterapp', {
    configurable: true,
    get() {
      return app;
    },
    set(value) {
      app = value;
      bench.assigned = performance.now();
      value.started.then(() => {
        bench.started = performance.now();
        performance.mark('bench:startup:started');
      });
      value.restored.then(() => {
        bench.restored = performance.now();
        performance.mark('bench:startup:restored');
        resolveRestored();
      });
    }
  });
}

/** The extension a URL belongs to, if it is a federated extension's file. */
function extensionOf(url) {
  const match = /\/lab\/extensions\/((?:@[^/]+\/)?[^/]+)\//.exec(
    new URL(url).pathname
  );
  return match ? match[1] : null;
}

async function newContext(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript(readinessHook);
  return context;
}

class Session {
  constructor(browser, server) {
    this.browser = browser;
    this.server = server;
    this.requests = [];
    this.responses = [];
    this.errors = [];
  }

  /**
   * A new page, in a fresh context (a first visit, nothing cached) unless
   * `context` is given (a later visit: the browser's cache is warm).
   */
  async open({ bodies = false, context = null } = {}) {
    this.shared = !!context;
    this.context = context ?? (await newContext(this.browser));
    this.page = await this.context.newPage();
    this.cdp = await this.context.newCDPSession(this.page);
    await this.cdp.send('Performance.enable');
    this.page.on('request', request => {
      this.requests.push(request.url());
    });
    this.page.on('console', message => {
      if (message.type() === 'error') {
        this.errors.push(message.text());
      }
    });
    this.page.on('pageerror', error => this.errors.push(String(error)));
    if (bodies) {
      this.page.on('response', response => {
        const extension = extensionOf(response.url());
        if (extension && response.status() === 200) {
          this.responses.push(
            response.body().then(
              body => ({ url: response.url(), extension, body }),
              () => null
            )
          );
        }
      });
    }
    return this;
  }

  async load(workspace) {
    const { url, token } = this.server;
    await this.page.goto(`${url}/lab/workspaces/${workspace}?token=${token}`, {
      waitUntil: 'commit'
    });
    await this.page.evaluate(
      () =>
        Promise.race([
          window.__bench.whenRestored,
          new Promise((_, reject) =>
            setTimeout(() => reject(new Error('not restored in 180 s')), 180000)
          )
        ]),
      null
    );
    // CPU time of the page's main thread so far: what the load cost, whatever
    // else the machine was doing meanwhile. Read first, before anything else
    // asks the page for work.
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const marks = await this.page.evaluate(() => {
      const marks = { ...window.__bench };
      delete marks.whenRestored;
      return marks;
    });
    const metric = name => metrics.find(m => m.name === name)?.value;
    marks.cpu = metric('ThreadTime') * 1000;
    marks.script = metric('ScriptDuration') * 1000;
    return marks;
  }

  /** Waits until no request has been made for `quietMs`. */
  async settle(quietMs = 1000, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    let seen = this.requests.length;
    let since = Date.now();
    while (Date.now() < deadline) {
      await this.page.waitForTimeout(100);
      if (this.requests.length !== seen) {
        seen = this.requests.length;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) {
        return;
      }
    }
  }

  /** Gzipped sizes of the extension files fetched so far, from `start` on. */
  async fetched(start = 0) {
    const all = (await Promise.all(this.responses.slice(start))).filter(
      Boolean
    );
    const byExtension = {};
    for (const { url, extension, body } of all) {
      const entry = (byExtension[extension] ??= {
        files: [],
        bytes: 0,
        gzip: 0
      });
      const gzip = zlib.gzipSync(body, { level: 6 }).length;
      entry.files.push({
        file: new URL(url).pathname.split('/').pop(),
        bytes: body.length,
        gzip
      });
      entry.bytes += body.length;
      entry.gzip += gzip;
    }
    return { byExtension, count: this.responses.length };
  }

  requestsTo(extension) {
    return this.requests.filter(u => extensionOf(u) === extension).length;
  }

  async close() {
    await (this.shared ? this.page?.close() : this.context?.close());
  }
}

/**
 * Opens a notebook and waits for its kernel and, with `rendered`, for every
 * cell to be on the page: JupyterLab attaches a big notebook's cells a few at
 * a time when the page is idle, and that work must not land in what is timed.
 */
async function openNotebook(page, path, { rendered = false } = {}) {
  await page.evaluate(async path => {
    const app = window.jupyterapp;
    const widget = await app.commands.execute('docmanager:open', {
      path,
      factory: 'Notebook'
    });
    await widget.context.ready;
    await widget.sessionContext.ready;
    app.shell.activateById(widget.id);
  }, path);
  await page.waitForFunction(
    () => {
      const panel = window.jupyterapp.shell.currentWidget;
      const kernel = panel?.sessionContext?.session?.kernel;
      return (
        panel?.content?.widgets?.length > 0 &&
        (!kernel || kernel.status === 'idle')
      );
    },
    null,
    { timeout: 120000, polling: 100 }
  );
  if (!rendered) {
    return true;
  }
  try {
    await page.waitForFunction(
      () =>
        window.jupyterapp.shell.currentWidget.content.widgets.every(
          cell => cell.isAttached && !cell.isPlaceholder?.()
        ),
      null,
      { timeout: 300000, polling: 500 }
    );
    return true;
  } catch {
    log(`  ${path}: not every cell was rendered after 300 s; measuring anyway`);
    return false;
  }
}

// --- 1. start-up ---------------------------------------------------------------------

/** Time a server's collection takes between rounds, with room to spare. */
const FREEZE_MS = 600;

/**
 * Before each round: each server collects the garbage of its last page load
 * and freezes what it holds (bench/lab.py). Every load then starts from the
 * same heap, and no full collection of the whole heap (400 to 600 ms on the
 * Studio stack) lands in one page load and not the next.
 */
async function freezeServers(servers) {
  for (const server of Object.values(servers)) {
    if (server.pid) {
      process.kill(server.pid, 'SIGUSR2');
    }
  }
  await new Promise(resolve => setTimeout(resolve, FREEZE_MS));
}

/**
 * The browser contexts a layout's page loads use, by configuration, closing
 * `previous` ones first: warm, one new context per configuration; cold, none
 * (each load makes its own, and its cache starts empty).
 */
async function newContexts(browser, configs, layout, previous = {}) {
  const contexts = {};
  for (const config of configs) {
    await previous[config]?.close();
    contexts[config] = layout.cold ? null : await newContext(browser);
  }
  return contexts;
}

async function closeContexts(contexts) {
  for (const context of Object.values(contexts)) {
    await context?.close();
  }
}

async function startup(browser, plan) {
  const results = [];
  for (const layout of plan.startup.layouts) {
    const configs = plan.startup.configs;
    const times = Object.fromEntries(
      configs.map(c => [
        c,
        { started: [], restored: [], cpu: [], script: [], requests: [] }
      ])
    );
    // Warm: one context per configuration, its cache filled by a warm-up
    // load that is not kept. A context serving every round of a layout gave
    // the whole run an offset of its own (a layout's median moved by up to
    // 0.07 between runs of the same page): each block of `renewEvery` kept
    // rounds gets new contexts, and its own warm-up, so a run's median pools
    // several contexts' offsets instead of carrying one.
    let contexts = {};
    const { warmup, samples } = plan.startup;
    const every = layout.cold ? samples : plan.startup.renewEvery || samples;
    // Kept rounds per block of new contexts.
    const blocks = [];
    const kept = () => blocks.reduce((sum, n) => sum + n, 0);
    let round = 0;
    while (kept() < samples) {
      const block = blocks.push(0) - 1;
      contexts = await newContexts(browser, configs, layout, contexts);
      const size = Math.min(every, samples - kept());
      for (let warm = 0; blocks[block] < size; warm++, round++) {
        await freezeServers(plan.servers);
        // Alternate which configuration goes first.
        const order = round % 2 ? [...configs].reverse() : configs;
        const keep = warm >= warmup;
        for (const config of order) {
          const session = await new Session(browser, plan.servers[config]).open(
            { context: contexts[config] }
          );
          const marks = await session.load(layout.workspace);
          const ourRequests = session.requestsTo(OURS);
          await session.close();
          if (keep) {
            times[config].started.push(marks.started);
            times[config].restored.push(marks.restored);
            times[config].cpu.push(marks.cpu);
            times[config].script.push(marks.script);
            times[config].requests.push(ourRequests);
          }
          log(
            `  start-up ${layout.name} ${config}${keep ? '' : ' (warm-up)'}: ` +
              `block ${block}, started ${marks.started.toFixed(0)} ms, ` +
              `restored ${marks.restored.toFixed(0)} ms, main-thread CPU ` +
              `${marks.cpu.toFixed(0)} ms, ${ourRequests} request(s) to ${OURS}`
          );
        }
        if (keep) {
          blocks[block]++;
        }
      }
    }
    await closeContexts(contexts);
    const row = {
      layout: layout.name,
      cold: !!layout.cold,
      // Kept rounds per block of new browser contexts, in order.
      blocks,
      configs: {},
      pairedRatio: {}
    };
    // Each round's with/without ratio, so drift in the machine's load cancels.
    row.pairedRatios = {};
    if (times.with && times.without) {
      for (const mark of ['started', 'restored', 'cpu', 'script']) {
        const ratios = times.with[mark].map(
          (v, i) => v / times.without[mark][i]
        );
        row.pairedRatio[mark] = Number(median(ratios).toFixed(4));
        row.pairedRatios[mark] = ratios.map(r => Number(r.toFixed(4)));
      }
    }
    for (const config of configs) {
      row.configs[config] = {
        started: summary(times[config].started),
        restored: summary(times[config].restored),
        cpu: summary(times[config].cpu),
        script: summary(times[config].script),
        ourRequests: Math.max(...times[config].requests)
      };
    }
    results.push(row);
  }
  return results;
}

// --- 2. code fetched -----------------------------------------------------------------

function pick(fetched, extensions) {
  const out = {};
  for (const extension of extensions) {
    const entry = fetched.byExtension[extension];
    out[extension] = entry
      ? { bytes: entry.bytes, gzip: entry.gzip, files: entry.files }
      : { bytes: 0, gzip: 0, files: [] };
  }
  return out;
}

async function codeSize(browser, plan) {
  const { extensions, notebook } = plan.code;
  const results = {};
  for (const [config, spec] of Object.entries(plan.code.configs)) {
    const session = await new Session(browser, plan.servers[config]).open({
      bodies: true
    });
    try {
      await session.load(spec.workspace);
      await session.settle();
      const atStart = await session.fetched();
      const phases = { startup: pick(atStart, extensions) };
      let mark = atStart.count;
      if (spec.notebook !== false) {
        await openNotebook(session.page, notebook);
        await session.settle();
        const opened = await session.fetched(mark);
        phases.notebookOpened = pick(opened, extensions);
        mark = opened.count;
      }
      if (spec.panel) {
        await session.page.evaluate(() =>
          window.jupyterapp.commands.execute('emr-schedule:open-panel')
        );
        await session.page.waitForSelector(PANEL_INPUT, { timeout: 60000 });
        await session.settle();
        phases.panelOpened = pick(await session.fetched(mark), extensions);
      }
      const plugins = await session.page.evaluate(prefixes => {
        const app = window.jupyterapp;
        const ids = app.listPlugins ? app.listPlugins() : [];
        return ids
          .filter(id => prefixes.some(p => id.startsWith(p + ':')))
          .map(id => ({ id, activated: app.isPluginActivated(id) }));
      }, extensions);
      results[config] = {
        phases,
        plugins,
        errors: session.errors
          .filter(e => extensions.some(x => e.includes(x)))
          .slice(0, 5)
      };
      log(`  code ${config}: ${JSON.stringify(summarizePhases(phases))}`);
    } finally {
      await session.close();
    }
  }
  return results;
}

function summarizePhases(phases) {
  const out = {};
  for (const [phase, byExt] of Object.entries(phases)) {
    out[phase] = Object.fromEntries(
      Object.entries(byExt)
        .filter(([, v]) => v.gzip > 0)
        .map(([k, v]) => [k, `${(v.gzip / 1024).toFixed(1)} KB gz`])
    );
  }
  return out;
}

// --- 3. panel latency ----------------------------------------------------------------

/**
 * In the page: opens a sidebar (running `command`, or activating the widget
 * `widgetId`) and times it until `selector` is on the page, visible and
 * enabled; `painted` is the frame after that.
 */
function timeOpen({ command, widgetId, selector, label = 'open' }) {
  const ready = () => {
    const element = document.querySelector(selector);
    if (!element || !element.isConnected || element.disabled) {
      return false;
    }
    return element.getBoundingClientRect().width > 0;
  };
  return new Promise((resolve, reject) => {
    let done = false;
    let observer = null;
    const finish = () => {
      done = true;
      observer?.disconnect();
      const form = performance.now() - t0;
      performance.mark(`bench:${label}:form`);
      requestAnimationFrame(() =>
        setTimeout(() => {
          performance.mark(`bench:${label}:painted`);
          resolve({ form, painted: performance.now() - t0 });
        })
      );
    };
    observer = new MutationObserver(() => {
      if (!done && ready()) {
        finish();
      }
    });
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['class', 'style', 'disabled']
    });
    const app = window.jupyterapp;
    performance.mark(`bench:${label}:start`);
    const t0 = performance.now();
    const opened = command
      ? app.commands.execute(command)
      : Promise.resolve(app.shell.activateById(widgetId));
    opened.then(() => {
      if (!done && ready()) {
        finish();
      }
    }, reject);
    setTimeout(() => {
      if (!done) {
        observer.disconnect();
        reject(new Error(`${selector} did not show within 60 s`));
      }
    }, 60000);
  });
}

const OUR_PANEL = {
  command: 'emr-schedule:open-panel',
  selector: PANEL_INPUT,
  label: 'ours'
};
/** A built-in right sidebar, opened the same way: what any sidebar costs. */
const BUILT_IN_PANEL = {
  widgetId: 'jp-property-inspector',
  selector: '#jp-property-inspector',
  label: 'builtIn'
};

/**
 * In the page: what the checks do to the notebook before each check, building
 * the plain snapshot the checker reads (median of 5, milliseconds).
 */
function timeSnapshot() {
  const panel = window.jupyterapp.shell.currentWidget;
  const shared = panel.content.model.sharedModel;
  const times = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    const cells = shared.cells.map(cell => ({
      cell_type: cell.cell_type,
      source: cell.getSource(),
      metadata: { tags: cell.getMetadata('tags') }
    }));
    times.push(performance.now() - t0);
    if (cells.length !== shared.cells.length) {
      throw new Error('snapshot');
    }
  }
  return times.sort((a, b) => a - b)[2];
}

/** In the page: this extension's cells (source and metadata), in order. */
function ourCells(key) {
  const shared =
    window.jupyterapp.shell.currentWidget.content.model.sharedModel;
  return shared.cells
    .filter(cell => cell.getMetadata(key))
    .map(cell => ({
      cell_type: cell.cell_type,
      source: cell.getSource(),
      metadata: { [key]: cell.getMetadata(key) }
    }));
}

/** In the page: removes this extension's cells so the next insert inserts. */
function removeOurCells(key) {
  const panel = window.jupyterapp.shell.currentWidget;
  const shared = panel.content.model.sharedModel;
  shared.transact(() => {
    for (let i = shared.cells.length - 1; i >= 0; i--) {
      if (shared.cells[i].getMetadata(key)) {
        shared.deleteCell(i);
      }
    }
  });
}

/**
 * In the page: runs `insert-connect-cell` and times it until the connect cell
 * is in the notebook's model, and until it is rendered with its text. With
 * `bare`, inserts `cells` (what the command inserted, sources and metadata)
 * straight into the shared model instead: what inserting the same cells costs
 * in this notebook.
 */
function timeInsert({ key, bare, cells }) {
  const panel = window.jupyterapp.shell.currentWidget;
  const notebook = panel.content;
  const model = notebook.model;
  return new Promise((resolve, reject) => {
    const marks = {};
    let observer = null;
    let index = -1;
    const rendered = () => {
      const widget = index >= 0 ? notebook.widgets[index] : null;
      const text = widget?.node.querySelector('.cm-content')?.textContent;
      return (
        !!widget && widget.node.isConnected && !!text?.includes('emr connect')
      );
    };
    const check = () => {
      if (marks.dom === undefined && rendered()) {
        marks.dom = performance.now() - t0;
        observer.disconnect();
        requestAnimationFrame(() =>
          setTimeout(() => {
            marks.painted = performance.now() - t0;
            resolve(marks);
          })
        );
      }
    };
    const onCells = (_, change) => {
      if (change.type !== 'add' || marks.model !== undefined) {
        return;
      }
      const cells = model.sharedModel.cells;
      index = cells.findIndex(c => c.getMetadata(key)?.part === 'connect');
      if (index >= 0) {
        marks.model = performance.now() - t0;
        model.cells.changed.disconnect(onCells);
        check();
      }
    };
    model.cells.changed.connect(onCells);
    observer = new MutationObserver(check);
    observer.observe(notebook.node, {
      childList: true,
      subtree: true,
      characterData: true
    });
    const shared = model.sharedModel;
    const at = shared.cells[0]?.cell_type === 'markdown' ? 1 : 0;
    const t0 = performance.now();
    const inserted = bare
      ? Promise.resolve(
          shared.transact(() => {
            shared.insertCells(at, cells);
          }) ?? true
        )
      : window.jupyterapp.commands.execute('emr-schedule:insert-connect-cell');
    inserted.then(ok => {
      marks.command = performance.now() - t0;
      marks.ok = ok;
      if (!ok) {
        reject(new Error('insert-connect-cell refused: the form is not valid'));
      }
      check();
    }, reject);
    setTimeout(() => reject(new Error('no connect cell within 30 s')), 30000);
  });
}

async function fillForm(page) {
  const panel = page.locator('.jp-EmrSchedule-panel');
  await panel.getByLabel('EMR cluster id').fill('j-2AXXXXXXGAPLF');
  await panel.getByLabel('Authentication').selectOption('LDAP');
  await panel
    .getByLabel('Secrets Manager secret (name or ARN)')
    .fill('emr/shared-analytics');
  await page.waitForSelector('.jp-EmrSchedule-insert:not([disabled])', {
    timeout: 30000
  });
}

function marksOf(keys) {
  return Object.fromEntries(keys.map(k => [k, []]));
}

function push(into, marks) {
  for (const key of Object.keys(into)) {
    into[key].push(marks[key]);
  }
}

function summaries(marks) {
  return Object.fromEntries(
    Object.entries(marks).map(([k, v]) => [k, summary(v)])
  );
}

async function panelLatency(browser, plan) {
  const { server, sizes, samples, warm, inserts, settleMs } = plan.panel;
  const rows = [];
  for (const size of sizes) {
    const first = marksOf(['form', 'painted']);
    const builtIn = marksOf(['form', 'painted']);
    const again = marksOf(['form', 'painted']);
    const insert = marksOf(['model', 'dom', 'painted', 'command']);
    const bareInsert = marksOf(['model', 'dom', 'painted']);
    const extraPainted = [];
    const extraForm = [];
    const insertRatio = [];
    const snapshot = [];
    const renderSeconds = [];
    const count = size.samples ?? samples;
    const pairs = size.inserts ?? inserts;
    for (let i = 0; i < count; i++) {
      const session = await new Session(browser, plan.servers[server]).open();
      const { page } = session;
      const closeSidebar = async () => {
        await page.evaluate(() => window.jupyterapp.shell.collapseRight());
        await page.waitForTimeout(300);
      };
      try {
        await session.load(`panel-${size.cells}-${i}-${Date.now()}`);
        const t = Date.now();
        await openNotebook(page, size.path, { rendered: true });
        renderSeconds.push((Date.now() - t) / 1000);
        await session.settle();
        await page.waitForTimeout(settleMs);
        // Our panel's first open, and a built-in sidebar's, in turns first.
        const order = i % 2 ? ['ours', 'builtIn'] : ['builtIn', 'ours'];
        let opened = null;
        let control = null;
        for (const which of order) {
          if (which === 'ours') {
            opened = await page.evaluate(timeOpen, OUR_PANEL);
            push(first, opened);
            await session.settle();
          } else {
            control = await page.evaluate(timeOpen, BUILT_IN_PANEL);
            push(builtIn, control);
          }
          await closeSidebar();
        }
        extraPainted.push(opened.painted - control.painted);
        // Our form usable against the built-in sidebar's content on the page,
        // both laid out (the same mark): what the budget compares.
        extraForm.push(opened.form - control.form);
        // Closed and opened again: the code is loaded, the panel is built.
        for (let w = 0; w < warm; w++) {
          push(again, await page.evaluate(timeOpen, OUR_PANEL));
          await closeSidebar();
        }
        await page.evaluate(
          () =>
            void window.jupyterapp.commands.execute('emr-schedule:open-panel')
        );
        await fillForm(page);
        // One insert of ours, untimed: the bare insert inserts the very cells
        // it wrote (the connect line with its three variables, not a stand-in).
        await page.evaluate(removeOurCells, CELL_METADATA_KEY);
        await page.evaluate(() =>
          window.jupyterapp.commands.execute('emr-schedule:insert-connect-cell')
        );
        const cells = await page.evaluate(ourCells, CELL_METADATA_KEY);
        if (
          !cells.some(c => c.metadata[CELL_METADATA_KEY].part === 'connect')
        ) {
          throw new Error('insert-connect-cell wrote no connect cell');
        }
        for (let k = 0; k < pairs; k++) {
          const pair = {};
          for (const bare of k % 2 ? [true, false] : [false, true]) {
            await page.evaluate(removeOurCells, CELL_METADATA_KEY);
            // Past the checks' debounce, so the removal's re-check is not timed.
            await page.waitForTimeout(settleMs);
            const marks = await page.evaluate(timeInsert, {
              key: CELL_METADATA_KEY,
              bare,
              cells
            });
            push(bare ? bareInsert : insert, marks);
            pair[bare ? 'bare' : 'ours'] = marks.dom;
          }
          insertRatio.push(pair.ours / pair.bare);
        }
        snapshot.push(await page.evaluate(timeSnapshot));
        log(
          `  panel ${size.cells} cells #${i}: first open ${opened.form.toFixed(1)} ms ` +
            `(painted ${opened.painted.toFixed(1)} ms, built-in sidebar ` +
            `${control.painted.toFixed(1)} ms), insert ` +
            `${median(insert.dom.slice(-pairs)).toFixed(1)} ms ` +
            `(bare ${median(bareInsert.dom.slice(-pairs)).toFixed(1)} ms)`
        );
      } finally {
        await session.close();
      }
    }
    rows.push({
      cells: size.cells,
      firstOpen: summaries(first),
      builtInFirstOpen: summaries(builtIn),
      extraPaintedMs: summary(extraPainted),
      extraFormMs: summary(extraForm),
      insertRatio: {
        ...summary(insertRatio),
        median: round(median(insertRatio), 3),
        samples: insertRatio.map(r => round(r, 3))
      },
      reopen: summaries(again),
      insert: summaries(insert),
      bareInsert: summaries(bareInsert),
      checksSnapshotMs: summary(snapshot),
      openAndRenderSeconds: summary(renderSeconds)
    });
  }
  return rows;
}

// --- trace of the first open --------------------------------------------------------

/** What the trace records: the timeline, frames, script and V8's sampling profiler. */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.execute',
  'v8',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  'loading',
  'toplevel',
  'latencyInfo'
];

/**
 * The panel's first open beside a big notebook, and the built-in sidebar's,
 * each in a Chromium performance trace (the two take turns going first, a
 * fresh page each time); bench/paneltrace.py breaks the traces down.
 */
async function traceFirstOpen(browser, plan) {
  const { server, path, cells, pages, dir, settleMs } = plan.trace;
  fs.mkdirSync(dir, { recursive: true });
  const out = [];
  for (let i = 0; i < pages; i++) {
    const session = await new Session(browser, plan.servers[server]).open();
    const { page } = session;
    try {
      await session.load(`trace-${cells}-${i}-${Date.now()}`);
      await openNotebook(page, path, { rendered: true });
      await session.settle();
      await page.waitForTimeout(settleMs);
      const order = i % 2 ? ['ours', 'builtIn'] : ['builtIn', 'ours'];
      for (const which of order) {
        const file = `${dir}/first-open-${cells}-${i}-${which}.json`;
        await browser.startTracing(page, {
          path: file,
          categories: TRACE_CATEGORIES
        });
        const marks = await page.evaluate(
          timeOpen,
          which === 'ours' ? OUR_PANEL : BUILT_IN_PANEL
        );
        // What follows the first paint (the panel's requests, the notebook's
        // late work) belongs to the open too.
        await page.waitForTimeout(500);
        await browser.stopTracing();
        out.push({ page: i, which, first: order[0] === which, file, ...marks });
        log(
          `  trace ${cells} cells #${i} ${which}: form ${marks.form.toFixed(1)} ms, ` +
            `painted ${marks.painted.toFixed(1)} ms`
        );
        await page.evaluate(() => window.jupyterapp.shell.collapseRight());
        await session.settle();
        await page.waitForTimeout(settleMs);
      }
    } finally {
      await session.close();
    }
  }
  return out;
}

/**
 * Start-up page loads in Chromium performance traces, with and without this
 * extension, taking turns (warm cache, as the start-up benchmark's rows):
 * bench/startuptrace.py says how much of the main thread until
 * `app.restored` ran this extension's code.
 */
async function traceStartup(browser, plan) {
  const { layout, rounds, dir } = plan.startupTrace;
  fs.mkdirSync(dir, { recursive: true });
  const configs = plan.startup.configs;
  const contexts = await newContexts(browser, configs, layout);
  const out = [];
  try {
    for (let round = 0; round <= rounds; round++) {
      const order = round % 2 ? [...configs].reverse() : configs;
      for (const config of order) {
        const session = await new Session(browser, plan.servers[config]).open({
          context: contexts[config]
        });
        // Round 0 warms the cache (and the servers) and is not kept.
        const file = `${dir}/startup-${config}-${round}.json`;
        if (round > 0) {
          await browser.startTracing(session.page, {
            path: file,
            categories: TRACE_CATEGORIES
          });
        }
        const marks = await session.load(layout.workspace);
        if (round > 0) {
          await browser.stopTracing();
          out.push({ config, round, file, ...marks });
          log(
            `  start-up trace ${layout.name} ${config} #${round}: started ` +
              `${marks.started.toFixed(0)} ms, restored ${marks.restored.toFixed(0)} ms`
          );
        }
        await session.close();
      }
    }
  } finally {
    await closeContexts(contexts);
  }
  return out;
}

async function main() {
  const [planPath, outPath] = process.argv.slice(2);
  if (!planPath || !outPath) {
    throw new Error('usage: node bench/browser.js <plan.json> <results.json>');
  }
  const plan = JSON.parse(fs.readFileSync(planPath, 'utf8'));
  const browser = await chromium.launch({ ...LAUNCH, headless: true });
  const results = { browser: browser.version() };
  try {
    for (const part of plan.parts) {
      log(`browser: ${part}`);
      const started = Date.now();
      if (part === 'startup') {
        results.startup = await startup(browser, plan);
      } else if (part === 'code') {
        results.code = await codeSize(browser, plan);
      } else if (part === 'panel') {
        results.panel = await panelLatency(browser, plan);
      } else if (part === 'trace') {
        results.trace = await traceFirstOpen(browser, plan);
      } else if (part === 'startupTrace') {
        results.startupTrace = await traceStartup(browser, plan);
      }
      results[`${part}Seconds`] = Math.round((Date.now() - started) / 1000);
      fs.writeFileSync(outPath, JSON.stringify(results, null, 1));
    }
  } finally {
    await browser.close();
  }
}

main().catch(error => {
  log(error.stack || String(error));
  process.exit(1);
});
