/**
 * Runs at scale, the browser part: the panel's Runs section for a notebook
 * with hundreds of runs in a real jupyter-scheduler, in Debian's Chromium
 * driven by Playwright (no browser is downloaded). Times are taken in the
 * page with performance.now(); long tasks come from the page's own
 * PerformanceObserver ('longtask', over 50 ms on the main thread).
 *
 *   node bench/runs.js <plan.json> <results.json>
 *
 * bench/runs.py writes the plan (server, notebook, the seeded job ids).
 */
'use strict';
/* global window, document, requestAnimationFrame, MutationObserver -- functions run in the page */

const fs = require('fs');
const { chromium } = require('@playwright/test');

const { LAUNCH, VIEWPORT } = require('./chromium');
const PAGE = 20;
const OURS = '/lab/extensions/jupyterlab-emr-schedule/';
/** After each step, how long to keep watching for work it left behind. */
const SETTLE_MS = 400;

function log(...parts) {
  process.stderr.write(parts.join(' ') + '\n');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summary(values) {
  if (!values.length) {
    return null;
  }
  const round = v => Number(v.toFixed(1));
  return {
    median: round(median(values)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    count: values.length
  };
}

/**
 * Before any page script: records every long task of the main thread, and
 * keeps every resource timing.
 */
function longTaskRecorder() {
  // JupyterLab alone fetches more than the default 250 resources.
  performance.setResourceTimingBufferSize(100000);
  window.__longTasks = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      window.__longTasks.push({
        start: entry.startTime,
        duration: entry.duration
      });
    }
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * In the page: one step in the Runs section (open it, or a page older or
 * newer), timed until the page expected shows: its label and its first run.
 */
function step({ action, label, firstJobId }) {
  const section = document.querySelector('.jp-EmrSchedule-runsSection');
  const nav = () => section.querySelector('.jp-EmrSchedule-runsPages');
  const shown = () => {
    const rows = section.querySelectorAll('.jp-EmrSchedule-run');
    return (
      rows.length > 0 &&
      rows[0].getAttribute('data-job-id') === firstJobId &&
      (nav()?.textContent ?? '').includes(label)
    );
  };
  return new Promise((resolve, reject) => {
    let done = false;
    const observer = new MutationObserver(() => {
      if (!done && shown()) {
        finish();
      }
    });
    const finish = () => {
      done = true;
      observer.disconnect();
      const at = performance.now() - t0;
      // The scheduler's answers this step waited for (none when the page was read already).
      const asked = performance
        .getEntriesByType('resource')
        .filter(r => r.name.includes('/scheduler/') && r.startTime >= t0);
      const server = asked.length
        ? Math.max(...asked.map(r => r.responseEnd)) - t0
        : null;
      requestAnimationFrame(() =>
        setTimeout(() =>
          resolve({
            t0,
            shown: at,
            server,
            painted: performance.now() - t0,
            rows: document.querySelectorAll('.jp-EmrSchedule-run').length,
            sectionNodes: section.querySelectorAll('*').length
          })
        )
      );
    };
    observer.observe(section, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true
    });
    const t0 = performance.now();
    if (action === 'open') {
      section.querySelector(':scope > .jp-EmrSchedule-summary').click();
    } else {
      const name = action === 'older' ? 'Older runs' : 'Newer runs';
      const button = [...nav().querySelectorAll('button')].find(
        b => b.textContent === name
      );
      if (!button || button.disabled) {
        reject(new Error(`${name} is not there to click`));
        return;
      }
      button.click();
    }
    setTimeout(() => {
      if (!done) {
        observer.disconnect();
        reject(new Error(`${label} (first run ${firstJobId}) did not show`));
      }
    }, 60000);
  });
}

/** In the page: the long tasks that started at or after `from`. */
function longTasksSince(from) {
  return window.__longTasks.filter(t => t.start + t.duration >= from);
}

async function openNotebookAndPanel(page, plan) {
  const { url, token } = plan.server;
  await page.goto(`${url}/lab?token=${token}`);
  await page.waitForFunction(
    () => window.jupyterapp && window.jupyterapp.shell,
    null,
    { timeout: 180000, polling: 100 }
  );
  await page.evaluate(() => window.jupyterapp.restored);
  await page.evaluate(async path => {
    const app = window.jupyterapp;
    const widget = await app.commands.execute('docmanager:open', {
      path,
      factory: 'Notebook'
    });
    await widget.context.ready;
    await widget.sessionContext.ready;
    app.shell.activateById(widget.id);
  }, plan.notebook);
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('emr-schedule:open-panel')
  );
  await page.waitForSelector(
    '.jp-EmrSchedule-runsSection > .jp-EmrSchedule-summary',
    {
      timeout: 60000
    }
  );
  // Let start-up work (the toolbar's checks, its one look at the last run) end.
  await page.waitForTimeout(2000);
}

/** The section's steps: open, older to the oldest, newer back, older again. */
function stepsOf(plan) {
  const pages = Math.ceil(plan.runs / PAGE);
  const at = p => ({
    label: `Runs ${p * PAGE + 1}–${Math.min((p + 1) * PAGE, plan.runs)}`,
    firstJobId: plan.ids[p * PAGE]
  });
  const steps = [{ phase: 'open', action: 'open', ...at(0) }];
  for (let p = 1; p < pages; p++) {
    steps.push({ phase: 'older', action: 'older', ...at(p) });
  }
  for (let p = pages - 2; p >= 0; p--) {
    steps.push({ phase: 'newer', action: 'newer', ...at(p) });
  }
  for (let p = 1; p < pages; p++) {
    steps.push({ phase: 'olderAgain', action: 'older', ...at(p) });
  }
  return steps;
}

async function runSteps(page, steps, record) {
  for (const s of steps) {
    const result = await page.evaluate(step, s);
    await page.waitForTimeout(SETTLE_MS);
    const tasks = await page.evaluate(longTasksSince, result.t0);
    record(s, result, tasks);
  }
}

/**
 * The renderer main thread's tasks in a Chromium trace, [start, end] in µs,
 * from the page's performance mark `from` on (what came before is the
 * tracer's and the profiler's own start).
 */
function tasksOfTrace(trace, from) {
  const events = trace.traceEvents ?? trace;
  const mark = events.find(
    e => e.name === from && e.cat === 'blink.user_timing'
  );
  const after = mark ? mark.ts : 0;
  const main = events.find(
    e =>
      e.ph === 'M' &&
      e.name === 'thread_name' &&
      e.args?.name === 'CrRendererMain'
  );
  if (!main) {
    return [];
  }
  const tasks = [];
  let end = -1;
  for (const e of events
    .filter(
      e =>
        e.pid === main.pid &&
        e.tid === main.tid &&
        e.ph === 'X' &&
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
    )
    .sort((x, y) => x.ts - y.ts)) {
    if (e.ts >= end && e.ts >= after) {
      tasks.push({ start: e.ts, end: e.ts + e.dur });
      end = e.ts + e.dur;
    }
  }
  return tasks;
}

/**
 * Where the main thread's time went in each task, from a CPU profile taken
 * alongside the trace (same clock): script by the file it came from (a
 * built-in such as JSON.parse counts for the script that called it),
 * garbage collection, and the browser's own work (style, layout, paint).
 */
function splitTasks(tasks, profile) {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const groupCache = new Map();
  const groupOf = id => {
    if (groupCache.has(id)) {
      return groupCache.get(id);
    }
    const node = byId.get(id);
    const name = node.callFrame.functionName;
    let group;
    if (name === '(idle)') {
      group = null;
    } else if (name === '(garbage collector)') {
      group = 'garbage collection';
    } else if (name === '(program)' || name === '(root)') {
      group = 'browser (style, layout, paint)';
    } else {
      let at = node;
      while (at && !at.callFrame.url) {
        at = byId.get(parent.get(at.id));
      }
      const url = at ? at.callFrame.url : '';
      group = url.includes(OURS)
        ? 'this extension'
        : url
          ? 'JupyterLab and other extensions'
          : 'browser (style, layout, paint)';
    }
    groupCache.set(id, group);
    return group;
  };
  const split = tasks.map(() => ({}));
  let t = profile.startTime;
  let k = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    while (k < tasks.length && tasks[k].end < t) {
      k++;
    }
    if (k >= tasks.length) {
      break;
    }
    if (t < tasks[k].start) {
      continue;
    }
    const group = groupOf(profile.samples[i]);
    if (group) {
      // A sample stands for the time since the previous one, within the task.
      const ms = Math.min(delta, t - tasks[k].start) / 1000;
      split[k][group] = (split[k][group] ?? 0) + ms;
    }
  }
  return tasks.map((task, i) => ({
    ms: (task.end - task.start) / 1000,
    split: split[i]
  }));
}

function rounded(split) {
  return Object.fromEntries(
    Object.entries(split)
      .sort((a, b) => b[1] - a[1])
      .map(([k, ms]) => [k, Number(ms.toFixed(1))])
  );
}

const PHASES = [
  { phase: 'open', label: 'Open the section: first page shows' },
  { phase: 'older', label: 'Page forward (older), first visit' },
  { phase: 'newer', label: 'Page back (newer)' },
  { phase: 'olderAgain', label: 'Page forward again (read already)' }
];

async function main() {
  const [planPath, outPath] = process.argv.slice(2);
  if (!planPath || !outPath) {
    throw new Error('usage: node bench/runs.js <plan.json> <results.json>');
  }
  const plan = JSON.parse(fs.readFileSync(planPath, 'utf8'));
  const steps = stepsOf(plan);
  const browser = await chromium.launch({ ...LAUNCH, headless: true });
  const data = Object.fromEntries(
    PHASES.map(p => [
      p.phase,
      { ms: [], server: [], longest: 0, longTasks: 0, rows: 0 }
    ])
  );
  const results = {
    browser: browser.version(),
    plan: { ...plan, ids: undefined }
  };
  try {
    for (let sample = 0; sample < plan.samples; sample++) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      await context.addInitScript(longTaskRecorder);
      const page = await context.newPage();
      try {
        await openNotebookAndPanel(page, plan);
        await runSteps(page, steps, (s, result, tasks) => {
          const d = data[s.phase];
          d.ms.push(result.shown);
          if (result.server !== null) {
            d.server.push(result.server);
          }
          d.rows = Math.max(d.rows, result.rows);
          d.sectionNodes = Math.max(d.sectionNodes ?? 0, result.sectionNodes);
          for (const t of tasks) {
            d.longest = Math.max(d.longest, t.duration);
          }
          d.longTasks += tasks.filter(t => t.duration > 50).length;
        });
        log(
          `  runs sample ${sample + 1}: first page ${data.open.ms.at(-1).toFixed(0)} ms, ` +
            `longest task so far ${Math.max(...Object.values(data).map(d => d.longest)).toFixed(0)} ms`
        );
      } finally {
        await context.close();
      }
    }

    // One more pass, traced and profiled: what ran in each long task, and
    // the longest stretch of this extension's code in any one task.
    const context = await browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(longTaskRecorder);
    const page = await context.newPage();
    try {
      await openNotebookAndPanel(page, plan);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await browser.startTracing(page, {
        categories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'blink.user_timing'
        ]
      });
      await cdp.send('Profiler.start');
      await page.waitForTimeout(1000);
      await page.evaluate(() => performance.mark('bench-runs-steps'));
      await runSteps(page, steps, () => undefined);
      const { profile } = await cdp.send('Profiler.stop');
      const trace = JSON.parse((await browser.stopTracing()).toString());
      const tasks = splitTasks(
        tasksOfTrace(trace, 'bench-runs-steps'),
        profile
      );
      const long = tasks.filter(task => task.ms > 50);
      const totals = {};
      for (const task of long) {
        for (const [group, ms] of Object.entries(task.split)) {
          totals[group] = (totals[group] ?? 0) + ms;
        }
      }
      const ours = tasks.map(task => task.split['this extension'] ?? 0);
      results.traced = {
        tasks: tasks.length,
        longTasks: long.length,
        longestMs: Number(Math.max(0, ...tasks.map(t => t.ms)).toFixed(1)),
        longTaskSplit: rounded(totals),
        oursLongestInOneTaskMs: Number(Math.max(0, ...ours).toFixed(1)),
        oursTotalMs: Number(ours.reduce((a, b) => a + b, 0).toFixed(1)),
        longest: long
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 5)
          .map(task => ({
            ms: Number(task.ms.toFixed(1)),
            split: rounded(task.split)
          }))
      };
      log(`  runs traced pass: ${JSON.stringify(results.traced)}`);
    } finally {
      await context.close();
    }
  } finally {
    await browser.close();
  }
  results.phases = PHASES.map(p => ({
    phase: p.phase,
    label: p.label,
    ms: summary(data[p.phase].ms),
    serverMs: summary(data[p.phase].server),
    longestTaskMs: Number(data[p.phase].longest.toFixed(1)),
    longTasks: data[p.phase].longTasks,
    rowsMax: data[p.phase].rows,
    sectionNodesMax: data[p.phase].sectionNodes ?? 0
  }));
  fs.writeFileSync(outPath, JSON.stringify(results, null, 1));
}

main().catch(error => {
  log(error.stack || String(error));
  process.exit(1);
});
