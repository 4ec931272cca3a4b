// Interaction latency of the lean first view (issue 13: "interactions ≤ 100 ms", src/lean.rs),
// in headless Chromium against the release build, with the Leptos app held back so the first view
// answers on its own (as it does for seconds on 3G). For each change — the region select through
// every region, a kind checkbox on and off, the year to every year — the time from the change
// event to the next frame after the lean's update (it writes the view in the event's own task),
// and the longest main-thread task meanwhile. A year change fetches that year's file first: its
// time is measured from the change to the frame showing the new year, on a warm server.
//
// Usage: node scripts/perf-lean.mjs [--dist dist] [--json]
import { join } from 'node:path';
import { serve, launch, ROOT } from '../tests/e2e/harness.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const dist = arg('dist', join(ROOT, 'dist'));
const TARGET_MS = 100;

const srv = await serve({ dir: dist });
const browser = await launch();
const results = {};
try {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  await context.route(/\/coop-atlas-web-[0-9a-f]+(\.js|_bg\.wasm)$/, () => {}); // held: never answered
  const page = await context.newPage();
  await page.goto(srv.url, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.documentElement.classList.contains('first-live'), null, { timeout: 30000 });
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask' });
    /** Sets a control and resolves with ms from its change event to the next frame after `done()`. */
    window.__change = (testid, apply, done) => new Promise((resolve) => {
      const el = document.querySelector(`#prerender [data-testid="pre-${testid}"]`);
      apply(el);
      const t0 = performance.now();
      el.dispatchEvent(new Event('change', { bubbles: true }));
      const wait = () => (done() ? requestAnimationFrame(() => resolve(performance.now() - t0)) : setTimeout(wait, 1));
      wait();
    });
  });
  const run = async (label, list) => {
    const times = [];
    for (const step of list) times.push(await page.evaluate(step));
    times.sort((a, b) => a - b);
    results[label] = { median: times[Math.floor(times.length / 2)], worst: times[times.length - 1], n: times.length };
  };
  const regions = ['tdmnpb', 'btb', 'tn', 'dbscl', ''];
  await run('region select → cards, map, chips, next frame', regions.map((r) => new Function(
    `return window.__change('region-select', (el) => { el.value = ${JSON.stringify(r)}; }, () => true);`)));
  const kinds = ['htx', 'htx', 'tht', 'tht', 'qtdnd', 'qtdnd'];
  await run('kind checkbox → cards, map, chips, next frame', kinds.map((k) => new Function(
    `return window.__change('kind-${k}', (el) => { el.checked = !el.checked; }, () => true);`)));
  const years = [2023, 2022, 2021, 2020, 2019, 2024];
  await run('year (its file fetched and decoded) → the map titled with it, next frame', years.map((y) => new Function(
    `return window.__change('year-range', (el) => { el.value = '${y}'; }, () => (document.querySelector('#prerender [data-testid="pre-map-title"]').textContent || '').includes('${y}'));`)));
  results.longestTaskMs = Math.max(0, ...(await page.evaluate(() => window.__long)));
  await context.close();
} finally {
  await browser.close();
  srv.stop();
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(results, null, 1));
} else {
  console.log(`The lean first view's interactions (${dist}; the Leptos app held back), target ≤ ${TARGET_MS} ms:`);
  for (const [k, v] of Object.entries(results)) {
    if (typeof v === 'object') console.log(`  ${k.padEnd(72)} median ${v.median.toFixed(1)} ms, worst ${v.worst.toFixed(1)} ms (${v.n})`);
  }
  console.log(`  longest main-thread task meanwhile: ${results.longestTaskMs ? results.longestTaskMs.toFixed(0) + ' ms' : 'none over 50 ms'}`);
}
const ok = Object.values(results).every((v) => typeof v !== 'object' || v.worst <= TARGET_MS);
process.exit(ok ? 0 : 1);
