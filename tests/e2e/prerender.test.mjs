// The pre-rendered first view (issue 6; scripts/prerender.mjs, postbuild step 3, src/ui/web.rs
// `retire_prerender`), in real Chromium against the release build (dist/):
//  - with the wasm held back, the default link shows the copy: cards with numbers, their sources,
//    the illustrative label, a "loading" status, nothing focusable; once the wasm is in, the live
//    cards show the same numbers and texts, the copy is gone, no frame was without cards, exactly one
//    set of cards remains and it follows a filter change;
//  - a link to any other view never shows the copy, not even for a frame, and the app removes it;
//  - with the wasm and ECharts held back, the default link shows the map panel too: the picture of
//    the map (loaded, alt text, the Hoàng Sa / Trường Sa labels the app draws, the live chart's box),
//    its legend and source; when the wasm arrives the picture stands in over the live panel until
//    ECharts draws, then exactly one map remains (the live one), never a frame without a map;
//  - a repeat visit with the network cut shows the copy from the worker's cache, then the live cards;
//  - no Content-Security-Policy violation;
//  - the copy is deterministic: taking it again from the finished build gives the same index.html.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, serve, launch, openPage, kpi } from './harness.mjs';
import { defaultView, shrinkSvg } from '../../scripts/prerender.mjs';

// COOP_DIST: test another build directory (default dist/).
const DIST = process.env.COOP_DIST || join(ROOT, 'dist');
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
      pictureShown: 0, liveMapShown: 0, noMapAfterPicture: 0 };
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
      // The map's picture (in the copy, or over the live chart until it draws) and the live map.
      const pic = document.getElementById('pre-map-picture');
      const picOn = !!pic && pic.complete && pic.naturalWidth > 0 && pic.getClientRects().length > 0;
      const el = document.querySelector('#main [data-testid="map-chart"]');
      const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
      const opt = inst && inst.getOption();
      const liveMapOn = !!(opt && (opt.series || []).some((s) => s.type === 'map' && (s.data || []).length > 0));
      if (picOn) w.pictureShown++;
      if (liveMapOn) w.liveMapShown++;
      if (w.pictureShown && !picOn && !liveMapOn) w.noMapAfterPicture++;
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
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(context);
    const release = await holdWasm(context);
    const page = await openPage(context, null);
    // 'commit': the held wasm would hold the load event too.
    await page.goto(srv.url, { waitUntil: 'commit' });
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
  } finally {
    await browser.close();
    srv.stop();
  }
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

test('default link: the map picture before the wasm and ECharts, replaced by the one live map', { timeout: 120000 }, async () => {
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(context);
    const releaseWasm = await holdWasm(context);
    const releaseEcharts = await holdEcharts(context);
    const page = await openPage(context, null);
    await page.goto(srv.url, { waitUntil: 'commit' });
    const pic = '#prerender [data-testid="pre-map-picture"]';
    await page.waitForFunction((sel) => {
      const img = document.querySelector(sel);
      return img && img.complete && img.naturalWidth > 0 && img.getClientRects().length > 0;
    }, pic, { timeout: 30000 });

    // The picture: a file of the build, loaded, with the size of the live chart and an alt text.
    const img = await page.$eval(pic, (el) => ({
      src: el.getAttribute('src'), alt: el.alt, w: el.naturalWidth, h: el.naturalHeight,
      width: el.getAttribute('width'), height: el.getAttribute('height'), tag: el.tagName,
    }));
    assert.equal(img.tag, 'IMG');
    assert.match(img.src, /^prerender-map-[0-9a-f]{16}\.svg$/);
    assert.ok(img.w > 0 && img.h > 0, `natural size ${img.w}×${img.h}`);
    assert.equal(`${img.w}×${img.h}`, `${img.width}×${img.height}`, 'the SVG is drawn at the size the <img> declares');
    const title = await page.textContent('#prerender [data-testid="pre-map-title"]');
    assert.ok(title.trim().length > 0, 'the map title is in the copy');
    assert.equal(img.alt, title, 'alt text: the map title, as the live chart\'s aria-label');
    const svg = await page.evaluate((src) => fetch(src).then((r) => r.text()), img.src);
    assert.match(svg, /^<svg [^>]*width="\d+" height="\d+"/);
    assert.match(svg, />QĐ\. Hoàng Sa</, 'the Hoàng Sa label is drawn');
    assert.match(svg, />QĐ\. Trường Sa</, 'the Trường Sa label is drawn');
    assert.ok((svg.match(/<path /g) || []).length >= 63, 'a path per province');
    // The legend (its colours as SVG squares, no inline style) and the source with the label.
    const legend = await page.$$eval('#prerender [data-testid="pre-map-legend"] li', (lis) => lis.map((li) => [
      li.textContent, li.querySelector('.swatch rect')?.getAttribute('fill'),
    ]));
    assert.ok(legend.length >= 2, `legend entries: ${JSON.stringify(legend)}`);
    for (const [text, fill] of legend) {
      assert.ok(text.trim() && /^rgb\(/.test(fill ?? ''), `legend entry "${text}" with colour ${fill}`);
      assert.ok(svg.includes(`fill="${rgbToHex(fill)}"`), `the legend colour ${fill} is on the map`);
    }
    assert.ok(await page.isVisible('#prerender [data-testid="pre-map-legend"]'), 'legend visible');
    const source = await page.textContent('#prerender [data-testid="pre-map-source"]');
    assert.match(source, /^Nguồn: .*Dữ liệu minh họa/);
    assert.equal(await page.locator('[data-testid="map-chart"]').count(), 0, 'no live map yet');
    const copyBox = await exactBoxOf(page, pic);
    const copyCards = await exactBoxOf(page, '#prerender [data-testid="pre-kpis"]');

    // The wasm arrives, ECharts does not: the live cards take over, the picture stands in over the
    // live chart, in the same box, with the live legend.
    releaseWasm();
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 60000 });
    assert.equal(await page.locator('#prerender').count(), 0, 'the copy is removed');
    const moved = '#main [data-testid="map-chart"] ~ [data-testid="pre-map-picture"]';
    assert.equal(await page.locator(moved).count(), 1, 'the picture stands in for the live map');
    assert.equal(await page.getAttribute(moved, 'aria-hidden'), 'true', 'one image for screen readers: the live chart');
    assert.ok(await page.isVisible(moved));
    // Where the copy's panel was, give or take what the live page shows above the cards and the copy
    // cannot (the "data last refreshed" bar, with the time): the same shift as the cards. Compared
    // unrounded: a shift of a fraction of a pixel rounds differently at the cards and the picture.
    const shift = (await exactBoxOf(page, '#main [data-testid="kpis"]'))[1] - copyCards[1];
    assertSameBox(await exactBoxOf(page, moved), [copyBox[0], copyBox[1] + shift, copyBox[2], copyBox[3]], 'the picture keeps its place in the panel');
    assert.deepEqual(await boxOf(page, '#main [data-testid="map-chart"]'), await boxOf(page, moved), 'the live chart has the picture\'s box');
    assert.equal(await page.textContent('[data-testid="map-title"]'), title);
    assert.deepEqual(await page.$$eval('[data-testid="map-legend"] li', (lis) => lis.map((li) => li.textContent)), legend.map(([t]) => t));

    // ECharts arrives: the live map is drawn and the picture is gone; one map.
    releaseEcharts();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="map-chart"]');
      const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
      const opt = inst && inst.getOption();
      return !!(opt && (opt.series || []).some((s) => s.type === 'map' && (s.data || []).length > 0));
    }, null, { timeout: 60000, polling: 'raf' });
    assert.equal(await page.locator('[data-testid="pre-map-picture"], .chart-picture').count(), 0, 'the picture is gone');
    assert.equal(await page.locator('[data-testid="map-chart"] canvas').count(), 1, 'exactly one (live) map');
    assert.equal(await page.locator('img, canvas').count(), 1, 'no other picture or canvas in the page');
    // The labels the live map draws are those of the picture.
    const labels = await page.evaluate(() => {
      const inst = globalThis.echarts.getInstanceByDom(document.querySelector('[data-testid="map-chart"]'));
      return inst.getOption().series.flatMap((s) => (s.data || []).filter((d) => d.label && d.label.show).map((d) => d.label.formatter));
    });
    assert.deepEqual(labels.sort(), ['QĐ. Hoàng Sa', 'QĐ. Trường Sa']);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await page.evaluate(() => window.__frames);
    assert.ok(frames.pictureShown > 0 && frames.liveMapShown > 0, JSON.stringify(frames));
    assert.equal(frames.noMapAfterPicture, 0, `frames without a map between the picture and the live map: ${JSON.stringify(frames)}`);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    srv.stop();
  }
});

test('a view change before the live map is drawn drops the picture (it shows the default view)', { timeout: 120000 }, async () => {
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await holdEcharts(context); // never released: the live map is never drawn
    // The app inserts the ECharts script as soon as it starts, which can be before the page's
    // `load` event: a held script then holds that event for ever.
    const page = await openPage(context, srv.url, { waitUntil: 'domcontentloaded' });
    const moved = '#main [data-testid="pre-map-picture"]';
    await page.waitForSelector(moved, { timeout: 30000 });
    await page.selectOption('[data-testid="indicator-select"]', 'workers');
    await page.waitForFunction(() => !document.querySelector('[data-testid="pre-map-picture"]'), null, { timeout: 10000 });
    assert.match(await page.textContent('[data-testid="map-title"]'), /Lao động/);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    srv.stop();
  }
});

/** `rgb(r, g, b)` as ECharts writes the colour in SVG (`#rrggbb`). */
function rgbToHex(rgb) {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(rgb);
  return m ? '#' + m.slice(1).map((n) => Number(n).toString(16).padStart(2, '0')).join('') : rgb;
}

test('only the default view shows the copy: any other link never shows its numbers', { timeout: 180000 }, async () => {
  assert.ok(VIEW, 'the build has a default dataset');
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  const other = [`?y=${VIEW.year - 1}`, '?l=en', '?k=htx', '?r=tdmnpb', '?embed=1', '?t=chart&k=htx', '?ld=abc',
    '?data=https%3A%2F%2Fexample.org%2Fd.json', `?d=${VIEW.dataset}&l=${VIEW.lang}&l=${VIEW.lang}`, '?t=chart&t=table'];
  const same = [`?d=${VIEW.dataset}&y=${VIEW.year}&l=${VIEW.lang}`, `?y=${VIEW.year}`, '?utm_source=zalo&fbclid=x'];
  try {
    const context = await browser.newContext();
    await watch(context);
    // No wasm at all: what shows is decided by the HTML, the CSS and the inline script alone. The
    // wasm is held, not refused: a refused one makes the page say it could not be loaded
    // (tests/e2e/loading.test.mjs); a held one keeps the loading state, as on a slow link.
    await holdWasm(context);
    const page = await context.newPage();
    const pictureRequests = [];
    page.on('request', (r) => { if (/prerender-map-[0-9a-f]+\.svg/.test(r.url())) pictureRequests.push(r.url()); });
    for (const q of other) {
      // 'domcontentloaded': the held wasm (preloaded by the page) holds the load event too.
      await page.goto(srv.url + q, { waitUntil: 'domcontentloaded' });
      await page.waitForTimeout(300);
      const f = await page.evaluate(() => window.__frames);
      assert.ok(f.frames > 0, `${q}: no frame painted`);
      assert.equal(f.copyShown, 0, `${q}: the pre-rendered numbers were on screen in ${f.copyShown} frame(s)`);
      assert.equal(await copyDisplayed(page), false, `${q}: copy displayed`);
      assert.equal(f.pictureShown, 0, `${q}: the map picture was on screen`);
      assert.deepEqual(pictureRequests, [], `${q}: the hidden picture was downloaded`);
      // Not a blank page while the wasm is on its way: a line says the app is loading.
      assert.equal(await page.isVisible('#boot'), true, `${q}: no loading line`);
      assert.match(await page.textContent('#boot'), /đang tải/);
    }
    for (const q of same) {
      await page.goto(srv.url + q, { waitUntil: 'domcontentloaded' });
      assert.equal(await copyDisplayed(page), true, `${q} asks for the default view: the copy should show`);
      assert.equal(await page.isVisible('#boot'), false, `${q}: the copy has its own status; no second loading line`);
      await page.waitForFunction(() => document.getElementById('pre-map-picture')?.naturalWidth > 0, null, { timeout: 10000 });
    }
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    await context.close();

    // With the wasm: the app removes the hidden copy at once (no second set of ids), and shows its
    // own view.
    const ctx2 = await browser.newContext();
    const p2 = await openPage(ctx2, srv.url + '?l=en&r=tdmnpb');
    assert.equal(await p2.locator('#prerender').count(), 0, 'hidden copy left in the page');
    assert.equal(await p2.locator('#boot').count(), 0, 'the loading line outlived the app start');
    assert.equal(await p2.locator('[data-testid="kpis"]').count(), 1);
    assert.match(await p2.textContent('[data-testid="kpis"] h2'), /[A-Za-z]/);
    assert.deepEqual(p2.errors, []);
  } finally {
    await browser.close();
    srv.stop();
  }
});

test("a link to another tab, chart, indicator or classes: the copy's header, filters and cards, not its map", { timeout: 180000 }, async () => {
  assert.ok(VIEW, 'the build has a default dataset');
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  // Keys of the tab area only (with or without the default d, y, l and tracking keys): the cards
  // are the default view's, the tab area is not.
  const panelOff = ['?t=chart', '?t=table&i=workers', '?i=income_avg&c=q5', `?d=${VIEW.dataset}&t=chart&ch=trend&utm_source=zalo`,
    '?t=sources&c=x:10~50'];
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(context);
    await holdWasm(context); // the loading state, as on a slow link (see the test above)
    const page = await context.newPage();
    const pictureRequests = [];
    page.on('request', (r) => { if (/prerender-map-[0-9a-f]+\.svg/.test(r.url())) pictureRequests.push(r.url()); });
    let first = null;
    for (const q of panelOff) {
      // 'domcontentloaded': the held wasm (preloaded by the page) holds the load event too.
      await page.goto(srv.url + q, { waitUntil: 'domcontentloaded' });
      await page.waitForTimeout(300);
      assert.equal(await copyDisplayed(page), true, `${q}: the copy should show`);
      const cards = await cardsOf(page, true);
      assert.ok(cards.length >= 5 && await page.isVisible('#prerender [data-testid="pre-kpis"]'), `${q}: cards visible`);
      if (first) assert.deepEqual(cards, first, `${q}: the same cards as the other links`);
      first = cards;
      // The filter panel, folded on a phone as the live app shows it.
      assert.ok(await page.isVisible('#prerender [data-testid="pre-filters-toggle"]'), `${q}: filters visible`);
      assert.equal(await page.isVisible('#prerender [data-testid="pre-region-select"]'), false, `${q}: filters unfolded on a phone`);
      // The copy's tab area is the default map: hidden, and its picture never requested.
      assert.equal(await page.isVisible('#prerender [data-testid="pre-tab-map"]'), false, `${q}: the copy's tabs are visible`);
      assert.equal(await page.isVisible('#prerender [data-testid="pre-map-title"]'), false, `${q}: the copy's map panel is visible`);
      assert.equal(await page.getAttribute('#pre-map-picture', 'src'), null, `${q}: the picture got a src`);
      assert.ok(await page.isVisible('#prerender > [role="status"]'), `${q}: no loading status`);
      assert.equal(await page.isVisible('#boot'), false, `${q}: a second loading line`);
    }
    assert.deepEqual(pictureRequests, [], 'the hidden picture was downloaded');
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    await context.close();

    // The wasm arrives on a link to the Chart tab: the live cards take over with the same numbers,
    // with no frame without cards, on the Chart tab, and the picture never enters the live page.
    const ctx2 = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(ctx2);
    const release = await holdWasm(ctx2);
    const p2 = await openPage(ctx2, null);
    await p2.goto(srv.url + '?t=chart', { waitUntil: 'commit' });
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
    assert.equal(await p2.locator('#pre-map-picture, #main .chart-picture').count(), 0, 'the map picture entered the live page');
    await p2.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await p2.evaluate(() => window.__frames);
    assert.ok(frames.copyShown > 0 && frames.liveShown > 0, JSON.stringify(frames));
    assert.equal(frames.emptyAfterCards, 0, `frames without cards between the copy and the live app: ${JSON.stringify(frames)}`);
    assert.equal(frames.pictureShown, 0, 'the map picture was on screen');
    assert.deepEqual(await p2.evaluate(() => window.__csp), []);
    assert.deepEqual(p2.errors, []);
  } finally {
    await browser.close();
    srv.stop();
  }
});

test('repeat visit with the network cut: the copy from the worker cache, then the live cards', { timeout: 180000 }, async () => {
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  try {
    const context = await browser.newContext();
    await watch(context);
    const page = await openPage(context, srv.url);
    const online = await cardsOf(page, false);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 90000 });
    await context.setOffline(true);

    // The worker answers every request (a route cannot hold the wasm back here): the copy shows
    // first, from the cached index.html, and the watcher keeps what it showed.
    // (When the app does not start offline, say what the page had: its errors, the worker, the
    // text on screen. Seen once in four full runs, not reproduced since.)
    const p2 = await openPage(context, srv.url, { waitFor: null });
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
    assert.ok(frames.pictureShown > 0, `the map picture never showed offline: ${JSON.stringify(frames)}`);
    assert.equal(frames.noMapAfterPicture, 0, JSON.stringify(frames));
    assert.deepEqual(frames.copyCards, online, 'offline copy shows the figures seen online');
    assert.equal(frames.emptyAfterCards, 0, JSON.stringify(frames));
    assert.deepEqual(await p2.evaluate(() => window.__csp), []);
  } finally {
    await browser.close();
    srv.stop();
  }
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
    // The same picture, under the same name, and the only one (an earlier run's is removed).
    const pictures = (d) => readdirSync(d).filter((f) => /^prerender-map-/.test(f)).sort();
    assert.deepEqual(pictures(again), pictures(DIST));
    assert.equal(pictures(DIST).filter((f) => f.endsWith('.svg')).length, 1);
    const svg = pictures(DIST).find((f) => f.endsWith('.svg'));
    assert.ok(a.includes(`src="${svg}"`), 'index.html shows the picture');
    assert.ok(readFileSync(join(DIST, svg)).equals(readFileSync(join(again, svg))));
    assert.ok(readFileSync(join(DIST, 'sw.js'), 'utf8').includes(`"${svg}"`), 'the worker precaches the picture');
    assert.equal(readFileSync(join(again, 'sw.js'), 'utf8'), readFileSync(join(DIST, 'sw.js'), 'utf8'), 'same worker version');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The absolute vertices of each subpath of an SVG path of M/L/Z commands (absolute or relative). */
function subpaths(d) {
  const tokens = d.match(/[MLZmlz]|-?(?:\d+\.?\d*|\.\d+)/g);
  const out = [];
  let x = 0, y = 0, cmd = null, cur = null;
  for (let i = 0; i < tokens.length;) {
    if (/[Zz]/.test(tokens[i])) { [x, y] = cur[0]; i++; continue; }
    if (/[MLml]/.test(tokens[i])) cmd = tokens[i++];
    const nx = Number(tokens[i]), ny = Number(tokens[i + 1]);
    i += 2;
    const rel = cmd === 'm' || cmd === 'l';
    x = rel ? x + nx : nx;
    y = rel ? y + ny : ny;
    if (cmd === 'M' || cmd === 'm') { cur = []; out.push(cur); cmd = cmd === 'm' ? 'l' : 'L'; }
    cur.push([x, y]);
  }
  return out;
}

/** Distance from a point to a closed polygon's outline. */
function distanceToRing([px, py], ring) {
  let best = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[(i + 1) % ring.length];
    const dx = bx - ax, dy = by - ay;
    const t = dx || dy ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy))) : 0;
    best = Math.min(best, Math.hypot(px - (ax + t * dx), py - (ay + t * dy)));
  }
  return best;
}

test('shrinkSvg: outlines stay within 0.2 px (plus rounding), what an <img> never uses is dropped', () => {
  // A wiggly ring (many sub-pixel steps, one real corner) and a second, tiny ring, as ECharts writes them.
  const ring = [];
  for (let i = 0; i <= 200; i++) ring.push([10 + i * 0.37, 20 + 0.08 * Math.sin(i * 1.7) + (i > 120 ? (i - 120) * 0.9 : 0)]);
  ring.push([10, 120]);
  const d = 'M' + ring.map(([x, y]) => `${x.toFixed(4)} ${y.toFixed(4)}`).join('L') + 'ZM200.1234 10.5678L200.4 10.9L200.1 11.2Z';
  const svg = '<svg width="366" height="360" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" baseProfile="full" viewBox="0 0 366 360">\n' +
    '<rect width="366" height="360" x="0" y="0" fill="none"></rect>\n' +
    `<path d="${d}" fill="#e3e6e5" stroke="#ffffff" stroke-width="0.6" ecmeta_series_index="0" ecmeta_data_index="0" class="zr0-cls-0"></path>\n` +
    '<path d="M0 0C1.2345 2.3456 3 4 5.6789 6" fill="none"></path>\n' +
    '<text transform="translate(274.51234 152.16789)" fill="#1d2a26">QĐ. Hoàng Sa</text>\n' +
    '<style ><![CDATA[.zr0-cls-0:hover {cursor:pointer;fill:#ffd166;}]]></style>\n</svg>';
  const out = shrinkSvg(svg);
  assert.doesNotMatch(out, /ecmeta_|zr0-cls|:hover|fill="none"><\/rect>|xmlns:xlink|baseProfile|\n/);
  assert.match(out, /<svg width="366" height="360" xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 366 360">/);
  assert.match(out, /<text transform="translate\(274\.51 152\.17\)" fill="#1d2a26">QĐ\. Hoàng Sa<\/text>/);
  assert.match(out, / d="M0 0C1\.2 2\.3 3 4 5\.7 6"/, 'a curve keeps its commands, numbers rounded');
  const shrunk = subpaths(/<path d="([^"]*)" fill="#e3e6e5"/.exec(out)[1]);
  const original = subpaths(d);
  assert.equal(shrunk.length, 2, 'both rings kept');
  assert.ok(shrunk[0].length < original[0].length / 4, `${original[0].length} → ${shrunk[0].length} points`);
  original.forEach((r, k) => r.forEach((p) => {
    const dist = distanceToRing(p, shrunk[k]);
    assert.ok(dist <= 0.2 + 0.071, `point ${p} is ${dist.toFixed(3)} px off the shrunk outline`);
  }));
  // The corner at i = 120 survives.
  assert.ok(shrunk[0].some(([x, y]) => Math.abs(x - (10 + 120 * 0.37)) < 0.5 && Math.abs(y - 20) < 0.2), 'the corner is kept');
  // Idempotent on its own output.
  assert.equal(shrinkSvg(out), out);
});
