// Byte budgets over the wire (issue 6), measured the way scripts/perf-network.mjs measures them:
// Chromium under CDP network emulation (400 kbit/s, 400 ms round trip, empty cache).
//   first view: what the page had received when the headline cards showed numbers — the copy
//     pre-rendered into index.html (scripts/prerender.mjs) — ≤ 200 KB; it holds only the HTML, CSS,
//     the lean first view's JS + wasm (arriving; issue 13 design 4: the Leptos app is started by
//     the lean, after the first view), catalogue, the default dataset's latest year and the map's
//     SVG shapes (allowed: a map link the copy's paths do not draw preloads them): neither ECharts
//     nor the Leptos app holds the cards back;
//   a shared link to another view (`?k=htx`): the copy may show there (the lean writes the link's
//     own figures into it), but never with other figures than the live app's after the takeover;
//   everything the first visit fetches (until the worker is installed and the network is quiet,
//     counted by a proxy that sees every response, the service worker's included) ≤ 450 KB;
//   until the app responds (the lean live, or the Leptos app's live cards, the earlier) ≤ 200 KB,
//     the first view as issue 2 counted it before the copy existed.
// And the map within 10 s: the pre-rendered copy's map (the app's inline SVG in index.html, never a
// frame without a map until the live one replaces it), and the interactive map (the copy's map
// with the lean live, or the Leptos app's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openPage, kpi, withSite, DIST } from './harness.mjs';
import { measureOnce, TARGETS, KB } from '../../scripts/perf-network.mjs';

const FIRST_VIEW_ALLOWED = [
  /^\/(index\.html)?$/,
  /^\/coop-atlas-first-[0-9a-f]{16}\.js$/,
  /^\/coop-atlas-first-[0-9a-f]{16}_bg\.wasm$/,
  /^\/main-[0-9a-f]{1,16}\.css$/,
  /^\/data\/catalog\.json$/,
  /^\/data\/dtts-mn\/2024\.pack$/,
  /^\/icons\/icon\.svg$/, // the favicon the browser asks for by itself (~0.4 KB)
  /^\/geo\/vn63-svg\.tsv$/, // the map's shapes, preloaded: the live map draws with the cards
];

// One measurement (about a minute on emulated 3G) for the tests below.
let measured = null;
const measure = () => (measured ??= measureOnce({ dist: DIST }).then((r) => {
  r.report = `first view ${(r.firstViewBytes / KB).toFixed(1)} KB [${r.firstView.join(', ')}]; ` +
    `until interactive ${(r.interactiveBytes / KB).toFixed(1)} KB; first visit ${(r.firstVisitBytes / KB).toFixed(1)} KB; ` +
    `cards ${r.cardsMs.toFixed(0)} ms (${r.prerendered ? 'pre-rendered' : 'live'}), responds ${r.liveMs.toFixed(0)} ms ` +
    `(${r.leanMs !== null && r.leanMs <= r.appMs ? 'lean' : 'Leptos'}), Leptos ${r.appMs.toFixed(0)} ms, ` +
    `copy's map ${r.mapPictureMs === null ? 'NOT SHOWN' : r.mapPictureMs.toFixed(0) + ' ms'}, interactive map ${r.mapMs.toFixed(0)} ms, ` +
    `offline cards ${r.offlineCardsMs.toFixed(0)} ms, ${r.otherView} ${r.otherViewMs.toFixed(0)} ms ` +
    `(copy ${r.otherViewCopyMatches === null ? 'not shown' : r.otherViewCopyMatches ? 'shown with its own figures' : 'SHOWN WITH OTHER FIGURES'})`;
  console.log('# ' + r.report);
  return r;
}));

test('byte budget over the wire on emulated 3G: the first view (pre-rendered cards) ≤ 200 KB', { timeout: 300000 }, async () => {
  const r = await measure();
  assert.ok(r.prerendered, `the default link showed no pre-rendered cards (${r.report})`);
  assert.equal(r.copyLeft, false, 'the pre-rendered copy was still in the page with the live cards');
  // Another view's copy shows its own figures: if the copy was on screen on that link, its cards
  // the first frame it was are the live app's after the takeover (never the default view's).
  assert.notEqual(r.otherViewCopyMatches, false, `${r.otherView} showed the copy with other figures than its own: ` +
    `${JSON.stringify(r.otherViewCopyCards)} vs live ${JSON.stringify(r.otherViewLiveCards)}`);
  for (const line of r.firstView) {
    const path = line.split(' ')[0];
    assert.ok(FIRST_VIEW_ALLOWED.some((re) => re.test(path)), `${path} is not part of the first view (${r.report})`);
  }
  assert.equal(r.offlineRequests, 0, 'the offline repeat visit reached the server');
  assert.ok(r.firstViewBytes <= TARGETS.firstViewBytes, `first view over budget: ${r.report}`);
});

// Not met yet: the first visit fetches the Leptos app (≈ 360 KB brotli) after the lean first view,
// and ECharts in the background. docs/performance.md "3G and offline" gives the figures and what
// would close the gap. The measurement runs on every test run and reports the failure as a TODO
// with the figures, so the gap stays visible.
const BUDGET_TODO = 'issue 6 target not met yet: see docs/performance.md "3G and offline"';

test('byte budget over the wire on emulated 3G: the whole first visit ≤ 450 KB', { timeout: 300000, todo: BUDGET_TODO }, async () => {
  const r = await measure();
  assert.ok(r.firstVisitBytes <= TARGETS.firstVisitBytes, `first visit over budget: ${r.report}`);
});

// Met since the lean first view (issue 13, design 4) responds before the Leptos app arrives:
// 195.2 KB and 4.8 s when made (stop 16).
test('byte budget over the wire on emulated 3G: until the app responds ≤ 200 KB', { timeout: 300000 }, async () => {
  const r = await measure();
  assert.ok(r.interactiveBytes <= TARGETS.firstViewBytes, `bytes until the app responds over the first-view budget: ${r.report}`);
});

test("the map on emulated 3G ≤ 10 s: the pre-rendered copy's SVG map, until the live map replaces it", { timeout: 300000 }, async () => {
  const r = await measure();
  assert.ok(r.mapPictureMs !== null, `the default link never showed the copy's map (${r.report})`);
  assert.ok(r.mapPictureMs <= TARGETS.mapMs, `the copy's map too late: ${r.report}`);
  assert.ok(r.mapPictureMs < r.liveMs, `the copy's map came no earlier than the live app: ${r.report}`);
  assert.equal(r.mapGapFrames, 0, `frames without a map between the copy's map and the live map: ${r.report}`);
  assert.equal(r.mapPictureLeft, false, "the copy's map was still in the page with the live map");
});

test('the interactive map (the lean\'s copy map, or the live map) on emulated 3G ≤ 10 s', { timeout: 300000 }, async () => {
  const r = await measure();
  assert.ok(r.mapMs <= TARGETS.mapMs, `interactive map drawn too late: ${r.report}`);
});

test('the headline cards show even when ECharts and the shapes cannot load', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext();
    await context.route(/\/(vendor|geo)\//, (route) => route.abort());
    const page = await openPage(context, url);
    assert.ok((await kpi(page, 'htx_count')) > 0, 'cards with numbers');
    // The map says what failed instead of staying blank.
    await page.waitForSelector('.chart-error', { timeout: 30000 });
    assert.equal(page.errors.filter((e) => !/Failed to load resource|ERR_FAILED/.test(e)).length, 0, page.errors.join(' | '));
  });
});
