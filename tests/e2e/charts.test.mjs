// Charts (issue 13 item 3, issue 15 item 7), against the release build in Debian's Chromium:
//  - ECharts is fetched only when a chart is first shown, with a loading line in its place;
//  - the composition splits the chosen indicator by kind, a kind filter makes no 100% ring, a kind
//    keeps its colour, the source shows once per view (not in every tooltip) and not cut off;
//  - a multi-province trend's lines differ by marker; a downloaded PNG carries its foot, which the
//    chart on screen does not keep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSite, openPage } from './harness.mjs';


const site = useSite();

/** The option ECharts holds for the chart, once it has series with data. */
async function chartOption(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="chart"]');
    const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
    // An instance gets its option a moment after it is made: until then getOption() is undefined.
    const o = inst && !inst.isDisposed() && inst.getOption();
    return !!o && (o.series || []).some((s) => (s.data || []).length > 0);
  }, null, { timeout: 30000 });
  return page.evaluate(() => {
    const o = globalThis.echarts.getInstanceByDom(document.querySelector('[data-testid="chart"]')).getOption();
    return { title: o.title, series: o.series.map((s) => ({ type: s.type, symbol: s.symbol, data: s.data.map((d) => ({ name: d.name, color: d.itemStyle?.color, tip: d.tooltip?.formatter })) })) };
  });
}

test('ECharts is not fetched on a first view of the map, and a chart shows a loading line until it arrives', { timeout: 120000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
  const requested = [];
  let release;
  const held = new Promise((r) => { release = r; });
  // The page's own requests: the service worker's background precache (registered once the app
  // responds) fetches ECharts too, by design, and is not the page asking for it.
  await context.route(/\/vendor\/echarts/, async (route) => {
    if (!route.request().serviceWorker()) requested.push(route.request().url());
    await held;
    await route.continue();
  });
  try {
    const page = await openPage(context, site.url);
    await page.waitForSelector('#main svg[data-testid="map-chart"] path.area');
    await page.waitForTimeout(1500);
    assert.deepEqual(requested, [], 'the map view asked for ECharts');
    await page.click('[data-testid="tab-chart"]');
    await page.waitForSelector('[data-testid="chart-loading"]', { timeout: 10000 });
    assert.match(await page.textContent('[data-testid="chart-loading"]'), /Đang tải công cụ vẽ biểu đồ/);
    assert.equal(requested.length, 1, 'the chart asked for ECharts once');
    release();
    await chartOption(page);
    assert.equal(await page.$('[data-testid="chart-loading"]'), null, 'the loading line outlived the chart');
    assert.deepEqual(page.errors, []);
  } finally {
    release();
    await context.close();
  }
});

for (const [lang, width, note, other] of [['vi', 360, /Bộ lọc loại hình không áp dụng/, /[A-Za-z]{3,} filter/], ['en', 1280, /The kind filter does not apply/, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/]]) {
  test(`composition (${lang}, ${width} px): the chosen indicator by kind, a kind filter gives no 100% ring, one colour per kind, the source once`, { timeout: 120000 }, async () => {
    const context = await site.browser.newContext({ viewport: { width, height: 800 } });
    try {
      const page = await openPage(context, `${site.url}?l=${lang}&t=chart&ch=mix&i=workers&k=tht`);
      const o = await chartOption(page);
      const slices = o.series[0].data;
      assert.ok(slices.length >= 3, `a ring of ${slices.length} slice(s): ${JSON.stringify(slices)}`);
      const tht = slices.find((s) => /^(Tổ hợp tác|Cooperative group)$/.test(s.name));
      assert.equal(tht?.color, '#E69F00', `THT's colour: ${JSON.stringify(slices)}`);
      const notes = await page.$$eval('.chart-tab .hint', (ps) => ps.map((p) => p.textContent).join(' '));
      assert.match(notes, note);
      assert.doesNotMatch(notes, other, 'the note mixes languages');
      // The same kind has the same colour without the filter.
      await page.goto(`${site.url}?l=${lang}&t=chart&ch=mix&i=workers`);
      const all = (await chartOption(page)).series[0].data;
      assert.equal(all.find((s) => s.name === tht.name)?.color, '#E69F00');
      // The source: once under the chart, whole (not cut off), in no tooltip and not in the chart.
      const source = await page.textContent('[data-testid="chart-source"]');
      assert.ok(source.length > 20);
      const cut = await page.$eval('[data-testid="chart-source"]', (p) => p.scrollWidth > p.clientWidth + 1 || p.getBoundingClientRect().right > window.innerWidth);
      assert.equal(cut, false, 'the source line is cut off');
      assert.ok(all.every((s) => !s.tip || !s.tip.includes('Coop Atlas')), 'the source is repeated in a tooltip');
      assert.ok(!o.title || o.title.every((t) => !t.subtext), 'the chart on screen carries its own source line');
      assert.deepEqual(page.errors, []);
    } finally {
      await context.close();
    }
  });
}

test('trend of several provinces: lines told apart by markers; the downloaded PNG has its foot, the screen keeps none', { timeout: 120000 }, async () => {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  try {
    const page = await openPage(context, `${site.url}?t=chart&ch=trend&p=19~06~02`);
    const o = await chartOption(page);
    const symbols = o.series.map((s) => s.symbol);
    assert.equal(new Set(symbols).size, symbols.length, `markers ${symbols}`);
    // What the chart holds at the moment the picture is taken.
    await page.evaluate(() => {
      const inst = globalThis.echarts.getInstanceByDom(document.querySelector('[data-testid="chart"]'));
      const orig = inst.getDataURL.bind(inst);
      inst.getDataURL = (opts) => { window.__exported = inst.getOption().title; return orig(opts); };
    });
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="download-png"]')]);
    const exported = await page.evaluate(() => window.__exported);
    assert.ok(exported?.[0]?.text && /Nguồn: .*/.test(exported[0].subtext), `the PNG has no foot: ${JSON.stringify(exported)}`);
    assert.match(exported[0].subtext, /Dữ liệu minh họa — không phải số liệu chính thức/);
    const bytes = readFileSync(await png.path());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    const after = await page.evaluate(() => globalThis.echarts.getInstanceByDom(document.querySelector('[data-testid="chart"]')).getOption().title);
    assert.ok(!after || after.every((t) => !t.text), 'the PNG foot stayed on screen');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});
