// One rule for decimals in a row of cards (issue 15 item 8): "3 triệu" never stands next to
// "3,4 triệu". In every row of figures a reader compares — the headline cards (with those folded
// under "more indicators") and the profile's figures — the amounts written with one scale word
// ("triệu", "tỷ", "million", "billion") show one number of decimals below 100 of the scale and
// one from 100 (the rule, dashboard::align_decimals_by: one decimal below 100 when any has one,
// none from 100 — "421 triệu" beside "5,3 triệu" is that rule, "95.273,7 tỷ" beside "88.586 tỷ"
// is not), and the percentages one number of decimals. Both languages, every bundled dataset,
// the whole dataset, a region and a province.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSite, openPage, ROOT } from './harness.mjs';


const site = useSite();

const catalog = JSON.parse(readFileSync(join(ROOT, 'public/data/catalog.json'), 'utf8'));

/**
 * The decimals of each figure of a row, grouped by what it is written in and, for an amount, by
 * whether it is below 100 of its scale: `{ "triệu <100": [{ text, decimals }] }`. A figure reads
 * `<number> <scale word> <unit>` or `<number>%`; plain counts have no group (a count is whole, a
 * mean of counts has its decimal, and they are not the same measure).
 */
export function decimalsByScale(texts, lang) {
  const [group, point] = lang === 'vi' ? ['.', ','] : [',', '.'];
  const esc = (c) => `\\${c}`;
  const num = `[−+-]?\\d{1,3}(?:${esc(group)}\\d{3})*(?:${esc(point)}(\\d+))?`;
  const scaled = new RegExp(`^${num}\\s+(triệu|tỷ|million|billion)\\b`);
  const pct = new RegExp(`^${num}\\s*%`);
  const out = {};
  for (const raw of texts) {
    const t = raw.trim();
    let m = t.match(scaled);
    let key = m && `${m[2]} ${Number(m[0].split(/\s/)[0].replaceAll(group, '').replace(point, '.').replace('−', '-')) < 100 ? '<100' : '≥100'}`;
    if (!m) {
      m = t.match(pct);
      key = m && '%';
    }
    if (!m) continue;
    (out[key] ??= []).push({ text: t, decimals: m[1] ? m[1].length : 0 });
  }
  return out;
}

/** A row breaks the rule when one group has figures with different numbers of decimals. */
function mixed(groups) {
  return Object.entries(groups)
    .filter(([, fs]) => new Set(fs.map((f) => f.decimals)).size > 1)
    .map(([k, fs]) => `${k}: ${fs.map((f) => f.text).join(' · ')}`);
}

test('the grouping reads figures as a reader does', () => {
  const vi = decimalsByScale(['3 triệu đồng', '3,4 triệu đồng', '3.000', '38,3%', '12 tỷ đồng', '421 triệu đồng'], 'vi');
  assert.deepEqual(mixed(vi), ['triệu <100: 3 triệu đồng · 3,4 triệu đồng']);
  assert.deepEqual(vi['%'].map((f) => f.decimals), [1]);
  const en = decimalsByScale(['3.0 million VND', '3.4 million VND', '421 million VND', '3,000', '4.56 billion VND', '12.5 billion VND', '95,273.7 billion VND', '88,586 billion VND'], 'en');
  assert.deepEqual(mixed(en), ['billion <100: 4.56 billion VND · 12.5 billion VND', 'billion ≥100: 95,273.7 billion VND · 88,586 billion VND']);
});

for (const d of catalog.datasets) {
  for (const lang of ['vi', 'en']) {
    test(`${d.id} (${lang}): each row of cards and the profile's figures use one decimals rule`, { timeout: 120000 }, async () => {
      const ctx = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await openPage(ctx, null);
      const places = d.illustrative ? ['', '&p=19', '&r=tn'] : [''];
      const broken = [];
      let rows = 0;
      for (const place of places) {
        for (const tab of ['map', 'profile']) {
          const q = `?d=${d.id}&l=${lang}&t=${tab}${place}`;
          await page.goto(site.url + q);
          await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
          await page.waitForSelector('[data-testid^="kpi-"] .value', { timeout: 30000 });
          // Cards reach their final text when the previous year has arrived (the change line).
          await page.waitForFunction(() => !document.querySelector('[data-testid^="kpi-"] .chg.pending'), null, { timeout: 30000 }).catch(() => {});
          const cards = await page.$$eval('[data-testid="kpis"] .card .value', (els) => els.map((e) => e.textContent));
          assert.ok(cards.length >= 4, `${q}: ${cards.length} cards`);
          for (const m of mixed(decimalsByScale(cards, lang))) broken.push(`${q} cards: ${m}`);
          rows++;
          if (tab === 'profile') {
            await page.waitForSelector('[data-testid="profile-figures"] .profile-row .value', { timeout: 30000 });
            const figures = await page.$$eval('[data-testid="profile-figures"] .profile-row .value', (els) => els.map((e) => e.textContent));
            for (const m of mixed(decimalsByScale(figures, lang))) broken.push(`${q} profile: ${m}`);
            rows++;
          }
        }
      }
      assert.ok(rows >= 2);
      assert.deepEqual(broken, []);
      assert.deepEqual(page.errors, []);
      await ctx.close();
    });
  }
}
