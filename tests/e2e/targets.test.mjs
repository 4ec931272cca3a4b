// End-to-end tests of targets and rival sources (issue 16, sections 2 and 3) against dist/:
// the official dataset's cards show progress toward the 2025 and 2030 targets in both languages,
// with the documents in the card's source, and the Sources tab lists the targets and the figures
// two sources give differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSite, openPage, kpi } from './harness.mjs';


const site = useSite();

const targetLines = (page, id) =>
  page.$$eval(`[data-testid="kpi-${id}"] [data-testid="kpi-target"]`, (ps) => ps.map((p) => p.textContent));

test('the official cards show progress toward the 2025 and 2030 targets, in Vietnamese and English', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?d=gso-chinh-thuc');
  assert.equal(await kpi(page, 'htx_total'), 35041, 'end-2025, Ministry of Finance');
  assert.deepEqual(await targetLines(page, 'htx_total'), [
    'Mục tiêu 2025: khoảng 35.000 — đạt 100,1%, đã đạt',
    'Mục tiêu 2030: khoảng 45.000 — đạt 77,9%; cần +1.992/năm, 2022–2025: +1.888/năm',
  ]);
  const source = await page.textContent('[data-testid="kpi-htx_total"] .card-source');
  assert.match(source, /1318\/QĐ-TTg/);
  assert.match(source, /20-NQ\/TW/);

  // The year before: not reached yet, the pace needed against 2021–2024's, and the ministry's
  // 33,335 rather than the Alliance's 33,557.
  const y2024 = await openPage(ctx, site.url + '?d=gso-chinh-thuc&y=2024&l=en');
  assert.equal(await kpi(y2024, 'htx_total'), 33335);
  assert.deepEqual(await targetLines(y2024, 'htx_total'), [
    'Target 2025: about 35,000 — 95.2% reached; needs +1,665/year, 2021–2024: +1,998/year',
    'Target 2030: about 45,000 — 74.1% reached; needs +1,944/year, 2021–2024: +1,998/year',
  ]);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(y2024.errors, []);
  await ctx.close();
});

test('the Sources tab lists the targets with their wording and both figures where sources differ', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?d=gso-chinh-thuc&t=sources');
  const rivals = await page.textContent('[data-testid="rival-figures"]');
  // Each figure with its publisher in plain words (issue 15), not an authority code.
  assert.match(rivals, /biểu đồ dùng 33\.335 \(Báo cáo của Bộ/);
  assert.match(rivals, /nguồn khác: 33\.557 \(Liên minh Hợp tác xã Việt Nam/);
  assert.match(rivals, /14\.642/);
  assert.match(rivals, /15\.590/);
  const targets = await page.textContent('[data-testid="target-sources"]');
  assert.match(targets, /Quyết định 1318\/QĐ-TTg/);
  assert.match(targets, /“Mục tiêu cụ thể của kế hoạch đến năm 2025/);
  assert.match(targets, /Nghị quyết 20-NQ\/TW/);
  // Province tables name the rival national figures in their notes.
  await page.click('[data-testid="tab-table"]');
  await page.waitForSelector('[data-testid="data-table"]');
  const notes = await page.$$eval('[data-testid="table-note"]', (ps) => ps.map((p) => p.textContent).join('\n'));
  assert.match(notes, /33\.557/);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
