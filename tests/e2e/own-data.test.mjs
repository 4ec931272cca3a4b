// End-to-end tests of "bring your own data" (issue 7) against the release build, in Chromium:
// every bad file of tests/bad-files/ gets its message and leaves the dataset on screen unchanged;
// a good CSV with Vietnamese headers loads; a CSV with an unknown column goes through the mapping
// step; a loaded dataset survives a reload and going offline; a link to a local dataset names it on
// a device without it; `data=` shows a banner naming the site, or a clear message when it fails;
// a hostile dataset shows its markup as text; nothing the user loads is sent anywhere; a kept
// dataset reopens in slices, and Cancel while it does goes back to the bundled data.
// COOP_DIST=/path serves another build (default dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, openSync, ftruncateSync, closeSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { useSite, openPage, kpi, ROOT, DIST } from './harness.mjs';

const BAD = join(ROOT, 'tests/bad-files');
const FIX = join(ROOT, 'tests/fixtures');
const TMP = mkdtempSync(join(tmpdir(), 'coop-own-data-'));

const site = useSite();

/** What identifies the dataset on screen: its header line and a headline figure. */
async function onScreen(page) {
  return {
    line: await page.textContent('[data-testid="dataset-line"]'),
    htx: await kpi(page, 'htx_count'),
    url: new URL(page.url()).search,
  };
}

async function openFile(page, path) {
  await page.setInputFiles('[data-testid="file-input"]', path);
}

/** Records every request the page makes after this call. */
function recordRequests(page) {
  const seen = [];
  page.on('request', (r) => seen.push({ url: r.url(), method: r.method(), body: r.postData() }));
  return seen;
}

/** Each bad file, with a part of its message in Vietnamese and in English. */
const CASES = [
  ['empty.json', /tệp rỗng, cần/, /found an empty file/],
  ['image.png', /ký tự rỗng \(NUL\)/, /NUL byte/],
  ['utf16.json', /bảng mã UTF-16.*lưu lại tệp bằng bảng mã UTF-8/s, /a UTF-16 text.*save it as UTF-8/s],
  ['web-page.json', /HTML hoặc XML/, /HTML or XML/],
  ['truncated.json', /tệp kết thúc giữa chừng, cần/, /found the end of the file/],
  ['wrong-format.json', /coop-atlas\/1.*định dạng mới hơn/s, /coop-atlas\/1.*a newer format/s],
  ['bad-values.json', /hàng 2, cột Tỉnh \(mã hoặc tên\): ghi "99"/s, /row 2, field "province".*"99"/s],
  ['bad-values.csv', /hàng 3, cột Tỉnh \(mã hoặc tên\): ghi "Sông Bé"/s, /row 3, field "province".*Sông Bé/s],
  ['windows-1258.csv', /tệp không được lưu bằng bảng mã UTF-8/, /not UTF-8/],
];

for (const lang of ['vi', 'en']) test(`each bad file gets its message in the reader's language (${lang}, role=alert) and the dataset on screen stays exactly as it was`, async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + (lang === 'en' ? '?l=en' : ''));
  const before = await onScreen(page);
  assert.equal(before.htx, 3000);
  for (const [name, vi, en] of CASES) {
    const message = lang === 'vi' ? vi : en;
    await openFile(page, join(BAD, name));
    const report = page.locator('[data-testid="file-report"]');
    await report.waitFor({ timeout: 20000 });
    assert.equal(await report.getAttribute('role'), 'alert', name);
    const text = await report.textContent();
    assert.match(text, message, `${name}: ${text}`);
    assert.match(text, new RegExp(name.replace('.', '\\.')), `${name}: the report names the file`);
    assert.deepEqual(await onScreen(page), before, `${name} changed what was on screen`);
    assert.equal(await page.locator('[data-testid="stored-list"]').count(), 0, `${name} was kept`);
  }
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a 300 MB file and JSON nested a million levels deep get a message, not a hang', async () => {
  const huge = join(TMP, 'huge.json');
  const fd = openSync(huge, 'w');
  ftruncateSync(fd, 300_000_000); // sparse: no disk used
  closeSync(fd);
  const deep = join(TMP, 'deep.json');
  writeFileSync(deep, '{"format": "coop-atlas/1", "meta": ' + '['.repeat(1_000_000) + ']'.repeat(1_000_000) + '}');
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  const before = await onScreen(page);
  for (const [path, message] of [[huge, /tối đa 100000000 byte/], [deep, /lồng nhau quá 128 cấp/]]) {
    const t0 = Date.now();
    await openFile(page, path);
    await page.waitForSelector('[data-testid="file-report"]', { timeout: 20000 });
    assert.match(await page.textContent('[data-testid="file-report"]'), message);
    assert.ok(Date.now() - t0 < 15000, `took ${Date.now() - t0} ms`);
    assert.deepEqual(await onScreen(page), before);
  }
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('the same mistake in 120 rows is one line whose rows open on demand, and the report downloads as CSV', async () => {
  const ctx = await site.browser.newContext({ acceptDownloads: true });
  const page = await openPage(ctx, site.url);
  await openFile(page, join(BAD, 'many-errors.json'));
  await page.waitForSelector('[data-testid="file-report"]');
  // Deliberate change (issue 14 item 3): 120 identical mistakes were 50 lines and "70 more".
  const issues = page.locator('[data-testid="report-errors"] [data-testid="issue"]');
  assert.equal(await issues.count(), 1);
  assert.equal(await page.locator('[data-testid="report-errors-more"]').count(), 0);
  assert.match(await page.textContent('[data-testid="file-report"]'), /120 lỗi/);
  assert.match(await issues.first().textContent(), /^cột Số lao động, 120 hàng \(1–120\): ghi "nhiều", cần một số nguyên từ 0 trở lên/);
  // The rows are folded under "xem các hàng", and listed on a tap.
  const rows = issues.first().locator('[data-testid="issue-rows"]');
  assert.equal(await rows.getAttribute('open'), null);
  assert.equal(await rows.locator('summary').textContent(), 'xem các hàng');
  assert.equal(await rows.evaluate((d) => d.innerText.includes('1–120')), false, 'hidden until opened');
  await rows.locator('summary').click();
  assert.notEqual(await rows.getAttribute('open'), null);
  assert.match(await rows.evaluate((d) => d.innerText), /Hàng 1–120/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="report-download"]')]);
  assert.match(download.suggestedFilename(), /\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.trim().split(/\r?\n/);
  // In the reader's language, as on screen: the column by its name, the rows in one cell.
  assert.match(lines[0], /^hàng;cột;vấn đề;cần;mức/);
  assert.equal(lines.length, 2, csv);
  assert.match(lines[1], /^1–120;Số lao động;.*nhiều.*;một số nguyên từ 0 trở lên.*;lỗi$/);
  await ctx.close();
});

test('a refused file lists its errors from the top of the file down, in Vietnamese', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  // The checks go a column at a time: the year of row 4 is found before the members of row 3.
  const path = join(TMP, 'out-of-order.csv');
  writeFileSync(path, 'Mã;Tỉnh;Năm;Loại hình;Thành viên\nA1;19;2024;htx;12\nA2;99;2024;htx;abc\nA3;19;20x4;htx;5\n');
  await openFile(page, path);
  await page.waitForSelector('[data-testid="file-report"]');
  const places = await page.$$eval('[data-testid="report-errors"] [data-testid="issue"] .place', (els) => els.map((e) => e.textContent));
  const rows = places.map((p) => Number(/hàng (\d+)/.exec(p)?.[1]));
  assert.ok(rows.length >= 3 && rows.every((r) => Number.isInteger(r)), `places ${places}`);
  assert.deepEqual(rows, [...rows].sort((a, b) => a - b), `not in file order: ${places}`);
  assert.ok(rows.includes(3) && rows.includes(4), `places ${places}`);
  // In Vietnamese throughout: the field's Vietnamese name, and what was expected.
  const items = await page.$$eval('[data-testid="report-errors"] [data-testid="issue"]', (els) => els.map((e) => e.textContent));
  assert.ok(items.some((t) => /hàng 4, cột Năm: ghi .*20x4.*, cần một năm từ 1990 đến 2100/.test(t)), items.join(' | '));
  assert.ok(items.some((t) => /hàng 3, cột Số thành viên: ghi .*abc.*, cần một số nguyên từ 0 trở lên/.test(t)), items.join(' | '));
  // A CSV takes province names: the message says so rather than listing 63 codes.
  assert.ok(items.some((t) => /hàng 3, cột Tỉnh \(mã hoặc tên\): ghi "99", cần tên tỉnh .*hoặc mã tỉnh/.test(t)), items.join(' | '));
  assert.ok(items.every((t) => !/ expected |a whole number|one of|thấy|members|province/.test(t)), items.join(' | '));
  // A JSON file's province must be a code: the 63 codes are folded under "xem danh sách", and
  // open on a tap.
  await page.click('[data-testid="file-report"] button.link');
  await openFile(page, join(BAD, 'bad-values.json'));
  await page.waitForSelector('[data-testid="file-report"]');
  const list = page.locator('[data-testid="report-errors"] details.expected-list').first();
  assert.equal(await list.getAttribute('open'), null);
  assert.equal(await list.locator('summary').textContent(), 'xem danh sách');
  await list.locator('summary').click();
  assert.notEqual(await list.getAttribute('open'), null);
  assert.match(await list.textContent(), /01, 02, 04/);
  await ctx.close();
});

test('on a phone the kept datasets and the mapping step fit the screen, each figure named', async () => {
  const ctx = await site.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await openPage(ctx, site.url);
  await openFile(page, join(FIX, 'own-good-vi.csv'));
  await page.waitForSelector('[data-testid="stored-list"] [data-testid="stored-remove"]', { timeout: 20000 });
  const right = await page.$eval('[data-testid="stored-list"] [data-testid="stored-remove"]', (b) => b.getBoundingClientRect().right);
  assert.ok(right <= 360, `the Remove button ends at ${right} px`);
  const labels = await page.$$eval('[data-testid="stored-list"] td[data-label]', (tds) => tds.map((td) => getComputedStyle(td, '::before').content));
  assert.ok(labels.includes('"Số bản ghi: "'), labels.join(' | '));
  await openFile(page, join(FIX, 'own-needs-mapping.csv'));
  await page.waitForSelector('[data-testid="mapping-step"] select');
  const ends = await page.$$eval('[data-testid="mapping-step"] th, [data-testid="mapping-step"] td, [data-testid="mapping-step"] select', (els) => els.filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect().right));
  assert.ok(ends.every((r) => r <= 360), `mapping step ends at ${Math.max(...ends)} px`);
  await ctx.close();
});

test('a good CSV with Vietnamese headers loads, is listed, and survives a reload and going offline', { timeout: 180000 }, async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  const requests = recordRequests(page);
  await openFile(page, join(FIX, 'own-good-vi.csv'));
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 20000 });
  await page.waitForFunction(() => new URL(location.href).searchParams.get('ld') === 'own-good-vi');
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-line"]')?.textContent.includes('own-good-vi.csv'));
  // 40 rows: 20 cooperatives ("Hợp tác xã" and "HTX") and 20 groups.
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '20');
  const row = page.locator('[data-testid="stored-list"] tr[data-stored="own-good-vi"]');
  assert.match(await row.textContent(), /own-good-vi\.csv/);
  assert.match(await row.textContent(), /40/);
  // The switcher lists it and shows it selected.
  assert.equal(await page.inputValue('[data-testid="dataset-select"]'), 'local:own-good-vi');
  // Nothing the user loaded left the page: no request carried a body or named the file.
  for (const r of requests) {
    assert.equal(r.body ?? null, null, `request with a body: ${r.url}`);
    assert.ok(!r.url.includes('own-good-vi'), `request naming the file: ${r.url}`);
    assert.ok(r.url.startsWith(site.url), `request to another origin: ${r.url}`);
  }

  // Reload: the link names it, IndexedDB has it.
  await page.reload();
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
  assert.equal(await kpi(page, 'htx_count'), 20);
  assert.match(await page.textContent('[data-testid="dataset-line"]'), /own-good-vi\.csv/);

  // Offline, in a new page of the same browser profile: still there. With a service worker in the
  // build, wait until it controls the page and has stored what the page fetched.
  const hasWorker = existsSync(join(DIST, 'sw.js'));
  if (hasWorker) {
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
    await page.reload();
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
    await page.waitForTimeout(1500);
  }
  await ctx.setOffline(true);
  const page2 = await openPage(ctx, null);
  await page2.goto(site.url + '?ld=own-good-vi').catch(() => {});
  const served = await page2.locator('[data-testid="app-title"]').count();
  // With a service worker in the build, the app itself must open offline.
  if (hasWorker) assert.equal(served, 1, 'the app did not open offline');
  if (served) {
    // A service worker serves the app offline: the dataset must come from IndexedDB.
    await page2.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
    assert.equal(await kpi(page2, 'htx_count'), 20);
  }
  // Without a service worker the page itself cannot load offline; the data is still on the
  // device, which the already-open page proves by reopening it from the list while offline.
  await page.selectOption('[data-testid="dataset-select"]', 'dtts-mn-minh-hoa');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('ld'));
  await page.click('[data-testid="stored-open"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '20');
  await ctx.setOffline(false);

  // Removing asks first: cancelled, nothing happens; confirmed, it goes from the list and the device.
  page.once('dialog', (d) => d.dismiss());
  await page.click('[data-testid="stored-remove"]');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('[data-testid="stored-list"] tr[data-stored="own-good-vi"]').count(), 1, 'removed although cancelled');
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await page.click('[data-testid="stored-remove"]');
  assert.match(asked, /Không thể hoàn tác/);
  await page.waitForSelector('[data-testid="stored-list"]', { state: 'detached' });
  await page.goto(site.url + '?ld=own-good-vi');
  await page.waitForSelector('[data-testid="missing-dataset"]', { timeout: 30000 });
  assert.deepEqual(page.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  await ctx.close();
});

test('a CSV with a column it cannot map goes through the mapping step, showing the guesses', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  const before = await onScreen(page);
  await openFile(page, join(FIX, 'own-needs-mapping.csv'));
  await page.waitForSelector('[data-testid="mapping-step"]');
  // Recognised columns come preselected; the unknown "ghi chu" is not.
  assert.equal(await page.inputValue('[data-testid="map-0"]'), 'id');
  assert.equal(await page.inputValue('[data-testid="map-1"]'), 'province');
  assert.equal(await page.inputValue('[data-testid="map-4"]'), 'workers');
  assert.equal(await page.inputValue('[data-testid="map-5"]'), '');
  assert.match(await page.textContent('[data-testid="mapping-step"]'), /không nhận ra/);
  assert.deepEqual(await onScreen(page), before, 'the mapping step changes nothing yet');
  // Mapping the note column to "workers" twice is refused with a message naming both columns.
  await page.selectOption('[data-testid="map-5"]', 'workers');
  await page.click('[data-testid="map-confirm"]');
  await page.waitForSelector('[data-testid="file-report"]');
  assert.match(await page.textContent('[data-testid="file-report"]'), /cột Số lao động: cả cột E và cột F đều được chọn là Số lao động/);
  assert.deepEqual(await onScreen(page), before);
  // Again, ignoring it this time.
  await openFile(page, join(FIX, 'own-needs-mapping.csv'));
  await page.waitForSelector('[data-testid="mapping-step"]');
  await page.click('[data-testid="map-confirm"]');
  await page.waitForSelector('[data-testid="file-accepted"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '10');
  await ctx.close();
});

test('a link to a local dataset names it; a device without it says which dataset is missing', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?ld=ho-so-cua-toi&t=table', { waitFor: '[data-testid="missing-dataset"]' });
  assert.match(await page.textContent('[data-testid="missing-dataset"]'), /ho-so-cua-toi/);
  assert.equal(await page.getAttribute('[data-testid="missing-dataset"]', 'role'), 'alert');
  // No other data is shown under its name.
  await page.waitForTimeout(1500);
  assert.equal(await page.locator('[data-testid="app-ready"]').count(), 0);
  assert.equal(await page.locator('[data-testid="dataset-line"]').count(), 0);
  assert.match(page.url(), /ld=ho-so-cua-toi/);
  await ctx.close();
});

test('a JSON dataset from a data= link shows a banner naming the site; failures say why', async () => {
  const ctx = await site.browser.newContext();
  const body = readFileSync(join(FIX, 'own-good.json'));
  await ctx.route('https://so-lieu.example.vn/**', (route) => route.fulfill({
    status: 200, body, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
  }));
  // Playwright's fulfilled responses skip the browser's CORS check, so a refused cross-origin read
  // is stood in for by a failed request: both reject fetch() and take the same path.
  await ctx.route('https://no-cors.example.org/**', (route) => route.abort('failed'));
  await ctx.route('https://gone.example.org/**', (route) => route.fulfill({
    status: 404, body: 'not found', headers: { 'access-control-allow-origin': '*' },
  }));
  await ctx.route('https://huge.example.org/**', (route) => route.fulfill({
    status: 200, body: 'x', headers: { 'content-length': '200000000', 'access-control-allow-origin': '*' },
  }));
  const page = await openPage(ctx, site.url + '?data=https://so-lieu.example.vn/htx-2024.json', { waitFor: '[data-testid="remote-banner"]' });
  assert.equal(await page.textContent('[data-testid="remote-host"]'), 'so-lieu.example.vn');
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
  assert.equal(await kpi(page, 'htx_count'), 30);
  assert.match(await page.textContent('[data-testid="dataset-line"]'), /Bộ dữ liệu riêng thử nghiệm/);

  const p2 = await openPage(ctx, site.url + '?data=https://no-cors.example.org/x.json', { waitFor: '[data-testid="remote-error"]' });
  assert.match(await p2.textContent('[data-testid="remote-error"]'), /no-cors\.example\.org.*CORS/s);
  assert.equal(await p2.locator('[data-testid="app-ready"]').count(), 0);
  const p5 = await openPage(ctx, site.url + '?data=https://gone.example.org/x.json', { waitFor: '[data-testid="remote-error"]' });
  assert.match(await p5.textContent('[data-testid="remote-error"]'), /gone\.example\.org: HTTP 404/);
  const p3 = await openPage(ctx, site.url + '?data=https://huge.example.org/x.json', { waitFor: '[data-testid="remote-error"]' });
  assert.match(await p3.textContent('[data-testid="remote-error"]'), /huge\.example\.org.*(quá lớn|too large)/s);
  // Plain http is refused by the link reader with a notice.
  const p4 = await openPage(ctx, site.url + '?data=http://so-lieu.example.vn/x.json');
  assert.match(await p4.textContent('[data-testid="url-notices"]'), /data/);
  assert.equal(await p4.locator('[data-testid="remote-banner"]').count(), 0);
  await ctx.close();
});

test('a data= site that never answers times out with a message naming it, and nothing else loads', async () => {
  const ctx = await site.browser.newContext();
  // The page's clock is Playwright's: a minute passes without waiting a minute.
  await ctx.clock.install();
  await ctx.route('https://slow.example.org/**', () => { /* never answers */ });
  const page = await openPage(ctx, site.url + '?data=https://slow.example.org/x.json', { waitFor: null });
  await page.waitForTimeout(500);
  await page.clock.fastForward(61_000);
  await page.waitForSelector('[data-testid="remote-error"]', { timeout: 30000 });
  assert.match(await page.textContent('[data-testid="remote-error"]'), /slow\.example\.org.*60 s/s);
  assert.equal(await page.locator('[data-testid="app-ready"]').count(), 0, 'no other data shown under its name');
  await ctx.close();
});

test('a real https site that refuses cross-origin reads (no CORS header) gets a message naming it', { timeout: 120000 }, async () => {
  // A second origin on this machine: https with a throwaway certificate, serving the good fixture
  // without Access-Control-Allow-Origin, so Chromium's own CORS check refuses the read.
  const dir = mkdtempSync(join(tmpdir(), 'coop-cors-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  writeFileSync(join(dir, 'x.json'), readFileSync(join(FIX, 'own-good.json')));
  mkdirSync(join(dir, 'open'));
  writeFileSync(join(dir, 'open', 'x.json'), readFileSync(join(FIX, 'own-good.json')));
  const server = spawn('python3', ['-c', `
import http.server, ssl, socketserver, sys, os
os.chdir(sys.argv[1])
class H(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
    def end_headers(self):
        if self.path.startswith('/open/'):
            self.send_header('Access-Control-Allow-Origin', '*')
        super().end_headers()
httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain('cert.pem', 'key.pem')
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
`, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.once('data', (d) => resolve(Number(String(d).trim())));
      server.once('exit', (c) => reject(new Error(`https server exited ${c}`)));
    });
    const ctx = await site.browser.newContext({ ignoreHTTPSErrors: true });
    const page = await openPage(ctx, site.url + `?data=https://127.0.0.1:${port}/x.json`, { waitFor: '[data-testid="remote-error"]' });
    assert.match(await page.textContent('[data-testid="remote-error"]'), /127\.0\.0\.1.*CORS/s);
    assert.equal(await page.locator('[data-testid="app-ready"]').count(), 0, 'no other data shown under its name');
    // Control: the same server, the same file, with the CORS header: it loads. So the refusal
    // above was the browser's CORS check, not the certificate or the network.
    const ok = await openPage(ctx, site.url + `?data=https://127.0.0.1:${port}/open/x.json`, { waitFor: '[data-testid="remote-banner"]' });
    await ok.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
    assert.equal(await ok.textContent('[data-testid="remote-host"]'), `127.0.0.1:${port}`);
    await ctx.close();
  } finally {
    server.kill();
  }
});

test('a hostile dataset shows its markup as text, runs nothing, and links no javascript:', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url + '?t=sources');
  await openFile(page, join(FIX, 'own-hostile.json'));
  await page.waitForSelector('[data-testid="file-accepted"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-line"]')?.textContent.includes('<script>'));
  const line = await page.textContent('[data-testid="dataset-line"]');
  assert.match(line, /<script>window\.__pwned=1<\/script><b>Tiêu đề<\/b>/);
  assert.match(line, /<img src=x onerror="window\.__pwned=3">Nhà xuất bản/);
  await page.waitForSelector('[data-testid="sources"]');
  assert.match(await page.textContent('[data-testid="sources"]'), /<iframe src="https:\/\/example\.com"><\/iframe>/);
  assert.match(await page.textContent('[data-testid="privacy-note"]'), /không gửi dữ liệu đi đâu cả/);
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('main img, header img, main iframe, main b, [data-testid="own-data"] script').count(), 0);
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
  // The switcher and the kept list show the title as text too.
  assert.match(await page.textContent('[data-testid="stored-list"]'), /<script>/);
  await ctx.close();
});

test('a large CSV is converted in slices with a progress bar, and Cancel leaves the screen as it was', async () => {
  const rows = ['Mã;Tỉnh;Năm;Loại hình;Số lao động'];
  for (let i = 0; i < 400_000; i++) rows.push(`L${i};${i % 2 ? 'Thái Nguyên' : '06'};2024;HTX;${i % 50}`);
  const big = join(TMP, 'lon.csv');
  writeFileSync(big, rows.join('\n'));
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  const before = await onScreen(page);
  await openFile(page, big);
  await page.waitForSelector('[data-testid="load-progress"] progress');
  // The page keeps answering while the file is converted.
  const t0 = Date.now();
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  assert.ok(Date.now() - t0 < 1000, `the page took ${Date.now() - t0} ms to answer`);
  await page.click('[data-testid="load-cancel"]');
  await page.waitForSelector('[data-testid="load-progress"]', { state: 'detached' });
  await page.waitForTimeout(1500);
  assert.deepEqual(await onScreen(page), before);
  assert.equal(await page.locator('[data-testid="file-accepted"]').count(), 0);
  assert.equal(await page.locator('[data-testid="stored-list"]').count(), 0);
  await ctx.close();
});

test('a large JSON file is parsed in slices and opens; its figures are right', async () => {
  const n = 60_000;
  const cols = { id: [], province: [], year: [], kind: [], workers: [] };
  for (let i = 0; i < n; i++) {
    cols.id.push(`B${i}`); cols.province.push(['19', '06', '02'][i % 3]); cols.year.push(2024);
    cols.kind.push(i % 4 ? 'htx' : 'tht'); cols.workers.push(i % 30);
  }
  const path = join(TMP, 'lon.json');
  writeFileSync(path, JSON.stringify({ format: 'coop-atlas/1', meta: { id: 'lon', title: 'Lớn', source: { publisher: 't' }, boundary: 63 }, entities: cols }));
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  await page.evaluate(() => {
    window.__gap = 0;
    let last = performance.now();
    setInterval(() => { const t = performance.now(); window.__gap = Math.max(window.__gap, t - last); last = t; }, 10);
  });
  await openFile(page, path);
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 60000 });
  await page.waitForFunction((want) => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === want, String(n * 3 / 4));
  // Parsed in slices: the page never stopped answering for long (the whole parse takes longer).
  const gap = await page.evaluate(() => window.__gap);
  assert.ok(gap < 500, `the page froze for ${gap.toFixed(0)} ms`);
  // Kept on the device as read: the bytes go from the file to IndexedDB in JavaScript (never
  // through wasm memory), all of them, and a reload opens them again.
  const size = statSync(path).size;
  const storedBytes = () => page.evaluate(async () => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('coop-atlas'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    const v = await new Promise((ok, fail) => { const g = db.transaction('data').objectStore('data').get('lon'); g.onsuccess = () => ok(g.result); g.onerror = fail; });
    db.close();
    return v instanceof Blob ? v.size : v instanceof Uint8Array ? v.byteLength : null;
  });
  let stored = null;
  for (const t0 = Date.now(); stored !== size && Date.now() - t0 < 30000; await page.waitForTimeout(200)) stored = await storedBytes();
  assert.equal(stored, size);
  // Reopened from IndexedDB in slices too, with the same progress bar: record, from the very start
  // of the reloaded page, every progress the bar showed.
  await ctx.addInitScript(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="load-progress"] progress');
      if (bar) window.__progress.push(Number(bar.getAttribute('value') ?? bar.value));
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.reload();
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
  await page.waitForFunction((want) => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === want, String(n * 3 / 4), { timeout: 30000 });
  // (Before, a kept dataset was parsed in one call, with no bar: a million rows froze the page.)
  const shown = await page.evaluate(() => window.__progress.length);
  assert.ok(shown >= 1, 'the reopen showed the progress bar');
  assert.equal(await page.locator('[data-testid="load-progress"]').count(), 0, 'the bar is gone once open');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('Cancel while a kept dataset reopens goes back to the bundled data, with nothing half-loaded', { timeout: 240000 }, async () => {
  // Big enough that reopening it takes a second or more, so there is time to press Cancel. (A
  // kept dataset now reopens from its packed form, decoded in a moment with no worker; what can
  // take long enough to cancel is one kept by an earlier release, in the JSON form only, which the
  // own-data worker checks again: the test removes the packed form to make it one.)
  const n = 500_000;
  const cols = { id: [], province: [], year: [], kind: [], workers: [] };
  for (let i = 0; i < n; i++) {
    cols.id.push(`C${i}`); cols.province.push(['19', '06', '02', '10'][i % 4]); cols.year.push(2024);
    cols.kind.push(i % 3 ? 'htx' : 'tht'); cols.workers.push(i % 25);
  }
  const path = join(TMP, 'huy.json');
  writeFileSync(path, JSON.stringify({ format: 'coop-atlas/1', meta: { id: 'huy', title: 'Hủy', source: { publisher: 't' }, boundary: 63 }, entities: cols }));
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, site.url);
  const bundled = await onScreen(page);
  await openFile(page, path);
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 120000 });
  // Stored in IndexedDB (written after the load) before the reload.
  for (let stored = false, t0 = Date.now(); !stored && Date.now() - t0 < 60000; await page.waitForTimeout(200)) {
    stored = await page.evaluate(async () => {
      const db = await new Promise((ok, fail) => { const r = indexedDB.open('coop-atlas'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
      const v = await new Promise((ok, fail) => { const g = db.transaction('data').objectStore('data').get('huy'); g.onsuccess = () => ok(g.result); g.onerror = fail; });
      db.close();
      return (v instanceof Blob && v.size > 0) || (v instanceof Uint8Array && v.byteLength > 0);
    });
  }
  assert.match(page.url(), /ld=huy/);
  for (let packed = false, t0 = Date.now(); !packed && Date.now() - t0 < 60000; await page.waitForTimeout(200)) {
    packed = await page.evaluate(async () => {
      const db = await new Promise((ok, fail) => { const r = indexedDB.open('coop-atlas'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
      const v = await new Promise((ok, fail) => { const g = db.transaction('wire').objectStore('wire').get('huy'); g.onsuccess = () => ok(g.result); g.onerror = fail; });
      if (v) await new Promise((ok, fail) => { const t = db.transaction('wire', 'readwrite'); t.objectStore('wire').delete('huy'); t.oncomplete = ok; t.onerror = fail; });
      db.close();
      return Boolean(v);
    });
  }
  await page.reload();
  await page.click('[data-testid="load-cancel"]', { timeout: 30000 });
  // Back to the bundled dataset: its header line, its figures, and a link without ld=.
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('ld'), null, { timeout: 30000 });
  await page.waitForFunction((want) => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === want,
    String(bundled.htx), { timeout: 30000 });
  const after = await onScreen(page);
  assert.equal(after.line, bundled.line);
  assert.equal(after.htx, bundled.htx);
  assert.equal(await page.locator('[data-testid="load-progress"]').count(), 0);
  // Still kept on the device: Cancel stops showing it, it does not delete it.
  assert.match(await page.textContent('[data-testid="stored-list"]'), /huy\.json|Hủy/, 'the kept dataset is still listed');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});
