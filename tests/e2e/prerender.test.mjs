// The pre-rendered first view (issue 6; scripts/prerender.mjs, postbuild step 3, src/ui/web.rs
// `retire_prerender`), in real Chromium against the release build (dist/):
//  - with the wasm held back, the default link shows the copy: cards with numbers, their sources,
//    the illustrative label, a "loading" status, nothing focusable; once the wasm is in, the live
//    cards show the same numbers and texts, the copy is gone, no frame was without cards, exactly one
//    set of cards remains and it follows a filter change;
//  - before the lean first view runs (its wasm held), a link to any other view never shows the
//    copy, not even for a frame, and the app removes it;
//  - with the wasm held back, the default link shows the map panel too: the app's own inline SVG
//    map (every province, the Hoàng Sa / Trường Sa labels), its legend and source; when the wasm
//    arrives (ECharts never does) the live map replaces it with the same view box, paths and fills
//    in the same place, exactly one map remains, never a frame without a map;
//  - a repeat visit with the network cut shows the copy from the worker's cache, then the live cards;
//  - no Content-Security-Policy violation;
//  - the copy is deterministic: taking it again from the finished build gives the same index.html;
//  - the English first view (for the lean first view's `l=en` links) is a template right after the
//    copy, with the app's English loading text, prefixed ids, and the live app's English cards
//    and map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, openPage, kpi, withSite, DIST } from './harness.mjs';
import { defaultView } from '../../scripts/prerender.mjs';

const VIEW = defaultView(DIST);
const WASM = /_bg\.wasm$/;

/**
 * In every page of the context: records CSP violations, and at every frame whether the copy is on
 * screen, whether live cards with numbers are, and whether a frame came after the first cards
 * without any (an "empty flash").
 */
async function watch(context) {
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
    const w = { copyShown: 0, liveShown: 0, emptyAfterCards: 0, frames: 0, copyCards: null,
      copyMapShown: 0, liveMapShown: 0, noMapAfterCopyMap: 0 };
    window.__frames = w;
    const num = (el) => el.getAttribute('data-value') !== '' && Number.isFinite(Number(el.getAttribute('data-value')));
    const tick = () => {
      w.frames++;
      const copy = document.getElementById('prerender');
      const copyOn = !!copy && getComputedStyle(copy).display !== 'none' && [...copy.querySelectorAll('[data-value]')].some(num);
      const liveOn = [...document.querySelectorAll('[data-testid^="kpi-"][data-value]')]
        .some((el) => num(el) && el.getClientRects().length > 0);
      if (copyOn) w.copyShown++;
      // What the copy showed the first time it was on screen (it may be gone by the time a test looks).
      if (copyOn && !w.copyCards) {
        w.copyCards = [...copy.querySelectorAll('[data-testid^="pre-kpi-"]')].map((el) => [
          el.getAttribute('data-testid').replace(/^pre-kpi-/, ''), el.getAttribute('data-value'),
          el.querySelector('.label')?.textContent, el.querySelector('.value')?.textContent,
          el.querySelector('.card-source')?.textContent ?? null,
        ]);
      }
      if (liveOn) w.liveShown++;
      // The copy's map and the live one (inline SVG, drawn with its provinces).
      const drawn = (svg) => !!svg && svg.getClientRects().length > 0 && !!svg.querySelector('path.area');
      const copyMapOn = copyOn && drawn(copy.querySelector('svg[data-testid="pre-map-chart"]'));
      const liveMapOn = drawn(document.querySelector('#main svg[data-testid="map-chart"]'));
      if (copyMapOn) w.copyMapShown++;
      if (liveMapOn) w.liveMapShown++;
      if (w.copyMapShown && !copyMapOn && !liveMapOn) w.noMapAfterCopyMap++;
      if (!copyOn && !liveOn && (w.copyShown || w.liveShown)) w.emptyAfterCards++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Holds every request for the app's wasm until `release()` is called. */
async function holdWasm(context) {
  let release;
  const released = new Promise((r) => { release = r; });
  await context.route(WASM, async (route) => { await released; await route.continue(); });
  return release;
}

/** Waits until the stylesheet is in (it decides whether the copy shows). DOMContentLoaded no longer
 *  waits for it: the page has no deferred module script since the Leptos app is started by a
 *  function (`coopApp`, scripts/postbuild.mjs), and only such a script waited for the stylesheet. */
const cssIn = (page) => page.waitForFunction(() => [...document.querySelectorAll('link[rel="stylesheet"]')].every((l) => l.sheet),
  null, { timeout: 10000 });

/** Whether the copy is displayed (the link asked for the default view and the CSS is in). */
const copyDisplayed = (page) => page.evaluate(() => {
  const copy = document.getElementById('prerender');
  return !!copy && getComputedStyle(copy).display !== 'none';
});

/** The cards as the user reads them: id, `data-value`, label, value text; from the copy or live. */
function cardsOf(page, copy) {
  return page.$$eval(copy ? '#prerender [data-testid^="pre-kpi-"]' : '[data-testid^="kpi-"]', (els, copy) => els.map((el) => [
    el.getAttribute('data-testid').replace(copy ? /^pre-kpi-/ : /^kpi-/, ''),
    el.getAttribute('data-value'),
    el.querySelector('.label')?.textContent,
    el.querySelector('.value')?.textContent,
    el.querySelector('.card-source')?.textContent ?? null,
  ]), copy);
}

test('default link: the copy shows the cards before the wasm, the live app takes over with the same numbers', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(context);
    const release = await holdWasm(context);
    const page = await openPage(context, null);
    // 'commit': the held wasm would hold the load event too.
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const c = document.getElementById('prerender');
      return c && getComputedStyle(c).display !== 'none';
    }, null, { timeout: 30000 });

    // What the copy shows, with no wasm at all.
    const pre = await cardsOf(page, true);
    assert.ok(pre.length >= 5, `expected the headline cards in the copy, got ${pre.length}`);
    for (const [id, value, label, text] of pre) {
      assert.ok(value !== '' && Number.isFinite(Number(value)), `copy card ${id}: data-value ${value} is not a number`);
      assert.ok(label && text && /\d/.test(text), `copy card ${id}: label "${label}", value "${text}"`);
    }
    // The source line (dataset, publisher) and the illustrative label, as in the live header.
    const preSource = await page.textContent('#prerender [data-testid="pre-dataset-line"] .source');
    assert.match(preSource, /^Nguồn: \S/);
    const badge = await page.textContent('#prerender [data-testid="pre-illustrative-label"]');
    assert.match(badge, /Dữ liệu minh họa/);
    assert.ok(await page.isVisible('#prerender [data-testid="pre-illustrative-label"]'), 'illustrative label visible');
    assert.ok(await page.isVisible('#prerender [data-testid="pre-dataset-line"]'), 'dataset source line visible');
    assert.equal(await page.textContent('#prerender > [role="status"]'), 'Đang tải…');
    assert.ok(await page.isVisible('#prerender > [role="status"]'), 'loading status visible');
    assert.equal(await page.getAttribute('#prerender .prerender-copy', 'inert'), '');
    // Not interactive yet: Tab never lands inside the copy.
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('#prerender')), false, 'focus entered the copy');
    // No live app yet, and no element id twice.
    assert.equal(await page.locator('[data-testid="app-ready"]').count(), 0);
    assert.equal(await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return ids.length - new Set(ids).size;
    }), 0, 'duplicate ids');

    // The wasm arrives: the live cards replace the copy.
    release();
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 60000 });
    const live = await cardsOf(page, false);
    assert.deepEqual(live, pre, 'the live cards show what the copy showed');
    assert.equal(await page.locator('#prerender').count(), 0, 'the copy is removed');
    assert.equal(await page.locator('header.app-header').count(), 1);
    assert.equal(await page.locator('[data-testid="kpis"]').count(), 1);
    assert.ok(await page.isVisible('[data-testid="kpis"]'), 'live cards visible');
    assert.ok(await page.isVisible('[data-testid="illustrative-label"]'), 'live illustrative label visible');
    assert.equal(await page.textContent('[data-testid="illustrative-label"]'), badge);
    assert.equal(await page.textContent('[data-testid="dataset-line"] .source'), preSource);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await page.evaluate(() => window.__frames);
    assert.ok(frames.copyShown > 0 && frames.liveShown > 0, JSON.stringify(frames));
    assert.equal(frames.emptyAfterCards, 0, `frames without cards between the copy and the live app: ${JSON.stringify(frames)}`);

    // The one set of cards follows the filters (folded on a phone: opened first).
    const before = await kpi(page, 'htx_count');
    await page.click('[data-testid="filters-toggle"]');
    await page.selectOption('[data-testid="region-select"]', 'tdmnpb');
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-testid="kpi-htx_count"]');
      return el && el.getAttribute('data-value') !== String(b);
    }, before, { timeout: 10000 });
    assert.ok((await kpi(page, 'htx_count')) < before, 'a region has fewer cooperatives than the whole dataset');
    assert.equal(await page.locator('[data-testid="kpis"]').count(), 1);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(page.errors, []);
  });
});

/** Holds every request for ECharts (vendor/) until `release()` is called. */
async function holdEcharts(context) {
  let release;
  const released = new Promise((r) => { release = r; });
  await context.route(/\/vendor\/echarts[^/]*\.js$/, async (route) => { await released; await route.continue(); });
  return release;
}

/** The box of an element in the page, rounded to the pixel. */
const boxOf = (page, sel) => exactBoxOf(page, sel).then((b) => b.map(Math.round));
/** The box of an element in the page, as laid out (fractions of a pixel kept). */
const exactBoxOf = (page, sel) => page.$eval(sel, (el) => {
  const r = el.getBoundingClientRect();
  return [r.x, r.y + window.scrollY, r.width, r.height];
});
/** Two boxes are the same to within layout rounding (half a pixel). */
function assertSameBox(actual, expected, message) {
  assert.ok(actual.every((v, i) => Math.abs(v - expected[i]) <= 0.5), `${message}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
}

test('default link: the map before the wasm is the app\'s own SVG, and the live map takes its place without a jump', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(context);
    const releaseWasm = await holdWasm(context);
    await holdEcharts(context); // never released: the map needs no ECharts
    const page = await openPage(context, null);
    await page.goto(url, { waitUntil: 'commit' });
    const copySvg = '#prerender svg[data-testid="pre-map-chart"]';
    await page.waitForFunction((sel) => {
      const svg = document.querySelector(sel);
      return svg && svg.getClientRects().length > 0 && svg.getBoundingClientRect().height > 100;
    }, copySvg, { timeout: 30000 });

    // The copy's map: every province a path with its fill, the archipelagos labelled, named by the title.
    const copyMap = await mapOf(page, copySvg);
    assert.ok(copyMap.paths.length >= 63, `a path per province: ${copyMap.paths.length}`);
    assert.equal(copyMap.viewBox, '0 0 768 1000', 'the whole country');
    assert.deepEqual(copyMap.labels, ['QĐ. Hoàng Sa', 'QĐ. Trường Sa']);
    const title = await page.textContent('#prerender [data-testid="pre-map-title"]');
    assert.ok(title.trim().length > 0, 'the map title is in the copy');
    assert.equal(copyMap.label, title, 'the map is named by its title');
    // The legend (its colours as SVG squares, no inline style), each colour on the map, and the source.
    const legend = await page.$$eval('#prerender [data-testid="pre-map-legend"] li', (lis) => lis.map((li) => [
      li.textContent, li.querySelector('.swatch rect')?.getAttribute('fill'),
    ]));
    assert.ok(legend.length >= 2, `legend entries: ${JSON.stringify(legend)}`);
    const fills = new Set(copyMap.paths.map(([, , fill]) => fill));
    for (const [text, fill] of legend) {
      assert.ok(text.trim() && /^rgb\(/.test(fill ?? ''), `legend entry "${text}" with colour ${fill}`);
      assert.ok(fills.has(rgbToHex(fill)), `the legend colour ${fill} is on the map`);
    }
    assert.ok(await page.isVisible('#prerender [data-testid="pre-map-legend"]'), 'legend visible');
    const source = await page.textContent('#prerender [data-testid="pre-map-source"]');
    assert.match(source, /^Nguồn: .*Dữ liệu minh họa/);
    assert.equal(await page.locator('#main [data-testid="map-chart"]').count(), 0, 'no live map yet');
    const copyBox = await exactBoxOf(page, copySvg);
    const copyCards = await exactBoxOf(page, '#prerender [data-testid="pre-kpis"]');

    // The wasm arrives (ECharts never does): the live app replaces the copy with the same map, in
    // the same place, and it is the only map.
    releaseWasm();
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 60000 });
    await page.waitForFunction(() => !document.getElementById('prerender'), null, { timeout: 30000 });
    const liveSvg = '#main svg[data-testid="map-chart"]';
    const liveMap = await mapOf(page, liveSvg);
    assert.equal(liveMap.viewBox, copyMap.viewBox, 'same view box');
    assert.equal(liveMap.paths.length, copyMap.paths.length, 'same number of paths');
    assert.deepEqual(liveMap.paths, copyMap.paths, 'the same provinces, shapes and fills');
    assert.deepEqual(liveMap.labels, copyMap.labels);
    // Where the copy's map was, give or take what the live page shows above the cards and the copy
    // cannot (the "data last refreshed" bar, with the time): the same shift as the cards.
    const shift = (await exactBoxOf(page, '#main [data-testid="kpis"]'))[1] - copyCards[1];
    assertSameBox(await exactBoxOf(page, liveSvg), [copyBox[0], copyBox[1] + shift, copyBox[2], copyBox[3]], 'the map keeps its place and size');
    assert.equal(await page.locator('svg[data-testid$="map-chart"]').count(), 1, 'exactly one map');
    assert.equal(await page.locator('img, canvas').count(), 0, 'no picture or canvas in the page');
    assert.equal(await page.textContent('[data-testid="map-title"]'), title);
    assert.deepEqual(await page.$$eval('[data-testid="map-legend"] li', (lis) => lis.map((li) => li.textContent)), legend.map(([t]) => t));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await page.evaluate(() => window.__frames);
    assert.ok(frames.copyMapShown > 0 && frames.liveMapShown > 0, JSON.stringify(frames));
    assert.equal(frames.noMapAfterCopyMap, 0, `frames without a map between the copy's and the live map: ${JSON.stringify(frames)}`);
    // Live and interactive with ECharts still held back: a province selects.
    await page.focus('#main path[data-code="19"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /[?&]p=19\b/.test(location.search), null, { timeout: 5000 });
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(page.errors, []);
  });
});

/** A map's view box, accessible name, archipelago labels and paths (code, d, fill), from the copy
 *  (`pre-` test ids) or the live page. */
function mapOf(page, sel) {
  return page.$eval(sel, (svg) => ({
    viewBox: svg.getAttribute('viewBox'),
    label: svg.getAttribute('aria-label'),
    labels: [...svg.querySelectorAll('[data-testid$="island-hs"], [data-testid$="island-ts"]')].map((t) => t.textContent),
    paths: [...svg.querySelectorAll('path.area')].map((p) => [p.getAttribute('data-code'), p.getAttribute('d'), p.getAttribute('fill')]),
  }));
}

test('the map needs no ECharts: with ECharts never arriving, the live map is drawn and follows a view change', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await holdEcharts(context); // never released
    // The app inserts the ECharts script as soon as it starts, which can be before the page's
    // `load` event: a held script then holds that event for ever.
    const page = await openPage(context, url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#main svg[data-testid="map-chart"] path.area', { timeout: 30000 });
    // Every province's name and value, as a screen reader reads them.
    const labels = () => page.$$eval('#main svg[data-testid="map-chart"] path.area', (ps) => ps.map((p) => p.getAttribute('aria-label')).join('|'));
    const before = await labels();
    assert.match(before, /Thái Nguyên: \d/);
    await page.selectOption('[data-testid="indicator-select"]', 'workers');
    await page.waitForFunction((b) => [...document.querySelectorAll('#main svg[data-testid="map-chart"] path.area')].map((p) => p.getAttribute('aria-label')).join('|') !== b, before, { timeout: 10000 });
    assert.match(await page.textContent('[data-testid="map-title"]'), /Lao động/);
    assert.match(await page.getAttribute('#main path[data-code="19"]', 'aria-label'), /^Thái Nguyên: /);
    assert.deepEqual(page.errors, []);
  });
});

/** `rgb(r, g, b)` (a computed colour) as `#rrggbb`, as the map's fills are written. */
function rgbToHex(rgb) {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(rgb);
  return m ? '#' + m.slice(1).map((n) => Number(n).toString(16).padStart(2, '0')).join('') : rgb;
}

test('before the lean first view runs, only the default view shows the copy: any other link never shows its numbers', { timeout: 180000 }, async () => {
  assert.ok(VIEW, 'the build has a default dataset');
  const other = [`?y=${VIEW.year - 1}`, '?l=en', '?k=htx', '?r=tdmnpb', '?embed=1', '?t=chart&k=htx', '?ld=abc',
    '?data=https%3A%2F%2Fexample.org%2Fd.json', `?d=${VIEW.dataset}&l=${VIEW.lang}&l=${VIEW.lang}`, '?t=chart&t=table'];
  const same = [`?d=${VIEW.dataset}&y=${VIEW.year}&l=${VIEW.lang}`, `?y=${VIEW.year}`, '?utm_source=zalo&fbclid=x'];
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext();
    await watch(context);
    // No wasm at all (neither the lean first view's nor the app's): what shows is decided by the
    // HTML, the CSS and the inline script alone. The lean, once it runs, writes a link's own
    // figures into the copy before showing it (checked by tests/e2e/budget.test.mjs). The wasm is
    // held, not refused: a refused one makes the page say it could not be loaded
    // (tests/e2e/loading.test.mjs); a held one keeps the loading state, as on a slow link.
    await holdWasm(context);
    const page = await context.newPage();
    for (const q of other) {
      await page.goto(url + q, { waitUntil: 'domcontentloaded' });
      await cssIn(page);
      await page.waitForTimeout(300);
      const f = await page.evaluate(() => window.__frames);
      assert.ok(f.frames > 0, `${q}: no frame painted`);
      assert.equal(f.copyShown, 0, `${q}: the pre-rendered numbers were on screen in ${f.copyShown} frame(s)`);
      assert.equal(await copyDisplayed(page), false, `${q}: copy displayed`);
      assert.equal(f.copyMapShown, 0, `${q}: the copy's map was on screen`);
      // Not a blank page while the wasm is on its way: a line says the app is loading.
      assert.equal(await page.isVisible('#boot'), true, `${q}: no loading line`);
      assert.match(await page.textContent('#boot'), /đang tải/);
    }
    for (const q of same) {
      await page.goto(url + q, { waitUntil: 'domcontentloaded' });
      await cssIn(page);
      assert.equal(await copyDisplayed(page), true, `${q} asks for the default view: the copy should show`);
      assert.equal(await page.isVisible('#boot'), false, `${q}: the copy has its own status; no second loading line`);
      await page.waitForFunction(() => window.__frames.copyMapShown > 0, null, { timeout: 10000 });
    }
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    await context.close();

    // With the wasm: the app removes the hidden copy at once (no second set of ids), and shows its
    // own view.
    const ctx2 = await browser.newContext();
    const p2 = await openPage(ctx2, url + '?l=en&r=tdmnpb');
    assert.equal(await p2.locator('#prerender').count(), 0, 'hidden copy left in the page');
    assert.equal(await p2.locator('#boot').count(), 0, 'the loading line outlived the app start');
    assert.equal(await p2.locator('[data-testid="kpis"]').count(), 1);
    assert.match(await p2.textContent('[data-testid="kpis"] h2'), /[A-Za-z]/);
    assert.deepEqual(p2.errors, []);
  });
});

test("a link to another tab, chart, indicator or classes: the copy's header, filters and cards, not its map", { timeout: 180000 }, async () => {
  assert.ok(VIEW, 'the build has a default dataset');
  // Keys of the tab area only (with or without the default d, y, l and tracking keys): the cards
  // are the default view's, the tab area is not.
  const panelOff = ['?t=chart', '?t=table&i=workers', '?i=income_avg&c=q5', `?d=${VIEW.dataset}&t=chart&ch=trend&utm_source=zalo`,
    '?t=sources&c=x:10~50'];
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(context);
    await holdWasm(context); // the loading state, as on a slow link (see the test above)
    const page = await context.newPage();
    let first = null;
    for (const q of panelOff) {
      // As soon as the HTML and the stylesheet are in: the copy shows from them alone.
      await page.goto(url + q, { waitUntil: 'domcontentloaded' });
      await cssIn(page);
      await page.waitForTimeout(300);
      assert.equal(await copyDisplayed(page), true, `${q}: the copy should show`);
      const cards = await cardsOf(page, true);
      assert.ok(cards.length >= 5 && await page.isVisible('#prerender [data-testid="pre-kpis"]'), `${q}: cards visible`);
      if (first) assert.deepEqual(cards, first, `${q}: the same cards as the other links`);
      first = cards;
      // The filter panel, folded on a phone as the live app shows it.
      assert.ok(await page.isVisible('#prerender [data-testid="pre-filters-toggle"]'), `${q}: filters visible`);
      assert.equal(await page.isVisible('#prerender [data-testid="pre-region-select"]'), false, `${q}: filters unfolded on a phone`);
      // The copy's tab area is the default map: hidden.
      assert.equal(await page.isVisible('#prerender [data-testid="pre-tab-map"]'), false, `${q}: the copy's tabs are visible`);
      assert.equal(await page.isVisible('#prerender [data-testid="pre-map-title"]'), false, `${q}: the copy's map panel is visible`);
      assert.equal(await page.isVisible('#prerender svg[data-testid="pre-map-chart"]'), false, `${q}: the copy's map is visible`);
      assert.ok(await page.isVisible('#prerender > [role="status"]'), `${q}: no loading status`);
      assert.equal(await page.isVisible('#boot'), false, `${q}: a second loading line`);
    }
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    await context.close();

    // The wasm arrives on a link to the Chart tab: the live cards take over with the same numbers,
    // with no frame without cards, on the Chart tab, and the copy's map never shows.
    const ctx2 = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(ctx2);
    const release = await holdWasm(ctx2);
    const p2 = await openPage(ctx2, null);
    await p2.goto(url + '?t=chart', { waitUntil: 'commit' });
    await p2.waitForFunction(() => {
      const c = document.getElementById('prerender');
      return c && getComputedStyle(c).display !== 'none';
    }, null, { timeout: 30000 });
    const pre = await cardsOf(p2, true);
    assert.deepEqual(pre, first);
    release();
    await p2.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 60000 });
    assert.deepEqual(await cardsOf(p2, false), pre, 'the live cards show what the copy showed');
    assert.equal(await p2.locator('#prerender').count(), 0, 'the copy is removed');
    assert.equal(await p2.getAttribute('[data-testid="tab-chart"]', 'aria-selected'), 'true', 'the Chart tab is open');
    await p2.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await p2.evaluate(() => window.__frames);
    assert.ok(frames.copyShown > 0 && frames.liveShown > 0, JSON.stringify(frames));
    assert.equal(frames.emptyAfterCards, 0, `frames without cards between the copy and the live app: ${JSON.stringify(frames)}`);
    assert.equal(frames.copyMapShown, 0, 'the copy\'s map was on screen');
    assert.deepEqual(await p2.evaluate(() => window.__csp), []);
    assert.deepEqual(p2.errors, []);
  });
});

test('repeat visit with the network cut: the copy from the worker cache, then the live cards', { timeout: 180000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext();
    await watch(context);
    const page = await openPage(context, url);
    const online = await cardsOf(page, false);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 90000 });
    await context.setOffline(true);

    // The worker answers every request (a route cannot hold the wasm back here): the copy shows
    // first, from the cached index.html, and the watcher keeps what it showed.
    // (When the app does not start offline, say what the page had: its errors, the worker, the
    // text on screen. Seen once in four full runs, not reproduced since.)
    const p2 = await openPage(context, url, { waitFor: null });
    try {
      await p2.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
    } catch (e) {
      const state = await p2.evaluate(() => ({
        controller: !!navigator.serviceWorker?.controller,
        text: document.body?.innerText.slice(0, 300),
        scripts: [...document.scripts].map((x) => x.src).filter(Boolean),
      })).catch((err) => String(err));
      throw new Error(`the app did not start offline: ${e.message}\nerrors: ${JSON.stringify(p2.errors)}\npage: ${JSON.stringify(state)}`);
    }
    assert.deepEqual(await cardsOf(p2, false), online);
    assert.equal(await p2.locator('#prerender').count(), 0);
    await p2.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await p2.evaluate(() => window.__frames);
    assert.ok(frames.copyShown > 0, `the copy never showed offline: ${JSON.stringify(frames)}`);
    assert.ok(frames.copyMapShown > 0, `the copy's map never showed offline: ${JSON.stringify(frames)}`);
    assert.equal(frames.noMapAfterCopyMap, 0, JSON.stringify(frames));
    assert.deepEqual(frames.copyCards, online, 'offline copy shows the figures seen online');
    assert.equal(frames.emptyAfterCards, 0, JSON.stringify(frames));
    assert.deepEqual(await p2.evaluate(() => window.__csp), []);
  });
});

test('the copy is deterministic: taking it again from the finished build changes no byte', { timeout: 180000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coop-prerender-'));
  try {
    const again = join(dir, 'dist');
    cpSync(DIST, again, { recursive: true });
    execFileSync('node', [join(ROOT, 'scripts/prerender.mjs'), again], { stdio: 'pipe' });
    execFileSync('node', [join(ROOT, 'scripts/postbuild.mjs'), again], { stdio: 'pipe' });
    const a = readFileSync(join(DIST, 'index.html'), 'utf8');
    const b = readFileSync(join(again, 'index.html'), 'utf8');
    assert.ok(a.includes('<div id="prerender" hidden>'), 'dist/index.html carries the copy');
    assert.equal(b, a);
    // The map is in index.html itself: no picture file beside it.
    assert.deepEqual(readdirSync(DIST).filter((f) => /^prerender-map-/.test(f)), []);
    assert.ok(a.includes('data-testid="pre-map-chart"'), 'index.html carries the map');
    assert.equal(readFileSync(join(again, 'sw.js'), 'utf8'), readFileSync(join(DIST, 'sw.js'), 'utf8'), 'same worker version');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the English first view for the lean first view: a template after the copy, the live app\'s English view', { timeout: 120000 }, async () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  // Inside the copy's block (a rerun replaces it), right after the copy, with the English status.
  const block = /<!--prerender--><div id="prerender" hidden>[\s\S]*?<\/div><template id="prerender-en" data-status="([^"]+)">([\s\S]*?)<\/template><!--\/prerender-->/.exec(html);
  assert.ok(block, 'index.html carries the copy then the English template in the prerender block');
  assert.equal(block[1], 'Loading…');
  assert.ok(!/\sid="(?!pre-)/.test(block[2]) && !/data-testid="(?!pre-)/.test(block[2]), 'every id and test id of the template is prefixed');
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await openPage(context, url + '?l=en');
    // The template is inert markup: none of its ids is in the document.
    assert.equal(await page.evaluate(() => document.querySelectorAll('[id^="pre-"], [data-testid^="pre-"]').length), 0);
    // The app removes the template when it takes over (nobody shows it then): it is read from
    // index.html's markup, parsed the way the page parses it.
    assert.equal(await page.evaluate(() => !!document.getElementById('prerender-en')), false, 'the template outlived the takeover');
    const fromTemplate = await page.evaluate((markup) => {
      const t = document.createElement('template');
      t.innerHTML = markup;
      const root = t.content;
      if (!root.firstElementChild) return null;
      return {
        cards: [...root.querySelectorAll('[data-testid^="pre-kpi-"]')].map((el) => [
          el.getAttribute('data-testid').replace(/^pre-kpi-/, ''), el.getAttribute('data-value'),
          el.querySelector('.label')?.textContent, el.querySelector('.value')?.textContent,
          el.querySelector('.card-source')?.textContent ?? null,
        ]),
        paths: [...root.querySelectorAll('svg[data-testid="pre-map-chart"] path.area')].map((p) => [p.getAttribute('data-code'), p.getAttribute('d'), p.getAttribute('fill')]),
        title: root.querySelector('[data-testid="pre-map-title"]')?.textContent,
        source: root.querySelector('[data-testid="pre-dataset-line"] .source')?.textContent,
      };
    }, block[2]);
    assert.ok(fromTemplate, 'the template has markup');
    assert.ok(fromTemplate.cards.length >= 5, `cards in the template: ${fromTemplate.cards.length}`);
    assert.deepEqual(await cardsOf(page, false), fromTemplate.cards, 'the template shows the live app\'s English cards');
    assert.match(fromTemplate.source, /^Source: \S/);
    assert.equal(await page.textContent('[data-testid="map-title"]'), fromTemplate.title);
    await page.waitForFunction(() => document.querySelector('#main svg[data-testid="map-chart"] path.area'), null, { timeout: 30000 });
    assert.deepEqual((await mapOf(page, '#main svg[data-testid="map-chart"]')).paths, fromTemplate.paths, 'the same map');
    assert.deepEqual(page.errors, []);
    await context.close();
  });
});
