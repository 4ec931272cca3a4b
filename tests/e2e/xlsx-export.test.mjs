// End-to-end tests of the Excel downloads (issue 14 item 4) against the release build, in Chromium:
// the Table tab's "Tải Excel (.xlsx)" downloads a workbook named after the table, a zip holding
// xl/worksheets/sheet1.xml in which a figure shown on screen is a number cell and the source and
// the illustrative label are text; openpyxl reads the same figures (tests/xlsx_openpyxl.py); the
// writer runs in the own-data worker, which the first view never loads; a refused file's report
// downloads as a workbook too.
// COOP_DIST=/path serves another build (default dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useSite, openPage, ROOT } from './harness.mjs';

const TMP = mkdtempSync(join(tmpdir(), 'coop-xlsx-'));

const site = useSite();

/** The names of a zip's entries (`unzip -Z1`), and one entry's text. */
const entries = (path) => execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }).trim().split('\n');
const entry = (path, name) => execFileSync('unzip', ['-p', path, name], { encoding: 'utf8' });

/** The cells of a worksheet's XML: reference → { type, value }. */
function cells(xml) {
  const out = new Map();
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*)>(.*?)<\/c>/g)) {
    const type = /t="(\w+)"/.exec(m[2])?.[1] ?? null;
    const v = /<v>(.*?)<\/v>/.exec(m[3])?.[1] ?? /<t[^>]*>(.*?)<\/t>/.exec(m[3])?.[1];
    out.set(m[1], { type, value: v.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>') });
  }
  return out;
}

/** A number as the Vietnamese page writes it ("1.234", "38,3%") → the number. */
const viNumber = (s) => Number(s.replace(/\./g, '').replace(',', '.').replace(/[^\d.-]/g, ''));

test('the Table tab downloads an .xlsx: a zip whose sheet holds the figures as numbers, the source and the label; openpyxl reads the same', async () => {
  const ctx = await site.browser.newContext({ acceptDownloads: true });
  const page = await openPage(ctx, site.url + '?t=table');
  await page.waitForSelector('[data-testid="data-table"] tbody tr');
  const workers = [];
  page.on('worker', (w) => workers.push(w.url()));
  // A figure on screen: the first province's cooperatives.
  const key = await page.getAttribute('[data-testid="data-table"] tbody tr', 'data-key');
  const htxCol = await page.$$eval('[data-testid="data-table"] thead th', (ths) => ths.findIndex((th) => th.dataset.col === 'htx_count'));
  assert.ok(htxCol > 0, 'the table has a cooperatives column');
  const shown = await page.$eval(`[data-testid="data-table"] tbody tr[data-key="${key}"]`, (tr, i) => tr.children[i].textContent, htxCol);
  assert.equal(workers.length, 0, 'no worker before the click: the writer is not in the first view');

  const button = page.locator('[data-testid="download-xlsx"]');
  assert.equal(await button.textContent(), 'Tải Excel (.xlsx)');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), button.click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const file = join(TMP, download.suggestedFilename());
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
  assert.ok(entries(file).includes('xl/worksheets/sheet1.xml'), entries(file).join(' '));
  assert.ok(workers.some((u) => /coop-atlas-worker/.test(u)), `the own-data worker wrote it: ${workers}`);

  const c = cells(entry(file, 'xl/worksheets/sheet1.xml'));
  assert.deepEqual(c.get('A1'), { type: 'inlineStr', value: 'Mã' });
  // The province's row, found by its code (the page sorts by name; the file keeps the table's order).
  const row = [...c.entries()].find(([at, x]) => /^A\d+$/.test(at) && x.value === key)?.[0].slice(1);
  assert.ok(row, `row of ${key}`);
  const col = String.fromCharCode('A'.charCodeAt(0) + htxCol + 1);
  const fig = c.get(`${col}${row}`);
  assert.equal(fig.type, null, `${col}${row} is a number cell: ${JSON.stringify(fig)}`);
  assert.equal(Number(fig.value), viNumber(shown), `${col}${row} ${fig.value} vs ${shown} on screen`);
  const texts = [...c.values()].filter((x) => x.type === 'inlineStr').map((x) => x.value);
  assert.ok(texts.some((t) => t.startsWith('Nguồn: ')), texts.join(' | '));
  assert.ok(texts.includes('Dữ liệu minh họa — không phải số liệu chính thức'), texts.join(' | '));
  assert.match(await button.textContent(), /Tải Excel/, 'the button is back once the file is made');

  // openpyxl, a third reader: the header and a row read back as the page shows them.
  const header = await page.$$eval('[data-testid="data-table"] thead th', (ths) => ths.map((th) => th.textContent));
  const expected = { header: ['Mã', ...header], rows: [], source: texts.find((t) => t.startsWith('Nguồn: ')).slice('Nguồn: '.length), illustrative: 'Dữ liệu minh họa — không phải số liệu chính thức' };
  writeFileSync(join(TMP, 'expected.json'), JSON.stringify(expected));
  const py = execFileSync('python3', ['-c', `
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
row = next(r for r in ws.iter_rows() if r[0].value == sys.argv[2])
cell = row[int(sys.argv[3]) + 1]
print(type(cell.value).__name__, cell.value, ws.title)
`, file, key, String(htxCol)], { encoding: 'utf8' }).trim();
  assert.equal(py, `int ${viNumber(shown)} Bảng`);
  execFileSync('python3', [join(ROOT, 'tests/xlsx_openpyxl.py'), file, join(TMP, 'expected.json')], { encoding: 'utf8' });
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('in English the workbook has English headers', async () => {
  const ctx = await site.browser.newContext({ acceptDownloads: true });
  const page = await openPage(ctx, site.url + '?t=table&l=en');
  await page.waitForSelector('[data-testid="data-table"] tbody tr');
  const button = page.locator('[data-testid="download-xlsx"]');
  assert.equal(await button.textContent(), 'Download Excel (.xlsx)');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), button.click()]);
  const file = join(TMP, 'en-' + download.suggestedFilename());
  await download.saveAs(file);
  const c = cells(entry(file, 'xl/worksheets/sheet1.xml'));
  assert.equal(c.get('A1').value, 'code');
  assert.match(entry(file, 'xl/workbook.xml'), /<sheet name="Table"/);
  assert.ok([...c.values()].some((x) => x.value.startsWith('Source: ')));
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a refused file\'s report downloads as an .xlsx in the reader\'s words', async () => {
  const ctx = await site.browser.newContext({ acceptDownloads: true });
  const page = await openPage(ctx, site.url);
  await page.setInputFiles('[data-testid="file-input"]', join(ROOT, 'tests/bad-files/bad-values.csv'));
  await page.waitForSelector('[data-testid="file-report"]', { timeout: 30000 });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('[data-testid="report-download-xlsx"]')]);
  assert.equal(download.suggestedFilename(), 'bad-values-errors.xlsx');
  const file = join(TMP, download.suggestedFilename());
  await download.saveAs(file);
  const c = cells(entry(file, 'xl/worksheets/sheet1.xml'));
  assert.deepEqual(['A1', 'B1', 'C1', 'D1', 'E1'].map((a) => c.get(a).value), ['Hàng', 'Cột', 'Vấn đề', 'Cần', 'Mức']);
  assert.deepEqual(c.get('A2'), { type: null, value: '3' }, 'the row is a number');
  assert.equal(c.get('B2').value, 'Tỉnh (mã hoặc tên)');
  assert.ok([...c.values()].some((x) => x.value === 'Tệp: bad-values.csv'));
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
