// The framework-free first view (issue 13, design 4: src/lean.rs, bin coop-atlas-first), in real
// Chromium against the release build. The Leptos app is held back (its JS glue never answered) to
// see the first view on its own, as a phone on 3G sees it for seconds:
//  - on shared links it shows the link's own figures, chips, filters, map and table — the same
//    markup the Leptos app renders for the same link (compared element for element, after the
//    copy's `pre-` prefixes and form state are normalised), so the takeover does not jump;
//  - it answers the filters, the chips, the map's provinces (click, Enter, arrows, tooltip), the
//    tabs Map/Table, the boundary version, the year (fetching it) and the language, and keeps the
//    address bar equal to the view;
//  - once the app arrives it takes over the view the reader has now, with the focus carried over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite } from './harness.mjs';

const site = useSite();
const APP = /\/coop-atlas-web-[0-9a-f]+(\.js|_bg\.wasm)$/;

/** A page whose Leptos app is held until `release()` (never, if not called). Records errors. */
async function leanPage(link, { hold = true, shapes = false } = {}) {
  const context = await site.browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  let release;
  const released = new Promise((r) => { release = r; });
  if (hold) {
    await context.route(APP, async (route) => { await released; return route.continue(); });
  }
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  // The map's shapes come after the lean responds (the zoom, the 34-province map): `shapes` waits
  // for them, and for the map drawn with them.
  const geo = shapes ? page.waitForResponse(/\/geo\/vn(63|34)-svg\.tsv$/, { timeout: 30000 }) : null;
  await page.goto(site.url + link, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.documentElement.classList.contains('first-live'), null, { timeout: 30000 });
  if (geo) {
    await geo;
    // Read, parsed and drawn in the task its response ends (src/lean.rs `load_once`).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
    assert.equal(await page.getAttribute('#prerender svg[data-testid="pre-map-chart"]', 'visibility'), null, 'the map shown');
  }
  return { context, page, release };
}

/**
 * The first view's parts as normalised markup, from the copy (`pre` = 'pre-') or from the live
 * app (''): header, filter panel, chip row, cards, tab area. Form state is written as attributes,
 * ids and test ids lose the copy's prefix, comments, the tooltip and inline styles go, legend
 * swatches become their colour, attributes are sorted.
 */
function parts([pre]) {
  const root = pre ? document.querySelector('#prerender .prerender-copy') : document;
  const pick = {
    header: pre ? root.querySelector('header.app-header') : document.querySelector('body > header.app-header'),
    filters: root.querySelector('#' + pre + 'main section.filters'),
    chips: root.querySelector(`[data-testid="${pre}chips"]`),
    cards: root.querySelector(`[data-testid="${pre}kpis"]`),
    // Absent from both when the view has nothing to explain.
    explanations: root.querySelector(`[data-testid="${pre}explanations"]`),
    tabs: root.querySelector('#' + pre + 'main .tabs'),
  };
  const hex = (c) => {
    const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(c);
    return m ? '#' + m.slice(1).map((x) => Number(x).toString(16).padStart(2, '0')).join('') : c;
  };
  const out = {};
  for (const [name, el] of Object.entries(pick)) {
    if (!el) { out[name] = null; continue; }
    const copy = el.cloneNode(true);
    const a = [...el.querySelectorAll('input, select, option')];
    const b = [...copy.querySelectorAll('input, select, option')];
    a.forEach((x, i) => {
      const c = b[i];
      if (x.tagName === 'INPUT') {
        if (x.type === 'checkbox' || x.type === 'radio') c.toggleAttribute('checked', x.checked);
        else if (x.type !== 'file') c.setAttribute('value', x.value);
      } else if (x.tagName === 'OPTION') c.toggleAttribute('selected', x.selected);
    });
    const liveSwatches = [...el.querySelectorAll('.legend .swatch')];
    [...copy.querySelectorAll('.legend .swatch')].forEach((sw, i) => {
      const rect = sw.querySelector('rect');
      const color = rect ? rect.getAttribute('fill') : liveSwatches[i].style.backgroundColor;
      sw.removeAttribute('style');
      sw.innerHTML = `<i>${hex(color)}</i>`;
    });
    copy.querySelectorAll('.map-tip').forEach((t) => t.remove());
    const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
    const comments = [];
    while (walker.nextNode()) comments.push(walker.currentNode);
    comments.forEach((c) => c.remove());
    for (const x of [copy, ...copy.querySelectorAll('*')]) {
      const attrs = [...x.attributes].map((at) => [at.name, at.value]);
      for (const [n] of attrs) x.removeAttribute(n);
      attrs.sort((p, q) => (p[0] < q[0] ? -1 : 1));
      for (const [n, v] of attrs) {
        if (n === 'style' || n === 'inert') continue;
        let val = v;
        if (pre && ['id', 'data-testid', 'for', 'aria-labelledby', 'aria-controls', 'name'].includes(n)) {
          val = v.split(' ').map((s) => (s.startsWith(pre) ? s.slice(pre.length) : s)).join(' ');
        }
        x.setAttribute(n, val);
      }
    }
    out[name] = copy.outerHTML;
  }
  return out;
}

function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at ${i}: first view …${a.slice(Math.max(0, i - 80), i + 80)}…\n  app …${b.slice(Math.max(0, i - 80), i + 80)}…`;
}

/** The live app's rendering of `link`, the previous year held back (the first view has none). */
async function appParts(link) {
  const context = await site.browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  try {
    // Only the year the link shows: the change lines wait, as in the first view.
    let first = null;
    await context.route(/\/data\/.*\.pack$/, async (route) => {
      const path = new URL(route.request().url()).pathname;
      first ??= path;
      if (path === first) return route.continue();
      // held: never answered
    });
    const page = await context.newPage();
    await page.goto(site.url + link);
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
    await page.waitForFunction(() => !document.getElementById('prerender'), null, { timeout: 30000 });
    const q = new URLSearchParams(link.slice(1));
    if ((q.get('t') || 'map') === 'map') await page.waitForSelector('#main svg[data-testid="map-chart"] path.area');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    return await page.evaluate(parts, ['']);
  } finally {
    await context.close();
  }
}

const LINKS = ['?k=htx', '?l=en&b=34&p=19', '?t=table&r=tdmnpb', '?r=tn&ht=1', '?d=gso-chinh-thuc', '?i=income_avg&c=q5&p=02~04', '?r=dnb&k=htx'];

for (const link of LINKS) {
  test(`the first view of ${link} is the app's own markup for it`, { timeout: 120000 }, async () => {
    const q = new URLSearchParams(link.slice(1));
    const { context, page } = await leanPage(link, { shapes: (q.get('t') || 'map') === 'map' });
    try {
      const lean = await page.evaluate(parts, ['pre-']);
      assert.deepEqual(page.errors, []);
      const app = await appParts(link);
      assert.equal(lean.explanations === null, app.explanations === null, `${link}: an explanation in one only`);
      for (const name of Object.keys(app)) {
        if (name === 'explanations' && app[name] === null) continue;
        assert.ok(lean[name] !== null, `the first view has no ${name}`);
        assert.ok(app[name] !== null, `the app has no ${name}`);
        assert.ok(lean[name] === app[name], `${link}: ${name} differs ${firstDifference(lean[name], app[name])}`);
      }
    } finally {
      await context.close();
    }
  });
}

const value = (page, id) => page.getAttribute(`#prerender [data-testid="pre-kpi-${id}"]`, 'data-value').then(Number);
const query = (page) => page.evaluate(() => location.search);

test('the first view answers the filters, the chips and the address bar while the app is on its way', { timeout: 120000 }, async () => {
  const { context, page } = await leanPage('');
  try {
    const all = await value(page, 'htx_count');
    assert.ok(all > 0);
    assert.equal(await page.isVisible('#prerender [data-testid="pre-kpis"]'), true, 'the cards are on screen');
    await page.click('#prerender [data-testid="pre-filters-toggle"]');
    assert.equal(await page.getAttribute('#prerender [data-testid="pre-filters-toggle"]', 'aria-expanded'), 'true');
    await page.selectOption('#prerender [data-testid="pre-region-select"]', 'tn');
    await page.waitForFunction(() => location.search.includes('r=tn'));
    const tn = await value(page, 'htx_count');
    assert.ok(tn > 0 && tn < all, `Tây Nguyên ${tn} < all ${all}`);
    assert.equal(await page.locator('#prerender [data-testid="pre-chip"]').count(), 1);
    await page.check('#prerender [data-testid="pre-kind-htx"]');
    await page.waitForFunction(() => location.search.includes('k=htx'));
    assert.equal(await page.locator('#prerender [data-testid="pre-chip"]').count(), 2);
    // Clear all (two chips) puts the whole dataset back.
    await page.click('#prerender [data-testid="pre-chips"] button.link');
    await page.waitForFunction(() => location.search === '');
    assert.equal(await value(page, 'htx_count'), all);
    assert.equal(await page.locator('#prerender [data-testid="pre-chip"]').count(), 0);
    // A yes/no filter and its chip's remove button.
    await page.selectOption('#prerender [data-testid="pre-flag-ht"]', '1');
    await page.waitForFunction(() => location.search.includes('ht=1'));
    assert.ok((await value(page, 'htx_count')) < all);
    await page.click('#prerender [data-testid="pre-chip"] button');
    await page.waitForFunction(() => !location.search.includes('ht='));
    assert.equal(await value(page, 'htx_count'), all);
    // The year: an earlier year's file is fetched, then shown.
    await page.evaluate(() => {
      const r = document.querySelector('#prerender [data-testid="pre-year-range"]');
      r.value = '2021';
      r.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => location.search.includes('y=2021'));
    await page.waitForFunction(() => document.querySelector('#prerender [data-testid="pre-map-title"]')?.textContent.includes('2021'), null, { timeout: 15000 });
    assert.equal(await page.textContent('#prerender [data-testid="pre-year-value"]'), '2021');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the first view\'s map: a province by click and by Enter, arrows move, a tooltip, the 34 provinces', { timeout: 120000 }, async () => {
  const { context, page } = await leanPage('');
  try {
    const map = '#prerender svg[data-testid="pre-map-chart"]';
    const whole = await page.getAttribute(map, 'viewBox');
    await page.click(`${map} path.area[data-code="19"]`);
    await page.waitForFunction(() => location.search.includes('p=19'));
    assert.equal(await page.getAttribute(`${map} path.area[data-code="19"]`, 'aria-pressed'), 'true');
    assert.equal(await page.locator(`${map} g.outlines path`).count(), 1);
    assert.notEqual(await page.getAttribute(map, 'viewBox'), whole, 'the map zooms to the selection');
    assert.match(await page.textContent('#prerender [data-testid="map-tip"]'), /Thái Nguyên/);
    // The keyboard: Enter deselects the focused province, an arrow moves to a neighbour.
    await page.focus(`${map} path.area[data-code="19"]`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => !location.search.includes('p=19'));
    await page.keyboard.press('ArrowLeft');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-code'));
    assert.ok(focused && focused !== '19', `an arrow moved the focus (now ${focused})`);
    // Hoàng Sa and Trường Sa stay labelled.
    assert.match(await page.textContent('#prerender [data-testid="pre-island-hs"]'), /Hoàng Sa/);
    // The 34-province map (its shapes fetched) with the labels.
    await page.click('#prerender [data-testid="pre-filters-toggle"]');
    await page.check('#prerender [data-testid="pre-boundary-34"]');
    await page.waitForFunction(() => location.search.includes('b=34'));
    await page.waitForFunction(() => document.querySelectorAll('#prerender svg[data-testid="pre-map-chart"] path.area').length === 34, null, { timeout: 15000 });
    assert.match(await page.textContent('#prerender [data-testid="pre-island-ts"]'), /Trường Sa/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the first view\'s tabs, language and the takeover by the app with the focus carried over', { timeout: 120000 }, async () => {
  const { context, page, release } = await leanPage('?r=tdmnpb');
  try {
    await page.click('#prerender [data-testid="pre-tab-table"]');
    await page.waitForFunction(() => location.search.includes('t=table'));
    const rows = await page.locator('#prerender [data-testid="pre-data-table"] tbody tr').count();
    assert.ok(rows > 3, `a row per province of the region (${rows})`);
    // Sorting by a column.
    await page.click('#prerender [data-testid="pre-data-table"] thead th:nth-child(2) button');
    assert.equal(await page.getAttribute('#prerender [data-testid="pre-data-table"] thead th:nth-child(2)', 'aria-sort'), 'descending');
    // Back: the tab was a history entry; the view follows the address bar.
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('t=table'));
    await page.waitForSelector('#prerender svg[data-testid="pre-map-chart"] path.area');
    assert.equal(await page.getAttribute('#prerender [data-testid="pre-tab-map"]', 'aria-selected'), 'true');
    await page.click('#prerender [data-testid="pre-tab-table"]');
    await page.waitForSelector('#prerender [data-testid="pre-data-table"]');
    await page.click('#prerender [data-testid="pre-tab-map"]');
    await page.waitForSelector('#prerender svg[data-testid="pre-map-chart"] path.area');
    // English.
    await page.click('#prerender [data-testid="pre-lang-toggle"]');
    await page.waitForFunction(() => location.search.includes('l=en') && document.documentElement.lang === 'en');
    assert.match(await page.textContent('#prerender [data-testid="pre-kpis"] h2'), /Headline/);
    assert.match(await page.textContent('#prerender [data-testid="pre-chips"]'), /Region/);
    // The Chart tab is the app's: the first view says it is loading.
    await page.focus('#prerender [data-testid="pre-region-select"]').catch(() => {});
    await page.click('#prerender [data-testid="pre-filters-toggle"]');
    await page.focus('#prerender [data-testid="pre-region-select"]');
    const before = await query(page);
    release();
    await page.waitForFunction(() => !document.getElementById('prerender'), null, { timeout: 30000 });
    assert.equal(await query(page), before, 'the app took over the view the reader had');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'region-select', 'the focus carried over');
    assert.equal(await page.getAttribute('[data-testid="filters-toggle"]', 'aria-expanded'), 'true', 'the filter panel stays open');
    assert.match(await page.textContent('[data-testid="chips"]'), /Region/);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('a zoomed link whose map shapes cannot load: no uncaught error, the app shows the link and says what failed', { timeout: 120000 }, async () => {
  const context = await site.browser.newContext({ serviceWorkers: 'block' });
  try {
    await context.route(/\/geo\//, (route) => route.abort());
    const page = await context.newPage();
    const uncaught = [];
    page.on('pageerror', (e) => uncaught.push(String(e)));
    await page.goto(site.url + '?p=19&k=htx');
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
    await page.waitForSelector('#main .chart-error', { timeout: 30000 });
    assert.match(await page.evaluate(() => location.search), /p=19/);
    assert.equal(await page.locator('[data-testid="chip"]').count(), 2, 'the link\'s province and kind');
    assert.deepEqual(uncaught, []);
  } finally {
    await context.close();
  }
});

test('the first view explains an empty view, and its way out clears what it names', { timeout: 120000 }, async () => {
  // The illustrative dataset has no province in Đông Nam Bộ: the region's view is empty.
  const { context, page } = await leanPage('?r=dnb&k=htx');
  try {
    const para = '#prerender [data-testid="pre-explanation"]';
    await page.waitForSelector(para);
    assert.match(await page.textContent(para), /Đông Nam Bộ/);
    // The first way out clears the region (and provinces), not the kind.
    await page.click(`${para} [data-testid="pre-way-out"] >> nth=0`);
    await page.waitForFunction(() => !location.search.includes('r=dnb'));
    assert.match(await page.evaluate(() => location.search), /k=htx/);
    assert.equal(await page.locator(para).count(), 0, 'nothing left to explain');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('a link that opens on a trend: the first view draws it as SVG once its years are in, the app keeps that drawing until ECharts has arrived', { timeout: 120000 }, async () => {
  const link = '?t=chart&ch=trend&y=2019-2024';
  // The app waits for the years (they are what the reader asked for): its first request comes
  // after the last year is in.
  const context = await site.browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  let release;
  const released = new Promise((r) => { release = r; });
  let releaseCharts;
  const chartsReleased = new Promise((r) => { releaseCharts = r; });
  await context.route(APP, async (route) => { await released; return route.continue(); });
  await context.route(/\/vendor\/echarts/, async (route) => { await chartsReleased; return route.continue(); });
  const seen = [];
  context.on('request', (r) => seen.push(['start', r.url()]));
  context.on('requestfinished', (r) => seen.push(['done', r.url()]));
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  try {
    await page.goto(site.url + link, { waitUntil: 'commit' });
    const svg = '#prerender [data-testid="pre-chart-fallback"] svg';
    await page.waitForSelector(svg, { timeout: 30000 });
    // Six years, one line (the selection), a point each, its figure written the Vietnamese way.
    const years = await page.$$eval(`${svg} .axis-x text`, (t) => t.map((x) => x.textContent));
    assert.deepEqual(years, ['2019', '2020', '2021', '2022', '2023', '2024']);
    const points = await page.$$eval(`${svg} .series title`, (t) => t.map((x) => x.textContent));
    assert.equal(points.length, 6, points.join('\n'));
    assert.match(points[5], /^Toàn bộ dữ liệu, 2024: \d{1,3}(\.\d{3})*$/);
    assert.match(await page.textContent('#prerender [data-testid="pre-chart-title"]'), /Số hợp tác xã/);
    assert.match(await page.textContent('#prerender [data-testid="pre-chart-source"]'), /^Nguồn: /);
    assert.match(await page.textContent('#prerender .chart-tab'), /Dữ liệu minh họa — không phải số liệu chính thức/);
    // It fills the chart's box, sized to it.
    const box = await page.$eval('#prerender .chart-box', (b) => [b.clientWidth, b.clientHeight]);
    const drawn = await page.$eval(svg, (s) => [Number(s.getAttribute('width')), Number(s.getAttribute('height'))]);
    assert.deepEqual(drawn, box);
    const packs = seen.filter(([k, u]) => k === 'done' && /\.pack$/.test(u)).length;
    assert.equal(packs, 6, 'every year fetched once');
    const appAt = seen.findIndex(([k, u]) => k === 'start' && APP.test(u));
    const lastPack = seen.map(([k, u], i) => (k === 'done' && /\.pack$/.test(u) ? i : -1)).reduce((a, b) => Math.max(a, b));
    assert.ok(appAt > lastPack, `the app is asked for after the years (${appAt} > ${lastPack})`);

    // Another indicator: drawn again, the address bar follows.
    await page.selectOption('#prerender [data-testid="pre-indicator-select"]', 'workers');
    await page.waitForFunction(() => location.search.includes('i=workers'));
    assert.match(await page.textContent('#prerender [data-testid="pre-chart-title"]'), /Lao động/);
    await page.waitForSelector(svg);
    const sketch = await page.$eval(svg, (s) => s.outerHTML);

    // The app takes over with the same drawing while ECharts is on its way, then ECharts draws.
    release();
    await page.waitForFunction(() => !document.getElementById('prerender'), null, { timeout: 30000 });
    assert.equal(await page.$eval('#main [data-testid="chart-fallback"] svg', (s) => s.outerHTML), sketch, 'the same drawing: no jump');
    assert.equal(await page.isVisible('[data-testid="chart-loading"]'), false);
    releaseCharts();
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="chart"]');
      const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
      return !!(inst && inst.getOption().series[0].data.length === 6);
    }, null, { timeout: 30000 });
    assert.equal(await page.$('[data-testid="chart-fallback"]'), null, 'the drawing gives way to ECharts');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the first view\'s other charts are the app\'s: a chart kind chosen shows loading, a trend again draws', { timeout: 120000 }, async () => {
  const { context, page } = await leanPage('?t=chart&ch=trend&p=19,06');
  try {
    const svg = '#prerender [data-testid="pre-chart-fallback"] svg';
    await page.waitForSelector(svg, { timeout: 30000 });
    // Two provinces: a line each beside their sum, named in the legend; no figures on the points.
    const legend = await page.$$eval(`${svg} .legend text`, (t) => t.map((x) => x.textContent));
    assert.deepEqual(legend, ['Các tỉnh đã chọn (cộng lại)', 'Thái Nguyên', 'Bắc Kạn']);
    assert.equal(await page.$(`${svg} .labels`), null);
    await page.selectOption('#prerender [data-testid="pre-chart-kind"]', 'rank');
    // The ranking is the default chart: the address bar drops `ch`.
    await page.waitForFunction(() => location.search.includes('t=chart') && !location.search.includes('ch='));
    assert.equal(await page.$(svg), null);
    assert.match(await page.textContent('#prerender [role=tabpanel]'), /Đang tải/);
    await page.selectOption('#prerender [data-testid="pre-chart-kind"]', 'trend');
    await page.waitForFunction(() => location.search.includes('ch=trend'));
    await page.waitForSelector(svg, { timeout: 30000 });
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('the first view responds before the map\'s shapes: the copy\'s 63 paths never stand for the 34-province map, a zoom follows them', { timeout: 120000 }, async () => {
  const context = await site.browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  let releaseGeo;
  const geoReleased = new Promise((r) => { releaseGeo = r; });
  await context.route(APP, () => {}); // the Leptos app held for good
  await context.route(/\/geo\//, async (route) => { await geoReleased; return route.continue(); });
  const page = await context.newPage();
  try {
    await page.goto(site.url + '?b=34&p=19', { waitUntil: 'commit' });
    await page.waitForFunction(() => document.documentElement.classList.contains('first-live'), null, { timeout: 30000 });
    const svg = '#prerender svg[data-testid="pre-map-chart"]';
    // Live with the link's figures and chips, the map hidden (its paths are the 63 provinces').
    assert.ok(Number(await page.getAttribute('#prerender [data-testid="pre-kpi-htx_count"]', 'data-value')) > 0);
    assert.equal(await page.getAttribute(svg, 'visibility'), 'hidden');
    assert.equal(await page.locator(`${svg} path.area`).count(), 63);
    releaseGeo();
    await page.waitForFunction((s) => !document.querySelector(s).hasAttribute('visibility'), svg, { timeout: 30000 });
    assert.equal(await page.locator(`${svg} path.area`).count(), 34, 'the 34-province map');
    assert.equal(await page.getAttribute(`${svg} path.area[data-code="19"]`, 'aria-pressed'), 'true');
    // Back to the 63-province map (Thái Nguyên still chosen): its own 63 paths, shown.
    await page.click('#prerender [data-testid="pre-filters-toggle"]');
    await page.check('#prerender [data-testid="pre-boundary-63"]');
    await page.waitForFunction(() => !location.search.includes('b=34'));
    await page.waitForFunction((s) => document.querySelectorAll(`${s} path.area`).length === 63 && !document.querySelector(s).hasAttribute('visibility'), svg, { timeout: 30000 });
  } finally {
    await context.close();
  }
});

test('a trend whose ECharts cannot be loaded keeps its SVG drawing, the error line below it', { timeout: 120000 }, async () => {
  const context = await site.browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  await context.route(/\/vendor\/echarts/, (route) => route.abort());
  const page = await context.newPage();
  try {
    await page.goto(site.url + '?t=chart&ch=trend', { waitUntil: 'commit' });
    await page.waitForFunction(() => !document.getElementById('prerender'), null, { timeout: 60000 });
    await page.waitForSelector('#main .chart-error', { timeout: 30000 });
    const fallback = await page.$eval('#main [data-testid="chart-fallback"]', (f) => {
      const r = f.getBoundingClientRect();
      return { bottom: r.bottom, points: f.querySelectorAll('.series title').length };
    });
    assert.equal(fallback.points, 6, 'the trend, a point per year');
    const error = await page.$eval('#main .chart-error', (e) => e.getBoundingClientRect().top);
    assert.ok(error >= fallback.bottom - 0.5, `the error line below the drawing (${error} ≥ ${fallback.bottom})`);
    assert.equal(await page.$('#main [data-testid="chart-loading"]'), null, 'no loading line: nothing is on its way');
  } finally {
    await context.close();
  }
});
