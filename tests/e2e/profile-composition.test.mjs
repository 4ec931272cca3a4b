// The profile's composition by kind and by sector (issue 16 §1): for a dataset whose units record
// their sector, two rings of the same indicator — by kind and by sector — that add up to the same
// whole, each sector named in the reader's language; for a dataset of published totals, a plain
// sentence saying it cannot be split, and no ring pretending otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openPage } from './harness.mjs';


const site = useSite();

/** The slices ECharts holds for the ring `testid`, once drawn. */
async function slices(page, testid) {
  await page.waitForFunction((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
    const o = inst && inst.getOption();
    return !!o && (o.series || []).some((s) => (s.data || []).length > 0);
  }, testid, { timeout: 30000 });
  return page.evaluate((id) => globalThis.echarts.getInstanceByDom(document.querySelector(`[data-testid="${id}"]`)).getOption()
    .series[0].data.map((d) => ({ name: d.name, value: d.value })), testid);
}

const SECTORS = {
  vi: ['Nông, lâm, ngư nghiệp', 'Công nghiệp, tiểu thủ công nghiệp', 'Xây dựng', 'Thương mại, dịch vụ', 'Vận tải', 'Tín dụng', 'Khác'],
  en: ['Agriculture, forestry, fishery', 'Industry and handicraft', 'Construction', 'Trade and services', 'Transport', 'Credit', 'Other'],
};

for (const [lang, q] of [['vi', '?t=profile&p=19'], ['en', '?t=profile&r=tn&l=en'], ['vi', '?t=profile&i=workers']]) {
  test(`${q}: the composition by kind and by sector, of one indicator and one whole`, { timeout: 120000 }, async () => {
    const ctx = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await openPage(ctx, site.url + q);
    await page.waitForSelector('[data-testid="profile-composition"]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid="profile-composition"] h3'), lang === 'vi' ? /^Cơ cấu theo loại hình và lĩnh vực$/ : /^Composition by kind and by sector$/);
    const kinds = await slices(page, 'profile-composition-chart');
    const sectors = await slices(page, 'profile-sector-chart');
    assert.ok(sectors.length >= 2, JSON.stringify(sectors));
    for (const s of sectors) assert.ok(SECTORS[lang].includes(s.name), `${s.name} is not a sector in ${lang}`);
    const sum = (xs) => xs.reduce((a, x) => a + x.value, 0);
    assert.ok(Math.abs(sum(kinds) - sum(sectors)) < 1e-6, `kinds ${sum(kinds)} vs sectors ${sum(sectors)}`);
    const captions = await page.$$eval('[data-testid="profile-composition"] figcaption', (fs) => fs.map((f) => f.textContent));
    assert.equal(captions.length, 2);
    // Both rings split the same indicator (the one the Chart tab's composition splits).
    const what = captions.map((c) => c.split(lang === 'vi' ? / theo (loại hình|lĩnh vực)/ : / by (kind|sector)/)[0]);
    assert.equal(what[0], what[1], captions.join(' | '));
    if (q.includes('i=workers')) assert.match(what[0], /Lao động/);
    assert.match(captions[1], lang === 'vi' ? / theo lĩnh vực — 2024$/ : / by sector — 2024$/);
    assert.equal(await page.$('[data-testid="profile-no-sectors"]'), null);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
}

test('the official dataset (published totals only): no ring, and a sentence saying why', { timeout: 120000 }, async () => {
  const ctx = await site.browser.newContext();
  for (const [lang, re] of [['vi', /^Bộ dữ liệu này chỉ có số liệu tổng đã công bố, không có từng đơn vị: không chia được theo loại hình hay lĩnh vực\.$/],
    ['en', /^This dataset has only published totals, not the units themselves: it cannot be split by kind or by sector\.$/]]) {
    const page = await openPage(ctx, `${site.url}?d=gso-chinh-thuc&t=profile&l=${lang}`);
    await page.waitForSelector('[data-testid="profile-no-sectors"]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid="profile-no-sectors"]'), re);
    assert.equal(await page.locator('[data-testid="profile-composition"] .chart').count(), 0);
    assert.deepEqual(page.errors, []);
  }
  await ctx.close();
});
