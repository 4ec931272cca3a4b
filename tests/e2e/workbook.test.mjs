// End-to-end tests of Excel workbooks (issue 14, item 1) against the release build, in Chromium:
// the workbook worker (the own-data worker with the .xlsx reader linked in) is created only for a
// workbook, told by its bytes, never for a first view or a CSV, and is not in the precache but is
// kept for offline use once fetched; a provincial register saved by openpyxl or by LibreOffice
// opens with its register sheet preselected, another sheet can be picked, and the report names
// cells as Excel does; each bad workbook gets its own message and the data already loaded stays;
// a 20,000-row workbook opens within 2 s (the fastest of up to three opens: the cores are shared)
// with no main-thread task over 50 ms while it is read.
// The workbooks are made by scripts/fixtures/make_workbooks.py. COOP_DIST=/path serves another build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSite, openPage, kpi, ROOT, DIST } from './harness.mjs';

const FIX = join(ROOT, 'tests/fixtures');
const TMP = mkdtempSync(join(tmpdir(), 'coop-workbook-'));

const site = useSite();

/** A context recording the Workers the page creates and the page's requests for either worker. */
async function watchedContext(options = {}) {
  const ctx = await site.browser.newContext(options);
  await ctx.addInitScript(() => {
    window.__workers = [];
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url, opts) {
        super(url, opts);
        window.__workers.push(String(url));
      }
    };
  });
  ctx.workbookRequests = [];
  ctx.on('request', (r) => { if (/coop-atlas-workbook/.test(r.url()) && !r.serviceWorker()) ctx.workbookRequests.push(r.url()); });
  return ctx;
}

const workers = (page) => page.evaluate(() => window.__workers);
const openFile = (page, path) => page.setInputFiles('[data-testid="file-input"]', path);
const htxCount = (page, n) => page.waitForFunction((n) => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === String(n), n, { timeout: 30000 });
const meta = (name) => new RegExp(`<meta name="${name}" content="([^"]+)"`).exec(readFileSync(join(DIST, 'index.html'), 'utf8'))?.[1];

test('a first view and a CSV create no workbook worker and fetch none of its files; it is built, hashed, not precached', async () => {
  const loader = meta('coop-atlas-workbook');
  assert.match(loader ?? '', /^coop-atlas-workbook-loader-[0-9a-f]{16}\.js$/, 'index.html names the hashed workbook loader');
  assert.ok(existsSync(join(DIST, loader)));
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  assert.doesNotMatch(sw, /coop-atlas-workbook/, 'the workbook worker is not in the precache');
  assert.match(sw, /coop-atlas-worker-loader-/, 'the CSV/JSON worker still is');
  const ctx = await watchedContext();
  const page = await openPage(ctx, site.url);
  await page.waitForTimeout(1000);
  assert.deepEqual(await workers(page), []);
  await openFile(page, join(FIX, 'own-good-vi.csv'));
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 30000 });
  const made = await workers(page);
  assert.equal(made.length, 1);
  assert.match(made[0], /coop-atlas-worker-loader-[0-9a-f]{16}\.js$/);
  assert.deepEqual(ctx.workbookRequests, []);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

for (const file of ['register-openpyxl.xlsx', 'register-libreoffice.xlsx']) {
  test(`${file}: the register sheet preselected, another picked and refused with its reason, then checked and opened`, { timeout: 60000 }, async () => {
    const ctx = await watchedContext();
    const page = await openPage(ctx, site.url);
    await openFile(page, join(FIX, file));
    await page.waitForSelector('[data-testid="mapping-step"]', { timeout: 30000 });
    const made = await workers(page);
    assert.equal(made.length, 1);
    assert.match(made[0], /coop-atlas-workbook-loader-[0-9a-f]{16}\.js$/, 'a workbook goes to the workbook worker');
    const sheet = page.locator('[data-testid="map-sheet"]');
    assert.equal(await sheet.inputValue(), '1', 'the register sheet, after the instructions sheet, is preselected');
    assert.deepEqual(await sheet.locator('option').allTextContents(), ['Hướng dẫn', 'Danh sách HTX']);
    // The header found under the title rows and merged cells: "Mã số HTX" is the unit id.
    const headers = await page.locator('[data-testid="mapping-step"] tbody th q').allTextContents();
    assert.deepEqual(headers.slice(0, 4), ['STT', 'Tên HTX', 'Mã số HTX', 'Tỉnh']);
    assert.equal(await page.inputValue('[data-testid="map-2"]'), 'id');
    // The instructions sheet is not a list: said so, and the register's mapping stays.
    await sheet.selectOption('0');
    await page.waitForSelector('[data-testid="sheet-note"]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid="sheet-note"]'), /Không đọc được trang “Hướng dẫn” thành danh sách: .*một cột/);
    assert.equal(await page.locator('[data-testid="map-sheet"]').inputValue(), '1');
    await page.click('[data-testid="map-confirm"]');
    await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 30000 });
    await htxCount(page, 4);
    const ok = await page.textContent('[data-testid="file-accepted"]');
    assert.match(ok, /hàng 12, 13/, 'the two totals rows skipped, by their spreadsheet rows');
    assert.match(ok, /Hà Tây/);
    assert.equal(new URL(page.url()).searchParams.get('ld'), file.replace('.xlsx', ''));
    assert.deepEqual(page.errors, []);
    await ctx.close();
  });
}

test('a mistake in a workbook is reported at its cell, as Excel names it, in both languages', { timeout: 60000 }, async () => {
  const ctx = await watchedContext();
  const page = await openPage(ctx, site.url);
  await openFile(page, join(FIX, 'register-mistake.xlsx'));
  await page.waitForSelector('[data-testid="mapping-step"]', { timeout: 30000 });
  await page.click('[data-testid="map-confirm"]');
  await page.waitForSelector('[data-testid="file-report"]', { timeout: 30000 });
  assert.match(await page.textContent('[data-testid="file-report"]'), /ô 'Danh sách HTX'!I9, cột Số lao động: ghi -3/);
  await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction(() => /cell 'Danh sách HTX'!I9/.test(document.querySelector('[data-testid="file-report"]')?.textContent ?? ''));
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('each bad workbook gets its own message saying what to do, and the data on screen stays', { timeout: 120000 }, async () => {
  const ctx = await watchedContext();
  const page = await openPage(ctx, site.url);
  await openFile(page, join(FIX, 'own-good-vi.csv'));
  await htxCount(page, 20);
  const before = { url: page.url(), line: await page.textContent('[data-testid="dataset-line"]') };
  // An .xls renamed .xlsx is still told by its bytes.
  const renamed = join(TMP, 'so-lieu.xlsx');
  copyFileSync(join(FIX, 'register-excel97.xls'), renamed);
  const cases = [
    ['register-excel97.xls', /sổ tính Excel đời cũ \(\.xls, Excel 97-2003\).*Lưu thành → "Excel Workbook \(\.xlsx\)"/s],
    [renamed, /sổ tính Excel đời cũ \(\.xls, Excel 97-2003\)/],
    ['register-password.xlsx', /sổ tính có đặt mật khẩu.*gỡ mật khẩu/s],
    ['register-truncated.xlsx', /sổ tính bị hỏng.*chép hoặc tải lại tệp/s],
    ['bomb.xlsx', /giải nén ra từ 299 MB.*tối đa 256 MB/s],
    ['register.ods', /bảng tính LibreOffice \(\.ods\).*Excel 2007-365/s],
  ];
  for (const [f, says] of cases) {
    await openFile(page, f.startsWith('/') ? f : join(FIX, f));
    await page.waitForSelector('[data-testid="file-report"]', { timeout: 30000 });
    assert.match(await page.textContent('[data-testid="file-report"]'), says, f);
    assert.equal(page.url(), before.url, f);
    assert.equal(await page.textContent('[data-testid="dataset-line"]'), before.line, f);
    assert.equal(await kpi(page, 'htx_count'), 20, f);
  }
  // In English too, from the same report (no second worker).
  const n = (await workers(page)).length;
  await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction(() => /OpenDocument spreadsheet/.test(document.querySelector('[data-testid="file-report"]')?.textContent ?? ''));
  assert.equal((await workers(page)).length, n);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the workbook worker is kept for offline use the first time it is fetched', { timeout: 180000 }, async () => {
  if (!existsSync(join(DIST, 'sw.js'))) return;
  const ctx = await watchedContext();
  const page = await openPage(ctx, site.url);
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
  const loader = meta('coop-atlas-workbook');
  const cached = (loader) => page.evaluate(async (loader) => {
    for (const name of await caches.keys()) {
      const keys = (await (await caches.open(name)).keys()).map((r) => r.url);
      if (keys.some((u) => u.endsWith(loader)) && keys.some((u) => /coop-atlas-workbook-[0-9a-f]{16}_bg\.wasm$/.test(u))) return true;
    }
    return false;
  }, loader);
  assert.equal(await cached(loader), false, 'not stored before a workbook is opened');
  await openFile(page, join(FIX, 'register-openpyxl.xlsx'));
  await page.waitForSelector('[data-testid="mapping-step"]', { timeout: 30000 });
  for (const t0 = Date.now(); !(await cached(loader)) && Date.now() - t0 < 30000;) await page.waitForTimeout(300);
  assert.equal(await cached(loader), true, 'stored once fetched');
  await page.click('[data-testid="map-cancel"]');
  await ctx.setOffline(true);
  const p2 = await openPage(ctx, site.url);
  await openFile(p2, join(FIX, 'register-libreoffice.xlsx'));
  await p2.waitForSelector('[data-testid="mapping-step"]', { timeout: 30000 });
  await p2.click('[data-testid="map-confirm"]');
  await htxCount(p2, 4);
  await ctx.setOffline(false);
  assert.deepEqual(p2.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  await ctx.close();
});

/** Opens the 20,000-row workbook in a fresh page: picked → on screen (ms), the main thread's
 *  tasks over 50 ms [start, duration] from the pick, and when the worker's answer arrived. */
async function openBig() {
  const ctx = await watchedContext();
  await ctx.addInitScript(() => {
    window.__answered = null;
    const Watched = window.Worker;
    window.Worker = class extends Watched {
      set onmessage(f) { super.onmessage = (e) => { window.__answered = performance.now(); f(e); }; }
      get onmessage() { return super.onmessage; }
    };
  });
  const page = await openPage(ctx, site.url);
  // Picked → on screen, the workbook worker's start included (its files from the local server).
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask' });
  });
  const t0 = await page.evaluate(() => performance.now());
  await openFile(page, join(FIX, 'big-20000.xlsx'));
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 60000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value')) > 0);
  const t1 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(500);
  const { long, answered } = await page.evaluate(() => ({ long: window.__long, answered: window.__answered }));
  const errors = page.errors;
  await ctx.close();
  return { ms: Math.round(t1 - t0), answered: Math.round(answered - t0), long: long.map(([s, d]) => [s - Math.round(t0), d]), errors };
}

// The machine's cores are shared (other builds, other tests: with a load average of 10 on 2 cores a
// 20 ms task is seen as a 100 ms one): up to three opens, each in a fresh page, until one meets
// both conditions; every open is printed.
test('a 20,000-row workbook opens within 2 s, with no main-thread task over 50 ms while the worker reads it (one open of up to three)', { timeout: 180000 }, async () => {
  const runs = [];
  const meets = (r) => r.ms <= 2000 && !r.long.some(([start]) => start < r.answered - 1);
  for (let i = 0; i < 3 && !runs.some(meets); i++) {
    const r = await openBig();
    runs.push(r);
    console.log(`20,000-row workbook: opened in ${r.ms} ms (worker answered at ${r.answered} ms); long tasks ${JSON.stringify(r.long)}`);
    assert.deepEqual(r.errors, []);
  }
  assert.ok(runs.some(meets), `no open met both: ${JSON.stringify(runs.map(({ ms, answered, long }) => ({ ms, answered, long })))}`);
});
