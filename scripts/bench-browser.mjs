// Drives the browser benchmark (dist/bench/, built by scripts/build.sh) in headless Chromium and
// prints a table: engine vs plain-JavaScript baseline for each operation, the ratio, the target of
// issue 8 and PASS/MISS. Each size runs in a fresh page (memory is per instance and never shrinks).
//
// Usage: node scripts/bench-browser.mjs [--dist DIR] [--rows 100000,1000000] [--runs 5] [--json]
// The figures and this command go into docs/performance.md ("Browser at scale").
import { serve, launch } from '../tests/e2e/harness.mjs';
import { join } from 'node:path';
import { ROOT } from '../tests/e2e/harness.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const dist = arg('dist', join(ROOT, 'dist'));
const sizes = arg('rows', '100000,1000000').split(',').map(Number);
const runs = Number(arg('runs', '5'));
const asJson = process.argv.includes('--json');

const MB = 1024 * 1024;

async function benchPage(browser, url, opts) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url + 'bench/index.html');
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  try {
    return await page.evaluate((o) => window.benchRun(o), opts);
  } catch (e) {
    throw new Error(`${e.message}\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

const server = await serve({ dir: dist });
const browser = await launch();
const results = [];
try {
  for (const rows of sizes) {
    const whole = await benchPage(browser, server.url, { rows, runs, mode: 'whole' });
    const sliced = await benchPage(browser, server.url, { rows, runs: 1, mode: 'sliced' });
    results.push({ rows, whole, sliced });
    if (!whole.agree) console.error(`engine and baseline disagree at ${rows} rows: ${JSON.stringify(whole.mismatches)}`);
  }
} finally {
  await browser.close();
  server.stop();
}

if (asJson) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
  const lines = [];
  const row = (cells) => lines.push('| ' + cells.join(' | ') + ' |');
  row(['rows', 'operation', 'engine (wasm)', 'JS baseline', 'engine / baseline', 'target', 'verdict']);
  row(['---:', '---', '---:', '---:', '---:', '---', '---']);
  let missed = 0;
  const verdict = (ok) => { if (ok === null) return ''; if (!ok) missed++; return ok ? 'PASS' : 'MISS'; };
  for (const { rows, whole: w, sliced: s } of results) {
    const n = rows.toLocaleString('en');
    const mb = (w.fileBytes / 1e6).toFixed(1);
    const ratio = (a, b) => (a / b).toFixed(2) + '×';
    row([n, `parse + validate (${mb} MB) vs decode + JSON.parse + typed arrays`, f(w.engineParseMs) + ' ms', f(w.baselineParseMs) + ' ms',
      ratio(w.engineParseMs, w.baselineParseMs), '≤ 2×', verdict(w.engineParseMs <= 2 * w.baselineParseMs)]);
    row([n, '(of which JSON.parse alone, baseline)', '', f(w.baselineJsonParseMs) + ' ms', '', '', '']);
    const big = rows >= 1000000;
    row([n, `every built-in indicator, year ${2024}`, f(w.engineComputeAllYearMs) + ' ms', f(w.baselineComputeAllYearMs) + ' ms',
      ratio(w.engineComputeAllYearMs, w.baselineComputeAllYearMs), big ? '≤ 20 ms' : '', verdict(big ? w.engineComputeAllYearMs <= 20 : null)]);
    row([n, 'every built-in indicator, all years (no filter)', f(w.engineComputeAllMs) + ' ms', f(w.baselineComputeAllMs) + ' ms',
      ratio(w.engineComputeAllMs, w.baselineComputeAllMs), big ? '≤ 20 ms' : '', verdict(big ? w.engineComputeAllMs <= 20 : null)]);
    row([n, `group-by: 1 year, htx, 14 provinces → ${w.groups} groups × 4 indicators`, f(w.engineGroupByMs) + ' ms', f(w.baselineGroupByMs) + ' ms',
      ratio(w.engineGroupByMs, w.baselineGroupByMs), '≤ 0.5×', verdict(w.engineGroupByMs <= 0.5 * w.baselineGroupByMs)]);
    row([n, `regroup 63 → 34 (${w.groups34} groups)`, f(w.engineRegroupMs) + ' ms', f(w.baselineRegroupMs) + ' ms',
      ratio(w.engineRegroupMs, w.baselineRegroupMs), '', '']);
    row([n, 'wasm memory after loading (one parse_dataset)', (w.memoryAfterLoad / MB).toFixed(1) + ' MB', '', '', big ? '≤ 120 MB' : '',
      verdict(big ? w.memoryAfterLoad <= 120 * MB : null)]);
    row([n, `sliced load as the app does it (${s.sliced.tasks} tasks): total / longest task`, `${f(s.sliced.totalMs)} / ${f(s.sliced.longestTaskMs)} ms`, '', '',
      '≤ 200 ms a task', verdict(s.sliced.longestTaskMs <= 200)]);
    row([n, 'wasm memory after the sliced load (file kept in JavaScript, as the app does)', (s.memoryAfterLoad / MB).toFixed(1) + ' MB', '', '', big ? '≤ 120 MB' : '',
      verdict(big ? s.memoryAfterLoad <= 120 * MB : null)]);
    row([n, 'engine and baseline figures agree', w.agree && s.agree ? 'yes' : 'NO', '', '', 'equal', verdict(w.agree && s.agree)]);
  }
  console.log(lines.join('\n'));
  console.log(`\n${runs} runs after a warm-up (median); fast operations repeat inside each sample. ` +
    `Chromium ${results[0]?.whole.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? '?'}. ${missed} target(s) missed.`);
}
