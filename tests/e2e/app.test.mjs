// End-to-end tests of the dashboard against the release build (dist/), in Debian's Chromium.
// Foundation (issue 2): mounts with no console errors, shows its title, draws a chart canvas.
// Dashboard (issue 5): tabs, filters, shareable links, language, bad links, 63/34, phone width, a11y.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSite, openPage, kpi, ROOT } from './harness.mjs';


const site = useSite();

/** Waits until the SVG map is drawn: every province a path, filled by the view's classes (a colour
 *  other than "no data" on at least one). */
async function waitForMap(page) {
  await page.waitForFunction(() => {
    const paths = [...document.querySelectorAll('#main svg[data-testid="map-chart"] path.area')];
    return paths.length >= 34 && paths.some((p) => p.getAttribute('fill') !== '#e3e6e5');
  }, null, { timeout: 30000 });
}

/** A point of the page inside a province's path (`code`), in view: its box's centre when that is
 *  in the province, else the first point of a grid over its box that is. */
async function pointIn(page, code) {
  return page.evaluate((code) => {
    const el = document.querySelector(`#main svg[data-testid="map-chart"] path[data-code="${code}"]`);
    el.scrollIntoView({ block: 'center' });
    const r = el.getBoundingClientRect();
    for (let n = 1; n <= 9; n += 2) {
      for (let i = 1; i <= n; i++) {
        for (let j = 1; j <= n; j++) {
          const x = r.left + (r.width * i) / (n + 1);
          const y = r.top + (r.height * j) / (n + 1);
          if (document.elementFromPoint(x, y) === el) return { x, y };
        }
      }
    }
    return null;
  }, code);
}

/** Waits until ECharts has drawn into the canvas of `testid`. */
async function waitForCanvas(page, testid) {
  await page.waitForSelector(`[data-testid="${testid}"] canvas`, { timeout: 30000 });
  // A drawn canvas has non-blank pixels.
  await page.waitForFunction((id) => {
    const c = document.querySelector(`[data-testid="${id}"] canvas`);
    if (!c || c.width === 0) return false;
    const ctx = c.getContext('2d');
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4 * 97) if (d[i] !== 0) return true;
    return false;
  }, testid, { timeout: 30000 });
}

test('the app mounts with no console errors, shows its title and draws the map', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  assert.equal(await page.textContent('[data-testid="app-title"]'), 'Atlas Kinh tế tập thể');
  assert.match(await page.title(), /Atlas Kinh tế tập thể/);
  await waitForMap(page);
  assert.equal(await kpi(page, 'htx_count'), 3000);
  // The illustrative label is on screen with the default (generated) dataset.
  assert.equal(await page.textContent('[data-testid="illustrative-label"]'), 'Dữ liệu minh họa — không phải số liệu chính thức');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('each tab renders its panel, with ARIA tab semantics', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  for (const tab of ['chart', 'table', 'sources', 'map']) {
    await page.click(`[data-testid="tab-${tab}"]`);
    await page.waitForSelector(`[role="tabpanel"][data-testid="panel-${tab}"]`);
    assert.equal(await page.getAttribute(`[data-testid="tab-${tab}"]`, 'aria-selected'), 'true');
    assert.equal(await page.locator('[role="tab"][aria-selected="true"]').count(), 1);
  }
  await page.click('[data-testid="tab-chart"]');
  await waitForCanvas(page, 'chart');
  for (const kind of ['trend', 'mix', 'compare', 'rank']) {
    await page.selectOption('[data-testid="chart-kind"]', kind);
    await waitForCanvas(page, 'chart');
    assert.ok((await page.textContent('[data-testid="chart-title"]')).length > 0, kind);
  }
  await page.click('[data-testid="tab-table"]');
  const rows = await page.locator('[data-testid="data-table"] tbody tr').count();
  assert.equal(rows, 28, 'one row per province of the illustrative set');
  await page.click('[data-testid="tab-sources"]');
  assert.match(await page.textContent('[data-testid="crosswalk-note"]'), /202\/2025\/QH15/);
  assert.ok(await page.locator('[data-testid="indicator-definitions"] tbody tr').count() >= 20);
  // Keyboard: arrow keys move between tabs.
  await page.focus('[data-testid="tab-sources"]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('[data-testid="tab-map"]', 'aria-selected'), 'true');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a filter changes the headline values, and the chip removes it', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  const all = await kpi(page, 'htx_count');
  await page.selectOption('[data-testid="region-select"]', 'tn');
  await page.waitForFunction((v) => document.querySelector('[data-testid="kpi-htx_count"]').dataset.value !== String(v), all);
  const tn = await kpi(page, 'htx_count');
  assert.ok(tn > 0 && tn < all, `Tây Nguyên ${tn} of ${all}`);
  assert.match(page.url(), /[?&]r=tn/);
  await page.click('[data-testid="chip"] button');
  await page.waitForFunction((v) => document.querySelector('[data-testid="kpi-htx_count"]').dataset.value === String(v), all);
  assert.doesNotMatch(page.url(), /r=tn/);
  await ctx.close();
});

test('province search works without diacritics and selects the province', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  await page.fill('[data-testid="province-search"]', 'thai nguyen');
  await page.waitForSelector('[data-testid="province-suggestions"] button');
  assert.match(await page.textContent('[data-testid="province-suggestions"]'), /Thái Nguyên/);
  await page.press('[data-testid="province-search"]', 'Enter');
  await page.waitForFunction(() => /p=19/.test(location.search));
  const tn = await kpi(page, 'htx_count');
  assert.ok(tn > 0 && tn < 3000);
  await ctx.close();
});

test('province search puts provinces with figures first; one without says "no data", and so do its cards', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  await page.fill('[data-testid="province-search"]', 'thai');
  await page.waitForSelector('[data-testid="province-suggestions"] button');
  const items = await page.$$eval('[data-testid="province-suggestions"] button', (bs) => bs.map((b) => b.textContent));
  // The illustrative dataset has Thái Nguyên, not Thái Bình (a Red River Delta province).
  assert.match(items[0], /^Thái Nguyên \(19\)$/, items.join(' | '));
  assert.ok(items.some((t) => /^Thái Bình \(34\) — Không có số liệu$/.test(t)), items.join(' | '));
  await page.click('[data-testid="province-suggestions"] button:has-text("Thái Bình")');
  await page.waitForFunction(() => /p=34/.test(location.search));
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]').dataset.value === '');
  assert.match(await page.textContent('[data-testid="kpi-htx_count"] .value'), /Không có số liệu/);
  assert.doesNotMatch(await page.textContent('[data-testid="kpis"]'), /của toàn bộ dữ liệu/);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a link copied from one browser restores the same view and values in another', async () => {
  const a = await site.browser.newContext();
  const page = await openPage(a, site.url);
  await page.selectOption('[data-testid="region-select"]', 'tdmnpb');
  await page.check('[data-testid="kind-htx"]');
  await page.selectOption('[data-testid="flag-ht"]', '1');
  await page.click('[data-testid="tab-table"]');
  await page.waitForFunction(() => /t=table/.test(location.search) && /ht=1/.test(location.search));
  const link = page.url();
  const values = {};
  for (const id of ['htx_count', 'workers', 'income_avg', 'htx_high_tech']) values[id] = await kpi(page, id);
  await a.close();

  const b = await site.browser.newContext();
  const other = await openPage(b, link);
  for (const [id, v] of Object.entries(values)) assert.equal(await kpi(other, id), v, id);
  assert.equal(await other.getAttribute('[data-testid="tab-table"]', 'aria-selected'), 'true');
  assert.equal(await other.inputValue('[data-testid="region-select"]'), 'tdmnpb');
  assert.equal(await other.isChecked('[data-testid="kind-htx"]'), true);
  assert.equal(new URL(other.url()).search, new URL(link).search, 'the restored view writes the same link');
  assert.deepEqual(other.errors, []);
  await b.close();
});

test('filters replace the history entry; Back leaves a tab change', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  await page.click('[data-testid="tab-chart"]');
  await page.waitForFunction(() => /t=chart/.test(location.search));
  await page.selectOption('[data-testid="region-select"]', 'tn');
  await page.waitForFunction(() => /r=tn/.test(location.search));
  // A region the dataset covers: the Red River Delta is offered disabled now (issue 15 item 3).
  await page.selectOption('[data-testid="region-select"]', 'btb');
  await page.waitForFunction(() => /r=btb/.test(location.search));
  await page.goBack();
  await page.waitForFunction(() => !/t=chart/.test(location.search));
  assert.equal(await page.getAttribute('[data-testid="tab-map"]', 'aria-selected'), 'true');
  await ctx.close();
});

test('the language toggle switches labels and number formats', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  const vi = await page.textContent('[data-testid="kpi-htx_count"] .value');
  assert.equal(vi, '3.000');
  await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="app-title"]').textContent === 'Coop Atlas');
  assert.equal(await page.textContent('[data-testid="kpi-htx_count"] .value'), '3,000');
  assert.match(await page.textContent('[data-testid="kpi-income_avg"] .value'), /million VND/);
  assert.match(page.url(), /l=en/);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('[data-testid="illustrative-label"]'), 'Illustrative data — not official statistics');
  await ctx.close();
});

test("the trend chart's value axis is written in the reader's number format", async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, null);
  /** The y-axis tick labels as ECharts drew them. */
  const ticks = async (q) => {
    await page.goto(site.url + q);
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
    await waitForCanvas(page, 'chart');
    return page.evaluate(() => {
      const inst = globalThis.echarts.getInstanceByDom(document.querySelector('[data-testid="chart"]'));
      return inst.getModel().getComponent('yAxis').axis.getViewLabels().map((l) => l.formattedLabel);
    });
  };
  // Cooperatives, 2,007 to 3,000 a year: Vietnamese groups thousands with a dot.
  const vi = await ticks('?t=chart&ch=trend');
  assert.ok(vi.includes('3.000') && vi.every((l) => !l.includes(',')), `vi ticks ${vi}`);
  const en = await ticks('?t=chart&ch=trend&l=en');
  assert.ok(en.includes('3,000') && en.every((l) => !/\.\d{3}/.test(l)), `en ticks ${en}`);
  // Incomes of about 3.5 million đồng a month: the whole axis in millions (0,5 triệu, not
  // 500.000 next to 1 triệu; 3,5 triệu, not 3.500.000).
  const income = await ticks('?t=chart&ch=trend&i=income_avg');
  assert.ok(income.length >= 3 && income.every((l) => l === '0' || /^\d+(,\d+)? triệu$/.test(l)), `income ticks ${income}`);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test("on a 360 px phone every chart's text is whole, inside the chart and clear of the others", async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 360, height: 800 } });
  const page = await openPage(ctx, null);
  for (const q of ['?t=chart', '?t=chart&ch=trend', '?t=chart&ch=trend&i=income_avg&p=19~06', '?t=chart&ch=mix',
    '?t=chart&ch=compare&p=19~06~02', '?t=chart&ch=compare&p=19~06~02&l=en']) {
    await page.goto(site.url + q);
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
    await waitForCanvas(page, 'chart');
    const r = await page.evaluate(() => {
      const inst = globalThis.echarts.getInstanceByDom(document.querySelector('[data-testid="chart"]'));
      const W = inst.getWidth();
      const H = inst.getHeight();
      // Every text ECharts draws (tick labels, bar and point labels, the foot), as laid out.
      const texts = [];
      for (const e of inst.getZr().storage.getDisplayList()) {
        const text = e.style && e.style.text;
        if (!text || e.invisible) continue;
        const rect = e.getBoundingRect().clone();
        const m = e.getComputedTransform ? e.getComputedTransform() : e.transform;
        if (m) rect.applyTransform(m);
        texts.push({ text: String(text), x: rect.x, y: rect.y, w: rect.width, h: rect.height });
      }
      const outside = texts.filter((t) => t.x < -0.5 || t.y < -0.5 || t.x + t.w > W + 0.5 || t.y + t.h > H + 0.5);
      const overlaps = [];
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i];
          const b = texts[j];
          const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
          const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
          if (ox > 1 && oy > 1) overlaps.push(`${a.text} / ${b.text}`);
        }
      }
      // Each data label shows its whole text (ECharts shortens a label it cannot fit, "33,3…").
      const drawn = new Set(texts.map((t) => t.text));
      const cut = [];
      for (const s of inst.getOption().series) {
        // A ring labels only slices of 15° or more (minShowLabelAngle); the rest are in the tooltip.
        const total = s.type === 'pie' ? s.data.reduce((a, d) => a + (d.value || 0), 0) : 0;
        for (const d of s.data || []) {
          const f = d && d.label && d.label.formatter;
          if (typeof f !== 'string') continue;
          if (s.type === 'pie' && (d.value / total) * 360 < 15) continue;
          for (const line of f.split('\n')) if (!drawn.has(line)) cut.push(line);
        }
      }
      return { n: texts.length, outside: outside.map((t) => t.text), overlaps, cut };
    });
    assert.ok(r.n > 5, `${q}: ${r.n} texts`);
    assert.deepEqual(r.outside, [], `${q}: text outside the chart`);
    assert.deepEqual(r.overlaps, [], `${q}: texts on top of each other`);
    if (!q.includes('trend')) assert.deepEqual(r.cut, [], `${q}: labels cut or missing`);
  }
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('an invalid query string falls back to defaults with a notice and never breaks the page', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?y=abc&r=atlantis&zz=1&b=99&p=99&c=nb77&t=%FF');
  const notices = await page.textContent('[data-testid="url-notices"]');
  for (const key of ['y', 'r', 'zz', 'b', 'c', 'p']) assert.match(notices, new RegExp(`\\b${key}\\b`), `notice for ${key}`);
  assert.equal(await kpi(page, 'htx_count'), 3000);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a province code of the wrong boundary version is dropped with a notice', async () => {
  const ctx = await site.browser.newContext();
  // 02 (Hà Giang) exists only before 1 July 2025: in a 34-province view it is refused.
  const page = await openPage(ctx, site.url + '?b=34&p=02');
  assert.match(await page.textContent('[data-testid="url-notices"]'), /02/);
  assert.equal(await kpi(page, 'htx_count'), 3000);
  await ctx.close();
});

test('a year or an indicator the dataset does not have: the default, with a notice, and not passed on', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?y=2015&i=bogus');
  await page.waitForFunction(() => /bogus/.test(document.querySelector('[data-testid="url-notices"]')?.textContent ?? ''));
  const text = await page.textContent('[data-testid="url-notices"]');
  assert.match(text, /2015.*bộ dữ liệu không có năm này/s);
  assert.match(text, /bogus.*bộ dữ liệu không có chỉ tiêu này/s);
  assert.equal(await page.textContent('[data-testid="year-value"]'), '2024');
  assert.equal(await kpi(page, 'htx_count'), 3000);
  await page.waitForFunction(() => !/[?&](y|i)=/.test(location.search));
  // A valid year and indicator are kept, with no notice.
  const ok = await openPage(ctx, site.url + '?y=2023&i=workers');
  assert.equal(await ok.locator('[data-testid="url-notices"]').count(), 0);
  assert.match(ok.url(), /y=2023/);
  assert.match(ok.url(), /i=workers/);
  await ctx.close();
});

test('switching between 63 and 34 provinces keeps the totals', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?t=table');
  const before = {};
  for (const id of ['htx_count', 'workers', 'income_avg', 'ocop_subjects']) before[id] = await kpi(page, id);
  const total63 = await page.textContent('[data-testid="table-total"]');
  const rows63 = await page.locator('[data-testid="data-table"] tbody tr').count();
  await page.check('[data-testid="boundary-34"]');
  await page.waitForFunction(() => /b=34/.test(location.search));
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="data-table"] tbody tr').length !== n, rows63);
  for (const [id, v] of Object.entries(before)) assert.equal(await kpi(page, id), v, id);
  assert.equal(await page.textContent('[data-testid="table-total"]'), total63);
  const rows34 = await page.locator('[data-testid="data-table"] tbody tr').count();
  assert.ok(rows34 < rows63, `${rows34} merged provinces < ${rows63}`);
  await ctx.close();
});

test('switching to 34 provinces says which chosen province became which', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?p=06~19');
  await page.check('[data-testid="boundary-34"]');
  await page.waitForFunction(() => /b=34/.test(location.search));
  // Bắc Kạn (06) merged into Thái Nguyên (19) on 1 July 2025.
  assert.match(await page.textContent('[data-testid="flash"]'), /34 tỉnh \(từ 1\/7\/2025\): Bắc Kạn, Thái Nguyên → Thái Nguyên/);
  assert.match(await page.textContent('[data-testid="chips"]'), /Thái Nguyên/);
  await ctx.close();
});

test('works at 360 px wide without horizontal scrolling', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openPage(ctx, site.url);
  for (const tab of ['map', 'chart', 'table', 'sources']) {
    await page.tap(`[data-testid="tab-${tab}"]`);
    await page.waitForSelector(`[data-testid="panel-${tab}"]`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${tab}: page is ${overflow}px wider than the screen`);
  }
  // Every tab is on screen, none hidden past the edge of the tab bar.
  const tabs = await page.$$eval('[role="tab"]', (ts) => ts.filter((t) => t.offsetParent).map((t) => ({ right: t.getBoundingClientRect().right, lines: (() => { const r = document.createRange(); r.selectNodeContents(t); return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size; })() })));
  assert.ok(tabs.length === 5 && tabs.every((t) => t.right <= 360), `tabs end at ${tabs.map((t) => t.right)}`);
  assert.deepEqual(tabs.slice(0, 3).map((t) => t.lines), [1, 1, 1], 'a short tab name wrapped');
  // The definitions are read, not scrolled sideways: every cell is within the phone's width.
  const cells = await page.$$eval('[data-testid="indicator-definitions"] td', (tds) => tds.map((td) => td.getBoundingClientRect().right));
  // Three columns of 20 indicators: the dataset's source is said once above, not on every row (issue 15 item 4).
  assert.ok(cells.length >= 60 && cells.every((r) => r <= 360), `${cells.length} cells end at ${Math.max(...cells)} px`);
  await ctx.close();
});

test('on a desktop the definitions table fits its page and its prose reads from the left', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(ctx, site.url + '?t=sources');
  const box = await page.$eval('[data-testid="indicator-definitions"]', (t) => ({ table: t.getBoundingClientRect().width, wrap: t.parentElement.clientWidth }));
  assert.ok(box.table <= box.wrap, `table ${box.table} px in ${box.wrap} px`);
  const align = await page.$$eval('[data-testid="indicator-definitions"] td.wrap', (tds) => [...new Set(tds.map((td) => getComputedStyle(td).textAlign))]);
  assert.deepEqual(align, ['left']);
  await ctx.close();
});

test('on a phone the filters are folded under their heading, so the headline cards are on the first screen', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openPage(ctx, site.url);
  const top = await page.$eval('[data-testid="kpi-htx_count"]', (el) => el.getBoundingClientRect().top);
  assert.ok(top < 740, `the first card starts at ${top} px, below the first screen`);
  assert.equal(await page.isVisible('[data-testid="region-select"]'), false);
  assert.equal(await page.getAttribute('[data-testid="filters-toggle"]', 'aria-expanded'), 'false');
  await page.tap('[data-testid="filters-toggle"]');
  assert.equal(await page.getAttribute('[data-testid="filters-toggle"]', 'aria-expanded'), 'true');
  await page.selectOption('[data-testid="region-select"]', 'tn');
  await page.waitForFunction(() => /[?&]r=tn\b/.test(location.search));
  assert.match(await page.textContent('[data-testid="chips"]'), /Tây Nguyên/, 'the chip row says what is filtered');
  await page.tap('[data-testid="filters-toggle"]');
  assert.equal(await page.isVisible('[data-testid="region-select"]'), false);
  await ctx.close();

  // On a desktop the filters are a column beside the content, always open, with no toggle.
  const wide = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const desk = await openPage(wide, site.url);
  assert.equal(await desk.isVisible('[data-testid="region-select"]'), true);
  assert.equal(await desk.isVisible('[data-testid="filters-toggle"]'), false);
  await wide.close();
});

test('on a touch phone every control is at least 40 px tall, and a wide table keeps its province column in view', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openPage(ctx, site.url + '?t=table&r=tdmnpb&k=htx');
  await page.waitForSelector('[data-testid="panel-table"] thead th button');
  const small = await page.evaluate(() => [...document.querySelectorAll('main button, main summary, main select, header button, header select')]
    .filter((el) => el.offsetParent !== null)
    .map((el) => ({ what: `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}"`, h: el.getBoundingClientRect().height }))
    .filter((c) => c.h < 40));
  assert.deepEqual(small, [], 'controls under 40 px');
  // Scrolled sideways, the table's first column (the province) is still at the left edge.
  const first = await page.$eval('[data-testid="panel-table"] .table-wrap', (wrap) => {
    wrap.scrollLeft = wrap.scrollWidth;
    const cell = wrap.querySelector('tbody tr > :first-child');
    return { left: cell.getBoundingClientRect().left - wrap.getBoundingClientRect().left, scrolled: wrap.scrollLeft };
  });
  assert.ok(first.scrolled > 0, 'the table is wider than the phone (else this checks nothing)');
  assert.ok(Math.abs(first.left) < 2, `the province column moved away: ${JSON.stringify(first)}`);
  await ctx.close();
});

test('the page speaks the link\'s language, the year slider is named "Năm", the file button shows keyboard focus', async () => {
  const ctx = await site.browser.newContext();
  const en = await openPage(ctx, site.url + '?l=en');
  assert.equal(await en.getAttribute('html', 'lang'), 'en');
  // The title follows the view (issue 15 item 8) and ends with the app's name in the page's language.
  assert.match(await en.title(), / · Coop Atlas$/);
  const vi = await openPage(ctx, site.url);
  assert.equal(await vi.getAttribute('html', 'lang'), 'vi');
  assert.match(await vi.title(), / · Atlas Kinh tế tập thể$/);
  assert.equal(await vi.getByRole('slider', { name: 'Năm', exact: true }).count(), 1, 'the slider is named "Năm" alone');
  // Tab to the hidden file input: its button shows the focus ring.
  await vi.focus('[data-testid="file-input"]');
  await vi.keyboard.press('Shift+Tab');
  await vi.keyboard.press('Tab');
  const outline = await vi.$eval('.file-pick', (el) => getComputedStyle(el).outlineStyle);
  assert.equal(outline, 'solid');
  await ctx.close();
});

test('axe-core finds no serious or critical accessibility violation', async () => {
  const ctx = await site.browser.newContext({ bypassCSP: true });
  const page = await openPage(ctx, site.url);
  await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  for (const tab of ['map', 'chart', 'table', 'sources']) {
    await page.click(`[data-testid="tab-${tab}"]`);
    await page.waitForSelector(`[data-testid="panel-${tab}"]`);
    const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`), [], tab);
  }
  await ctx.close();
});

test('embed mode shows the view alone, headed by its data, source, year and filters, with a link to the full app', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?embed=1&t=chart');
  assert.equal(await page.locator('[data-testid="app-title"]').count(), 0);
  assert.equal(await page.locator('[data-testid="region-select"]').count(), 0);
  assert.match(await page.textContent('[data-testid="dataset-line"]'), /Nguồn/);
  assert.ok(await page.locator('[data-testid="illustrative-label"]').count() >= 1);
  assert.match(await page.textContent('[data-testid="embed-filters"]'), /^Năm 2024 · Chưa lọc: toàn bộ dữ liệu$/);
  await waitForCanvas(page, 'chart');
  // A filtered embed names its filters above the figures (they are read on another site).
  await page.goto(site.url + '?embed=1&r=tn&k=htx&t=chart&ch=trend');
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
  const head = await page.$eval('[data-testid="embed-head"]', (el) => ({ text: el.textContent, top: el.getBoundingClientRect().top }));
  assert.match(head.text, /Vùng: Tây Nguyên/);
  assert.match(head.text, /Hợp tác xã/);
  const cardsTop = await page.$eval('[data-testid="kpis"]', (el) => el.getBoundingClientRect().top);
  assert.ok(head.top < cardsTop, 'the head is above the figures');
  const href = await page.getAttribute('[data-testid="embed-open"]', 'href');
  assert.match(href, /[?&]r=tn/);
  assert.match(href, /[?&]k=htx/);
  assert.doesNotMatch(href, /embed/);
  assert.equal(await page.getAttribute('[data-testid="embed-open"]', 'target'), '_blank');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the official dataset shows GSO figures with their source and concept', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?d=gso-chinh-thuc&y=2022&i=htx_active&t=table');
  assert.equal(await kpi(page, 'htx_active'), 15832);
  assert.equal(await kpi(page, 'htx_active_workers'), 163101);
  assert.equal(await page.locator('[data-testid="illustrative-label"]').count(), 0);
  await page.check('[data-testid="boundary-34"]');
  await page.waitForFunction(() => /b=34/.test(location.search));
  assert.equal(await kpi(page, 'htx_active'), 15832);
  assert.equal(await kpi(page, 'htx_active_workers'), 163101);
  await page.click('[data-testid="tab-sources"]');
  // The confidence in the reader's words (issue 15 item 4); the citation as given, one step further.
  assert.match(await page.textContent('[data-testid="observation-sources"]'), /Độ tin cậy: trung bình/);
  assert.match(await page.textContent('[data-testid="observation-sources"]'), /Tổng cục Thống kê, cơ sở dữ liệu trực tuyến/);
  await ctx.close();
});

test('charts re-render without leftover series, dispose on unmount and follow their container', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await openPage(ctx, site.url + '?t=chart&ch=trend&p=19~06');
  await waitForCanvas(page, 'chart');
  const seriesCount = () => page.evaluate(() => {
    const el = document.querySelector('[data-testid="chart"]');
    return globalThis.echarts.getInstanceByDom(el).getOption().series.length;
  });
  assert.equal(await seriesCount(), 3, 'selection + two provinces');
  await page.selectOption('[data-testid="chart-kind"]', 'rank');
  await page.waitForFunction(() => /ch=rank|^(?!.*ch=)/.test(location.search));
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="chart"]');
    const inst = el && globalThis.echarts.getInstanceByDom(el);
    return inst && inst.getOption().series.length === 1 && inst.getOption().series[0].type === 'bar';
  });
  assert.equal(await seriesCount(), 1, 'no line series left over from the trend');

  const widthBefore = await page.evaluate(() => document.querySelector('[data-testid="chart"] canvas').width);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForFunction((w) => document.querySelector('[data-testid="chart"] canvas').width < w, widthBefore);

  const chartEl = await page.$('[data-testid="chart"]');
  assert.ok(await page.evaluate((el) => !!globalThis.echarts.getInstanceByDom(el), chartEl));
  await page.click('[data-testid="tab-table"]');
  await page.waitForSelector('[data-testid="data-table"]');
  assert.equal(await page.evaluate((el) => globalThis.echarts.getInstanceByDom(el) === undefined, chartEl), true,
    'the chart of the closed tab is disposed');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('Share copies the link; the chart downloads as PNG and the table as CSV', async () => {
  const ctx = await site.browser.newContext({ acceptDownloads: true });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
  const page = await openPage(ctx, site.url + '?r=tn&t=chart');
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="flash"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
  await waitForCanvas(page, 'chart');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-png"]')]);
  assert.match(png.suggestedFilename(), /\.png$/);
  const pngBytes = readFileSync(await png.path());
  assert.deepEqual([...pngBytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  await page.click('[data-testid="tab-table"]');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-csv"]')]);
  const text = readFileSync(await csv.path(), 'utf8');
  assert.equal(text.charCodeAt(0), 0xfeff, 'UTF-8 byte-order mark for Excel');
  // Vietnamese Excel splits on `;` and reads decimal commas (issue 14 item 4).
  assert.match(text.slice(1).split(/\r?\n/)[0], /^Mã;/);
  assert.match(text, /Đắk Lắk|Gia Lai|Kon Tum|Lâm Đồng|Đắk Nông/);
  assert.match(text, /Dữ liệu minh họa — không phải số liệu chính thức/);
  await ctx.close();
});

test('clicking a province on the map selects it (and clicking again unselects it)', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await openPage(ctx, site.url);
  await waitForMap(page);
  // The mouse clicks for real where Thái Nguyên (19) is drawn, so the browser's own hit-testing
  // picks the province. Found again before the second click: a selection adds a chip above the
  // map and zooms it.
  const p = await pointIn(page, '19');
  assert.ok(p, 'Thái Nguyên is drawn');
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction(() => /[?&]p=19\b/.test(location.search));
  assert.match(await page.textContent('[data-testid="chips"]'), /Thái Nguyên/);
  assert.equal(await page.getAttribute('#main path[data-code="19"]', 'aria-pressed'), 'true');
  // Outlined as selected: one outline, Thái Nguyên's shape.
  assert.deepEqual(await page.$$eval('#main svg[data-testid="map-chart"] .outlines path', (ps) => ps.map((x) => x.getAttribute('d'))),
    [await page.getAttribute('#main path[data-code="19"]', 'd')]);
  const q = await pointIn(page, '19');
  await page.mouse.click(q.x, q.y);
  await page.waitForFunction(() => !/[?&]p=/.test(location.search));
  assert.equal(await page.locator('#main svg[data-testid="map-chart"] .outlines path').count(), 0);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('on a touch phone, tapping a province selects it, and its tooltip (name, value, source) stays inside the 360 px page', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openPage(ctx, site.url);
  await waitForMap(page);
  const value = await page.getAttribute('#main path[data-code="19"]', 'aria-label');
  assert.match(value, /^Thái Nguyên: \d/, 'the province is named with its value');
  // A real tap on the province selects it, shows its name and value next to it, and the page
  // stays where it was.
  const p = await pointIn(page, '19');
  await page.touchscreen.tap(p.x, p.y);
  await page.waitForFunction(() => /[?&]p=19\b/.test(location.search), null, { timeout: 5000 });
  const tip = await page.waitForFunction(() => {
    const el = document.querySelector('#main [data-testid="map-tip"]');
    const r = el && el.getBoundingClientRect();
    return r && r.width > 0 && { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: el.textContent };
  }, null, { timeout: 5000 }).then((h) => h.jsonValue());
  assert.ok(tip.text.startsWith(value), `the tooltip names the province and its value: ${tip.text}`);
  assert.match(tip.text, /Coop Atlas/, 'the tooltip carries the source');
  assert.ok(tip.left >= 0 && tip.right <= 360, `tooltip at ${JSON.stringify(tip)}`);
  // Next to the province: the tooltip's box is within 40 px of Thái Nguyên's.
  const prov = await page.$eval('#main path[data-code="19"]', (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; });
  const gap = Math.max(prov.top - tip.bottom, tip.top - prov.bottom, prov.left - tip.right, tip.left - prov.right, 0);
  assert.ok(gap <= 40, `the tooltip is ${gap} px from the province: ${JSON.stringify({ tip, prov })}`);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360, 'the page got wider than the phone');
  // The map stays on screen (the new filter chip above it may move it a little).
  const map = await page.$eval('[data-testid="map-chart"]', (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
  assert.ok(map.bottom > 100 && map.top < 640, `the page jumped away from the map: ${JSON.stringify(map)}`);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the map from the keyboard: Tab and arrows move between named provinces, Enter and Space select', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await openPage(ctx, site.url);
  await waitForMap(page);
  const active = () => page.evaluate(() => {
    const el = document.activeElement;
    return el && el.matches('path.area') ? { code: el.getAttribute('data-code'), label: el.getAttribute('aria-label'), role: el.getAttribute('role') } : null;
  });
  // Tab from the last control before the map reaches the first province, and Tab moves on.
  await page.focus('[data-testid="map-download-svg"]');
  await page.keyboard.press('Tab');
  const first = await active();
  assert.ok(first, 'Tab reaches a province');
  assert.equal(first.role, 'button');
  assert.match(first.label, /^[^:]+: /, `named with its province and value: ${first.label}`);
  await page.keyboard.press('Tab');
  const second = await active();
  assert.ok(second && second.code !== first.code, 'Tab moves to another province');
  // Arrows: from Hà Nội (01), Down goes to a province drawn lower, Up back up.
  await page.focus('#main path[data-code="01"]');
  const y = (code) => page.$eval(`#main path[data-code="${code}"]`, (el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; });
  await page.keyboard.press('ArrowDown');
  const down = await active();
  assert.ok(down && down.code !== '01', 'ArrowDown moves to another province');
  assert.ok((await y(down.code)) > (await y('01')), `${down.code} is below Hà Nội`);
  // The tooltip follows the focus.
  assert.ok((await page.textContent('#main [data-testid="map-tip"]')).startsWith(down.label));
  await page.keyboard.press('ArrowUp');
  const up = await active();
  assert.ok(up && (await y(up.code)) < (await y(down.code)), 'ArrowUp moves up again');
  // Enter selects as a click does; Space unselects; the focus stays on the province.
  await page.keyboard.press('Enter');
  await page.waitForFunction((c) => new RegExp(`[?&]p=${c}\\b`).test(location.search), up.code, { timeout: 5000 });
  assert.equal((await active())?.code, up.code, 'the focus stays on the province');
  assert.equal(await page.getAttribute(`#main path[data-code="${up.code}"]`, 'aria-pressed'), 'true');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => !/[?&]p=/.test(location.search), null, { timeout: 5000 });
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

/** The map's view box, and the boxes (in its units) of the given provinces. */
async function zoomOf(page, codes) {
  return page.evaluate((codes) => {
    const svg = document.querySelector('#main svg[data-testid="map-chart"]');
    const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
    const boxes = codes.map((c) => { const b = svg.querySelector(`path[data-code="${c}"]`).getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; });
    return { vb: { x, y, w, h }, boxes };
  }, codes);
}

test('choosing a region or a province zooms the map to it', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const whole = { x: 0, y: 0, w: 768, h: 1000 };
  // The whole country by default.
  let page = await openPage(ctx, site.url);
  await waitForMap(page);
  assert.deepEqual((await zoomOf(page, [])).vb, whole);
  // The region's provinces (Trung du và miền núi phía Bắc), and one province (Thái Nguyên), in
  // both boundary versions.
  for (const q of ['?r=tdmnpb', '?p=19', '?b=34&r=tdmnpb', '?b=34&p=19']) {
    page = await openPage(ctx, site.url + q);
    await waitForMap(page);
    // The region's provinces: those with figures (a region filters the figures; the others read "no data").
    const codes = q.includes('p=19') ? ['19']
      : await page.$$eval('#main svg[data-testid="map-chart"] path.area', (ps) => ps.filter((p) => p.getAttribute('fill') !== '#e3e6e5').map((p) => p.getAttribute('data-code')));
    assert.ok(codes.length > 0, q);
    const { vb, boxes } = await zoomOf(page, codes);
    assert.ok(vb.w < whole.w && vb.h < whole.h, `${q}: the view box ${JSON.stringify(vb)} is smaller than the country`);
    for (const [i, [x0, y0, x1, y1]] of boxes.entries()) {
      assert.ok(x0 >= vb.x && y0 >= vb.y && x1 <= vb.x + vb.w && y1 <= vb.y + vb.h, `${q}: ${codes[i]} ${JSON.stringify([x0, y0, x1, y1])} outside ${JSON.stringify(vb)}`);
    }
    assert.deepEqual(page.errors, [], q);
    await page.close();
  }
  await ctx.close();
});

test('Hoàng Sa and Trường Sa are drawn and labelled in both languages and both boundary versions', async () => {
  const ctx = await site.browser.newContext();
  const expected = { vi: ['QĐ. Hoàng Sa', 'QĐ. Trường Sa'], en: ['Hoàng Sa Is.', 'Trường Sa Is.'] };
  for (const l of ['vi', 'en']) {
    for (const b of ['63', '34']) {
      const page = await openPage(ctx, `${site.url}?l=${l}&b=${b}`);
      await waitForMap(page);
      const labels = await page.$$eval('#main svg[data-testid="map-chart"] [data-testid^="island-"]', (els) => els.map((e) => e.textContent));
      assert.deepEqual(labels, expected[l], `l=${l} b=${b}`);
      // The islands themselves are drawn (a path each, of non-zero size) and say whose they are.
      const islands = await page.$$eval('#main svg[data-testid="map-chart"] .island path', (ps) => ps.map((p) => [p.getBBox().width > 0, p.textContent]));
      assert.equal(islands.length, 2);
      assert.ok(islands.every(([drawn]) => drawn));
      assert.match(islands[0][1], /Đà Nẵng/);
      assert.match(islands[1][1], /Khánh Hòa/);
      await page.close();
    }
  }
  await ctx.close();
});

test('the map downloads as SVG (every province, title, legend, source) and as PNG, in both languages', async () => {
  const ctx = await site.browser.newContext({ acceptDownloads: true });
  for (const l of ['vi', 'en']) {
    const page = await openPage(ctx, `${site.url}?l=${l}&p=19`);
    await waitForMap(page);
    const names = await page.$$eval('#main svg[data-testid="map-chart"] path.area', (ps) => ps.map((p) => p.getAttribute('aria-label')));
    const title = await page.textContent('[data-testid="map-title"]');
    const [svgFile] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="map-download-svg"]')]);
    assert.match(svgFile.suggestedFilename(), /^coop-atlas-.*-map-.*\.svg$/);
    const text = readFileSync(await svgFile.path(), 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
      return {
        titles: [...doc.querySelectorAll('path > title')].map((t) => t.textContent),
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
      };
    }, text);
    assert.equal(parsed.error, undefined, `the SVG parses: ${parsed.error}`);
    for (const n of names) assert.ok(parsed.titles.includes(n), `${l}: the SVG holds "${n}"`);
    assert.ok(parsed.texts.includes(title), `${l}: the title is in the SVG`);
    assert.ok(parsed.texts.some((t) => /^(Nguồn|Source): /.test(t)), `${l}: the source is in the SVG`);
    const legend = await page.$$eval('[data-testid="map-legend"] li', (lis) => lis.map((li) => li.textContent));
    for (const e of legend) assert.ok(parsed.texts.includes(e), `${l}: legend entry "${e}" in the SVG`);
    assert.equal(await page.textContent('[data-testid="map-download-svg"]'), l === 'vi' ? 'Tải ảnh SVG' : 'Download SVG');

    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="map-download-png"]')]);
    assert.match(png.suggestedFilename(), /\.png$/);
    const bytes = readFileSync(await png.path());
    assert.ok(bytes.length > 1000, `PNG of ${bytes.length} bytes`);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    // Its size: the SVG's, doubled.
    const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    const m = /width="(\d+)" height="(\d+)"/.exec(text);
    assert.deepEqual([w, h], [Number(m[1]) * 2, Number(m[2]) * 2]);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
  await ctx.close();
});

test('map classes: quantiles and custom breaks are in the link and the legend; the table sorts', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  await page.selectOption('[data-testid="class-select"]', 'q5');
  await page.waitForFunction(() => /[?&]c=q5\b/.test(location.search));
  assert.equal(await page.locator('[data-testid="map-legend"] li').count(), 6, '5 classes + no data');
  await page.fill('[data-testid="custom-breaks"]', '50; 100; 200');
  await page.click('.map-tab .toolbar button.btn'); // Apply
  await page.waitForFunction(() => /[?&]c=x:50~100~200\b/.test(location.search));
  assert.match(await page.textContent('[data-testid="map-legend"]'), /100/);
  // A bad break is refused beside the field (Enter applies too), and the previous classes stay.
  await page.fill('[data-testid="custom-breaks"]', '100; abc');
  await page.press('[data-testid="custom-breaks"]', 'Enter');
  await page.waitForSelector('[data-testid="breaks-error"]');
  assert.match(await page.textContent('[data-testid="breaks-error"]'), /#2/);
  assert.equal(await page.getAttribute('[data-testid="custom-breaks"]', 'aria-invalid'), 'true');
  assert.match(page.url(), /c=x:50~100~200/, 'a bad break keeps the previous classes');
  await page.fill('[data-testid="custom-breaks"]', '20; 300');
  await page.press('[data-testid="custom-breaks"]', 'Enter');
  await page.waitForFunction(() => /[?&]c=x:20~300\b/.test(location.search));
  assert.equal(await page.locator('[data-testid="breaks-error"]').count(), 0, 'the message goes once the breaks are right');

  await page.click('[data-testid="tab-table"]');
  const first = () => page.textContent('[data-testid="data-table"] tbody tr:first-child th');
  const byName = await first();
  await page.click('[data-testid="data-table"] thead th[data-col="htx_count"] button');
  assert.equal(await page.getAttribute('[data-testid="data-table"] thead th[data-col="htx_count"]', 'aria-sort'), 'descending');
  const top = await first();
  assert.notEqual(top, byName);
  const values = await page.$$eval('[data-testid="data-table"] tbody tr', (rows) =>
    rows.map((r) => Number(r.querySelectorAll('td')[0].textContent.replace(/\./g, ''))));
  assert.deepEqual(values, [...values].sort((a, b) => b - a), 'largest first');
  await ctx.close();
});
