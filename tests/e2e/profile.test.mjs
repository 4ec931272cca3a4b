// End-to-end tests of the Profile view (issue 16 §1) against dist/: a province's, a region's and
// the whole dataset's profile, each section present and right, from the link alone and after a
// click on the map; nothing wider than a 360 px phone; two years compared; and a PDF printed by
// Chromium (A4) whose every page names the place, a figure and the source, with no element wider
// than the page in print media. The PDF's text is read with pdftotext (poppler-utils,
// scripts/setup.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSite, openPage, kpi } from './harness.mjs';


const site = useSite();

const PROFILE = '[data-testid="profile-figures"] [data-testid="profile-row-htx_count"]';
const texts = (page, sel) => page.$$eval(sel, (els) => els.map((e) => e.textContent.trim()));

async function openProfile(ctx, query) {
  const page = await openPage(ctx, site.url + query);
  await page.waitForSelector(PROFILE, { timeout: 30000 });
  // Every year is fetched for the changes since the first year: wait for that line.
  await page.waitForSelector(`${PROFILE} [data-testid="profile-since-first"]`, { timeout: 30000 });
  return page;
}

test('a province profile from the link: figures, changes, rank, trends, composition, map, coverage, sources', async () => {
  const ctx = await site.browser.newContext();
  const page = await openProfile(ctx, '?t=profile&p=19');
  assert.match(await page.textContent('[data-testid="profile-place"]'), /Thái Nguyên/);
  // The profile's figure is the province's headline card's, and its change since 2023 the card's.
  const value = Number(await page.getAttribute(PROFILE, 'data-value'));
  assert.equal(value, await kpi(page, 'htx_count'));
  const cardChange = (await page.textContent('[data-testid="kpi-htx_count"] .meta')).split(' ')[0];
  const sincePrev = await page.textContent(`${PROFILE} [data-testid="profile-since-prev"]`);
  assert.ok(sincePrev.startsWith(cardChange), `${sincePrev} vs the card's ${cardChange}`);
  assert.match(sincePrev, /so với 2023$/);
  assert.match(await page.textContent(`${PROFILE} [data-testid="profile-since-first"]`), /so với 2019$/);
  // Rank among the 28 provinces of the dataset, checked against the Table tab's own figures below.
  const rank = await page.textContent(`${PROFILE} [data-testid="profile-rank"]`);
  const m = rank.match(/^Hạng (\d+)\/28 tỉnh · trung vị 28 tỉnh: [\d.,]+ · cao nhất: (.+) \(([\d.]+)\)$/);
  assert.ok(m, rank);
  for (const s of ['profile-trends', 'profile-composition', 'profile-map', 'profile-coverage', 'profile-sources']) {
    assert.ok(await page.$(`[data-testid="${s}"]`), `section ${s}`);
  }
  await page.waitForSelector('[data-testid="profile-map"] path[data-code="19"][aria-pressed="true"]');
  assert.match(await page.textContent('[data-testid="profile-coverage"]'), /28\/63 tỉnh/);
  assert.match(await page.textContent('[data-testid="profile-sources"]'), /Dữ liệu minh họa/);
  assert.ok(await page.$('[data-testid="profile-illustrative"]'));
  await page.waitForSelector('[data-testid^="profile-trend-"] canvas', { timeout: 30000 });

  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the rank, median and highest agree with the Table tab\'s figures of every province', async () => {
  const ctx = await site.browser.newContext();
  const page = await openProfile(ctx, '?t=profile&p=19&l=en');
  const rank = await page.textContent(`${PROFILE} [data-testid="profile-rank"]`);
  const m = rank.match(/^Rank (\d+) of 28 provinces · median of 28 provinces: ([\d,.]+) · highest: (.+) \(([\d,]+)\)$/);
  assert.ok(m, rank);
  const own = Number(await page.getAttribute(PROFILE, 'data-value'));
  const table = await openPage(ctx, site.url + '?t=table&l=en');
  await table.waitForSelector('[data-testid="data-table"] tbody tr');
  const rows = await table.evaluate(() => {
    const col = [...document.querySelectorAll('[data-testid="data-table"] thead th')].findIndex((th) => th.dataset.col === 'htx_count');
    return [...document.querySelectorAll('[data-testid="data-table"] tbody tr')].map((tr) => ({
      name: tr.querySelector('th').textContent.trim(),
      value: Number(tr.children[col].textContent.replace(/,/g, '')),
    }));
  });
  assert.equal(rows.length, 28, 'the table lists the 28 provinces');
  const values = rows.map((r) => r.value).sort((a, b) => a - b);
  assert.equal(Number(m[1]), 1 + values.filter((v) => v > own).length);
  const median = (values[13] + values[14]) / 2;
  assert.equal(Number(m[2].replace(/,/g, '')), median);
  const top = rows.reduce((a, b) => (b.value > a.value ? b : a));
  assert.equal(m[3], top.name);
  assert.equal(Number(m[4].replace(/,/g, '')), top.value);
  await ctx.close();
});

test('a region and the whole dataset: rank among regions, median and highest, no rank for the whole', async () => {
  const ctx = await site.browser.newContext();
  const region = await openProfile(ctx, '?t=profile&r=tdmnpb&l=en');
  assert.match(await region.textContent('[data-testid="profile-place"]'), /Northern Midlands and Mountains/);
  assert.match(await region.textContent(`${PROFILE} [data-testid="profile-rank"]`), /^Rank \d of [2-6] regions · median of 28 provinces: [\d,.]+ · highest: .+$/);
  const whole = await openProfile(ctx, '?t=profile&l=en');
  assert.match(await whole.textContent('[data-testid="profile-place"]'), /Whole dataset/);
  assert.match(await whole.textContent(`${PROFILE} [data-testid="profile-rank"]`), /^Median of 28 provinces: [\d,.]+ · highest: .+ \([\d,]+\)$/);
  assert.match(await whole.textContent('[data-testid="profile-sources"]'), /Illustrative data/);
  assert.deepEqual(region.errors, []);
  assert.deepEqual(whole.errors, []);
  await ctx.close();
});

test('reached from the map, the table and the province search', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?t=map');
  await page.waitForSelector('#main path[data-code="19"]');
  await page.click('#main path[data-code="19"]');
  await page.click('[data-testid="view-profile"]');
  await page.waitForSelector(PROFILE);
  assert.match(await page.textContent('[data-testid="profile-place"]'), /Thái Nguyên/);
  assert.match(page.url(), /t=profile/);
  assert.match(page.url(), /p=19/);

  const table = await openPage(ctx, site.url + '?t=table');
  await table.waitForSelector('[data-testid="data-table"] tr[data-key="19"] [data-testid="table-profile-link"]');
  await table.click('[data-testid="data-table"] tr[data-key="19"] [data-testid="table-profile-link"]');
  await table.waitForSelector(PROFILE);
  assert.match(await table.textContent('[data-testid="profile-place"]'), /Thái Nguyên/);

  const search = await openPage(ctx, site.url + '?t=map');
  await search.fill('[data-testid="province-search"]', 'thai nguyen');
  await search.click('[data-testid="province-suggestions"] [data-testid="search-profile"]');
  await search.waitForSelector(PROFILE);
  assert.match(await search.textContent('[data-testid="profile-place"]'), /Thái Nguyên/);
  for (const p of [page, table, search]) assert.deepEqual(p.errors, []);
  await ctx.close();
});

test('at 360 px nothing is wider than the screen', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await openProfile(ctx, '?t=profile&p=19&y=2020-2024');
  await page.waitForSelector('[data-testid="profile-map"] path[data-code="19"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await ctx.close();
});

test('two years: each figure shows both years and the change, shares in points', async () => {
  const ctx = await site.browser.newContext();
  const page = await openProfile(ctx, '?t=profile&p=19&y=2020-2024&l=en');
  const two = await page.textContent(`${PROFILE} [data-testid="profile-two-years"]`);
  const m = two.match(/^2020: ([\d,]+) → ([\d,]+) \(2024\)$/);
  assert.ok(m, two);
  const [a, b] = [Number(m[1].replace(/,/g, '')), Number(m[2].replace(/,/g, ''))];
  const d = b - a;
  const sign = d > 0 ? '+' : d < 0 ? '\u2212' : '';
  const pct = (Math.abs(d) / a * 100).toFixed(1);
  assert.equal(await page.textContent(`${PROFILE} [data-testid="profile-two-change"]`),
    `${sign}${Math.abs(d).toLocaleString('en-US')} (${d === 0 ? '' : sign}${pct}%)`);
  // A share's change is in points, never a percent of a percent.
  const shares = await texts(page, '[data-testid^="profile-row-"] [data-testid="profile-two-change"]');
  assert.ok(shares.some((s) => / pts$/.test(s)), shares.join(' | '));
  for (const s of shares.filter((s) => / pts$/.test(s))) assert.doesNotMatch(s, /%/);
  // The base year chosen in the page writes the link.
  await page.selectOption('[data-testid="profile-base-year"]', '2021');
  await page.waitForFunction(() => location.search.includes('y=2021-2024'));
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('print: an A4 PDF whose every page names the place, a figure and the source; nothing wider than the page', async () => {
  const ctx = await site.browser.newContext();
  const page = await openProfile(ctx, '?t=profile&p=19');
  await page.waitForSelector('[data-testid^="profile-trend-"] canvas', { timeout: 30000 });
  await page.waitForSelector('[data-testid="profile-map"] path[data-code="19"]');
  await page.emulateMedia({ media: 'print' });
  // Controls are not printed.
  for (const sel of ['[data-testid="print"]', '.tablist', '[data-testid="province-search"]', '[data-testid="kpis"]']) {
    assert.equal(await page.$eval(sel, (el) => getComputedStyle(el).display === 'none' || el.closest('[style*="none"]') !== null || el.offsetParent === null), true, `${sel} printed`);
  }
  // Nothing wider than A4's text (186 mm at 96 px/in = 703 px).
  await page.setViewportSize({ width: 703, height: 1000 });
  await page.waitForTimeout(300);
  const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > 703.5 && getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0)
    .map((el) => `${el.tagName}.${el.className && el.className.baseVal === undefined ? el.className : ''}`));
  assert.deepEqual(wide, [], 'elements wider than the page');
  // The charts were redrawn at the page's width, not left at the screen's.
  const chartWidth = await page.$eval('[data-testid^="profile-trend-"]', (el) => el.getBoundingClientRect().width);
  assert.ok(chartWidth <= 703, `chart ${chartWidth}px`);

  const pdf = await page.pdf({ format: 'A4' });
  const dir = mkdtempSync(join(tmpdir(), 'coop-pdf-'));
  const file = join(dir, 'profile.pdf');
  writeFileSync(file, pdf);
  // KEEP_PDF=/path/file.pdf keeps a copy to look at (pdftoppm renders its pages).
  if (process.env.KEEP_PDF) writeFileSync(process.env.KEEP_PDF, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
  assert.ok(pages >= 2 && pages <= 12, `${pages} pages`);
  assert.match(info, /Page size:\s+59[56](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
  const value = Number(await page.getAttribute(PROFILE, 'data-value')).toLocaleString('de-DE');
  for (let i = 1; i <= pages; i++) {
    const text = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), '-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, /Thái Nguyên/, `page ${i}: the place`);
    assert.ok(text.includes(value), `page ${i}: the figure ${value}`);
    assert.match(text, /Nguồn/, `page ${i}: the source`);
    assert.match(text, /minh họa/, `page ${i}: the illustrative label`);
  }
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
