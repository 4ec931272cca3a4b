// Printing any tab (issue 16 §1 "Print and PDF", for each tab and not only the profile): an A4 PDF
// made by Chromium (`page.pdf()`) whose every page carries the heading — the app and what is shown,
// the place, the year, the dataset, its source and the date it was produced — with no control
// (buttons, selects, the filters) printed, and no text of the page under the heading. The PDF's
// text is read with pdftotext (poppler-utils): per page, and with each word's box (`-bbox`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSite, openPage } from './harness.mjs';
import { settle } from './layout.mjs';

const dir = mkdtempSync(join(tmpdir(), 'coop-print-'));

const site = useSite();

// Control labels (src/i18n.rs) that appear nowhere else in a page's text ("Share" and "Apply" do:
// "Share of cooperatives…", "does not apply").
const CONTROLS = {
  vi: ['In / Lưu PDF', 'Tải ảnh PNG', 'Tải ảnh SVG', 'Tải CSV', 'Áp dụng', 'Chia sẻ', 'Mở bộ lọc', 'Loại biểu đồ', 'Thêm chỉ tiêu', 'Bỏ tất cả', 'English'],
  en: ['Print / Save PDF', 'Download PNG', 'Download SVG', 'Download CSV', 'Show filters', 'More indicators', 'Clear all', 'Tiếng Việt'],
};
const squash = (s) => s.replace(/\s+/g, ' ').trim();

const unescape = (s) => s.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The words of each page with their boxes (pdftotext -bbox), in points from the page's top. */
function words(file) {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return html.split('<page ').slice(1).map((p) => [...p.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], w: unescape(m[5]) })));
}

for (const [lang, q, place] of [
  ['vi', 't=map&p=19', 'Thái Nguyên'],
  ['vi', 't=chart&ch=trend&p=19', 'Thái Nguyên'],
  ['vi', 't=table', 'Toàn bộ dữ liệu'],
  ['vi', 't=sources', 'Toàn bộ dữ liệu'],
  ['en', 't=map&r=tn', 'Central Highlands'],
  ['en', 'd=gso-chinh-thuc&t=chart&ch=trend', 'Whole dataset'],
]) {
  test(`printing ?${q} (${lang}): the heading on every A4 page, above the content, and no control`, { timeout: 120000 }, async () => {
    const ctx = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await openPage(ctx, `${site.url}?l=${lang}&${q}`);
    await settle(page);
    const head = await page.evaluate(() => {
      const h = document.querySelector('[data-testid="print-head"]');
      return h && { lines: [...h.children].map((c) => c.textContent) };
    });
    assert.ok(head, 'a print heading in the page');
    await page.emulateMedia({ media: 'print' });
    await page.waitForTimeout(300);
    const pdf = await page.pdf({ format: 'A4' });
    const file = join(dir, `${q.replace(/\W+/g, '-')}-${lang}.pdf`);
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
    assert.ok(pages >= 1 && pages <= 20, `${pages} pages`);
    assert.match(info, /Page size:\s+59[56](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);

    // What the heading must say, each as the page writes it.
    const [title, placeLine, sourceLine] = head.lines.map(squash);
    const today = new Date().toISOString().slice(0, 10);
    assert.match(title, lang === 'vi' ? /^Atlas Kinh tế tập thể — / : /^Coop Atlas — /);
    assert.ok(placeLine.startsWith(place), placeLine);
    assert.match(placeLine, lang === 'vi' ? /Năm 20\d\d · Bộ dữ liệu: / : /Year 20\d\d · Dataset: /);
    assert.match(sourceLine, lang === 'vi' ? /^Nguồn: .{10,} · Lập ngày \d{4}-\d\d-\d\d$/ : /^Source: .{10,} · Produced on \d{4}-\d\d-\d\d$/);
    assert.ok(sourceLine.endsWith(today), sourceLine);

    const boxes = words(file);
    assert.equal(boxes.length, pages);
    for (let i = 1; i <= pages; i++) {
      const text = squash(execFileSync('pdftotext', ['-f', String(i), '-l', String(i), file, '-'], { encoding: 'utf8' }));
      for (const line of [title, placeLine, sourceLine]) assert.ok(text.includes(line), `page ${i} of ${pages}: "${line}" missing`);
      for (const c of CONTROLS[lang]) assert.ok(!text.includes(c), `page ${i}: the control "${c}" is printed`);
      // Nothing of the page under the heading: every word in the heading's band is one of its words.
      const own = new Set(head.lines.map(squash).join(' ').split(' '));
      const pw = boxes[i - 1];
      const last = pw.filter((w) => w.w === today).map((w) => w.y1);
      assert.ok(last.length >= 1, `page ${i}: the heading's date`);
      const band = Math.min(...last);
      const under = pw.filter((w) => w.y0 < band - 1 && !own.has(w.w));
      assert.deepEqual(under.map((w) => w.w), [], `page ${i}: words printed over the heading`);
    }
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
}

// The Table tab has a column per indicator (20 for the illustrative set), which A4 portrait
// cannot hold at a readable size: it prints in blocks of a few indicators, the name column and
// the totals row repeated in each (src/ui/table_tab.rs print_blocks).
test('printing the Table tab: every column, in blocks within the A4 page', { timeout: 120000 }, async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await openPage(ctx, `${site.url}?t=table`);
  await settle(page);
  const screenHeads = await page.$$eval('[data-testid="data-table"] thead th', (ths) => ths.slice(1).map((t) => t.textContent.trim()));
  const rows = await page.$$eval('[data-testid="data-table"] tbody tr', (trs) => trs.length);
  assert.ok(screenHeads.length > 6, `a wide table (${screenHeads.length} indicators)`);
  await page.emulateMedia({ media: 'print' });
  // A4's text width: 186 mm at 96 px per inch = 703 px (as profile.test.mjs measures).
  await page.setViewportSize({ width: 703, height: 1000 });
  await page.waitForTimeout(300);
  const blocks = await page.$$eval('[data-testid="table-print-block"]', (ts) => ts.map((t) => ({
    right: t.getBoundingClientRect().right,
    visible: t.getBoundingClientRect().width > 0,
    heads: [...t.querySelectorAll('thead th')].slice(1).map((th) => th.textContent.trim()),
    rows: t.querySelectorAll('tbody tr').length,
    total: Boolean(t.querySelector('tfoot tr')),
    cut: [...t.querySelectorAll('th, td')].filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent.trim()),
  })));
  assert.ok(blocks.length >= 2, 'printed in blocks');
  for (const [i, b] of blocks.entries()) {
    assert.ok(b.visible, `block ${i + 1} printed`);
    assert.ok(b.right <= 703.5, `block ${i + 1} ends at ${Math.round(b.right)} px, the page at 703`);
    assert.equal(b.rows, rows, `block ${i + 1}: every row`);
    assert.ok(b.total, `block ${i + 1}: the totals row`);
    assert.deepEqual(b.cut, [], `block ${i + 1}: no cell cut`);
  }
  // Every indicator once, in the screen's order.
  assert.deepEqual(blocks.flatMap((b) => b.heads), screenHeads);
  // The screen table (wider than the page) is not printed.
  assert.equal(await page.$eval('[data-testid="data-table"]', (t) => t.getBoundingClientRect().width), 0);
  await ctx.close();
});
