// The whole-page layout walk (issue 15, "Tests"): every tab (`t=`) and every chart kind (`ch=`) on
// every bundled dataset (public/data/catalog.json), in both languages, on a 360 × 740 phone and a
// 1280 × 800 desktop, fails on text cut off, text wider than its box, two texts on top of each
// other, anything outside the screen sideways, and the same on every ECharts canvas of the view
// (tests/e2e/layout.mjs says how each is found). One browser, one page per width, each view
// reached by its link; a failure lists every problem of every view, not only the first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSite, openPage, ROOT } from './harness.mjs';
import { settle, layoutProblems, chartProblems } from './layout.mjs';


const site = useSite();

const catalog = JSON.parse(readFileSync(join(ROOT, 'public/data/catalog.json'), 'utf8'));
// The tabs and chart kinds, as src/engine/url_state.rs codes them (Tab, ChartKind).
const urlState = readFileSync(join(ROOT, 'src/engine/url_state.rs'), 'utf8');
const codes = (name) => {
  const body = urlState.match(new RegExp(`\\n    ${name} \\{([\\s\\S]*?)\\n    \\}`))[1];
  return [...body.matchAll(/= "([a-z]+)",/g)].map((m) => m[1]);
};
const TABS = codes('Tab');
const CHARTS = codes('ChartKind');

/** Every view of a dataset: each tab, the Chart tab once per kind, and the views that name
 *  provinces (a comparison, several trends, a province's profile) when the dataset has provinces. */
function views(dataset) {
  const out = [];
  for (const t of TABS) {
    if (t === 'chart') for (const ch of CHARTS) out.push(`t=chart&ch=${ch}`);
    else out.push(`t=${t}`);
  }
  if (dataset.illustrative) out.push('t=chart&ch=compare&p=19~06~02', 't=chart&ch=trend&p=19~06', 't=profile&p=19', 't=profile&r=tdmnpb');
  return out;
}

test('the walk covers every tab and chart kind of the URL codec', () => {
  assert.deepEqual(TABS, ['map', 'chart', 'table', 'sources', 'profile']);
  assert.deepEqual(CHARTS, ['rank', 'trend', 'mix', 'compare']);
  assert.ok(catalog.datasets.length >= 2, 'bundled datasets');
});

for (const [width, height] of [[360, 740], [1280, 800]]) {
  test(`at ${width} × ${height}, every view of every bundled dataset in both languages: nothing cut, overlapping or off-screen`, { timeout: 600000 }, async () => {
    const ctx = await site.browser.newContext({ viewport: { width, height }, ...(width < 600 ? { isMobile: true, hasTouch: true } : {}) });
    const page = await openPage(ctx, null);
    const failures = [];
    let walked = 0;
    for (const d of catalog.datasets) {
      for (const lang of ['vi', 'en']) {
        for (const v of views(d)) {
          const q = `?d=${d.id}&l=${lang}&${v}`;
          await page.goto(site.url + q);
          await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
          try {
            await settle(page);
          } catch (e) {
            failures.push(`${q}: never settled (${String(e).split('\n')[0]})`);
            continue;
          }
          const problems = [...await layoutProblems(page), ...await chartProblems(page)];
          // The dataset picker shows the chosen dataset's whole name (a select cannot wrap it: the
          // name is written in a box under the transparent select, src/ui/header.rs).
          const pick = await page.evaluate(() => {
            const sel = document.querySelector('[data-testid="dataset-select"]');
            const shown = document.querySelector('[data-testid="dataset-choice"]');
            const a = sel.getBoundingClientRect();
            const b = shown?.getBoundingClientRect();
            const cs = shown && getComputedStyle(shown);
            return { chosen: sel.options[sel.selectedIndex]?.textContent, shown: shown?.textContent, a: [a.width, a.height], b: b && [b.width, b.height], ink: cs?.color, paper: cs?.backgroundColor };
          });
          if (pick.ink === pick.paper) problems.push(`dataset picker: its name is written ${pick.ink} on ${pick.paper}`);
          if (pick.shown !== pick.chosen) problems.push(`dataset picker shows "${pick.shown}" for "${pick.chosen}"`);
          if (!pick.b || pick.b[0] < width * 0.4 || Math.abs(pick.a[0] - pick.b[0]) > 1 || Math.abs(pick.a[1] - pick.b[1]) > 1) {
            problems.push(`dataset picker: select ${pick.a} over a name box ${pick.b}`);
          }
          for (const p of problems) failures.push(`${q}: ${p}`);
          walked++;
        }
      }
    }
    assert.ok(walked >= 40, `${walked} views walked`);
    assert.deepEqual(failures, [], `${failures.length} problem(s) at ${width} px`);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
}
