// End-to-end tests of the own-data Web Worker (issue 13, item 4) against the release build, in
// Chromium: no worker and no request for its files on a plain first view; one created for the
// first file, `data=` link, or kept dataset that must be checked again; none for a kept dataset
// that opens from its packed form; Cancel terminates it and leaves the data on screen; a bad file's
// report switches language with no second worker; no main-thread task over 50 ms while a
// 100,000-row file loads; own data works offline after one visit.
// COOP_DIST=/path serves another build (default dist/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, openPage, kpi, ROOT } from './harness.mjs';

let srv;
let browser;
const DIST = process.env.COOP_DIST || join(ROOT, 'dist');
const FIX = join(ROOT, 'tests/fixtures');
const BAD = join(ROOT, 'tests/bad-files');
const TMP = mkdtempSync(join(tmpdir(), 'coop-worker-'));

before(async () => {
  srv = await serve(process.env.COOP_DIST ? { dir: process.env.COOP_DIST } : {});
  browser = await launch();
});

after(async () => {
  await browser?.close();
  srv?.stop();
});

/**
 * A browser context that records every Worker the page creates (its URL) and terminates, and
 * every request for the own-data worker's files but the service worker's.
 */
async function watchedContext(options = {}) {
  const ctx = await browser.newContext(options);
  await ctx.addInitScript(() => {
    window.__workers = [];
    window.__terminated = 0;
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(url, opts) {
        super(url, opts);
        window.__workers.push(String(url));
      }
      terminate() {
        window.__terminated += 1;
        super.terminate();
      }
    };
  });
  // Requests of the page (and of any Web Worker it makes), not of the service worker: its
  // background precache, once the first view responds, fetches the worker's files by design (so
  // own data works offline later); that is not the page creating the worker.
  ctx.workerRequests = [];
  ctx.on('request', (r) => { if (/coop-atlas-worker/.test(r.url()) && !r.serviceWorker()) ctx.workerRequests.push(r.url()); });
  return ctx;
}

const workers = (page) => page.evaluate(() => window.__workers);

async function openFile(page, path) {
  await page.setInputFiles('[data-testid="file-input"]', path);
}

/** Waits until IndexedDB holds the packed form of dataset `id`. */
async function waitPacked(page, id) {
  for (const t0 = Date.now(); Date.now() - t0 < 60000; await page.waitForTimeout(200)) {
    const n = await page.evaluate(async (id) => {
      const db = await new Promise((ok, fail) => { const r = indexedDB.open('coop-atlas'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
      if (!db.objectStoreNames.contains('wire')) { db.close(); return 0; }
      const v = await new Promise((ok, fail) => { const g = db.transaction('wire').objectStore('wire').get(id); g.onsuccess = () => ok(g.result); g.onerror = fail; });
      db.close();
      // Kept as a Blob (the worker makes it: stored by handle); as bytes by earlier releases.
      return v instanceof Blob ? v.size : v instanceof Uint8Array ? v.byteLength : 0;
    }, id);
    if (n > 0) return n;
  }
  throw new Error(`the packed form of ${id} was never stored`);
}

function columnar(id, n, prefix) {
  const cols = { id: [], province: [], year: [], kind: [], workers: [] };
  for (let i = 0; i < n; i++) {
    cols.id.push(`${prefix}${i}`); cols.province.push(['19', '06', '02', '10'][i % 4]); cols.year.push(2024);
    cols.kind.push(i % 3 ? 'htx' : 'tht'); cols.workers.push(i % 25);
  }
  return JSON.stringify({ format: 'coop-atlas/1', meta: { id, title: id, source: { publisher: 't' }, boundary: 63 }, entities: cols });
}

test('a plain first view creates no worker and asks for none of its files; the build names its loader', async () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const loader = /<meta name="coop-atlas-worker" content="(coop-atlas-worker-loader-[0-9a-f]{16}\.js)"/.exec(html)?.[1];
  assert.ok(loader, 'index.html names the hashed worker loader');
  assert.ok(existsSync(join(DIST, loader)));
  const ctx = await watchedContext();
  for (const url of [srv.url, srv.url + '?t=chart', srv.url + '?t=table&l=en', srv.url + '?t=sources']) {
    const page = await openPage(ctx, url);
    await page.waitForTimeout(1000);
    assert.deepEqual(await workers(page), [], url);
    await page.close();
  }
  assert.deepEqual(ctx.workerRequests, []);
  await ctx.close();
});

test('the first file creates the worker (its hashed loader), which is terminated once the file is open', async () => {
  const ctx = await watchedContext();
  const page = await openPage(ctx, srv.url);
  await openFile(page, join(FIX, 'own-good-vi.csv'));
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '20');
  const made = await workers(page);
  assert.equal(made.length, 1, made.join(' '));
  assert.match(made[0], /coop-atlas-worker-loader-[0-9a-f]{16}\.js$/);
  assert.equal(await page.evaluate(() => window.__terminated), 1, 'the worker is terminated after the load');
  // Gone from the browser too (its memory with it): no worker left running in the page.
  for (const t0 = Date.now(); page.workers().length > 0 && Date.now() - t0 < 5000;) await page.waitForTimeout(100);
  assert.equal(page.workers().length, 0, 'a worker still runs after the load');
  // A second file: a new worker (the first one's memory went with it).
  await openFile(page, join(FIX, 'own-good.json'));
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '30');
  assert.equal((await workers(page)).length, 2);
  assert.equal(await page.evaluate(() => window.__terminated), 2);
  // A CSV waiting for its mapping keeps its worker (it holds the file); Cancel ends it.
  await openFile(page, join(FIX, 'own-needs-mapping.csv'));
  await page.waitForSelector('[data-testid="mapping-step"]');
  assert.equal(page.workers().length, 1, 'the worker waits with the file');
  await page.click('[data-testid="map-cancel"]');
  for (const t0 = Date.now(); page.workers().length > 0 && Date.now() - t0 < 5000;) await page.waitForTimeout(100);
  assert.equal(page.workers().length, 0, 'Cancel ended the worker');
  assert.equal(await page.evaluate(() => window.__terminated), 3);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a kept dataset opens from its packed form with no worker; kept only as JSON (an earlier release), the worker checks it again and packs it', { timeout: 120000 }, async () => {
  const ctx = await watchedContext();
  const page = await openPage(ctx, srv.url);
  await openFile(page, join(FIX, 'own-good.json'));
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 30000 });
  const id = new URL(page.url()).searchParams.get('ld');
  assert.ok(id);
  await waitPacked(page, id);
  // Reopened by its link: decoded from IndexedDB, no worker.
  const p2 = await openPage(ctx, srv.url + `?ld=${id}`);
  await p2.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '30');
  assert.deepEqual(await workers(p2), []);
  // As a dataset kept by the release before this one: the JSON form only.
  await p2.evaluate(async (id) => {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('coop-atlas'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    await new Promise((ok, fail) => { const t = db.transaction('wire', 'readwrite'); t.objectStore('wire').delete(id); t.oncomplete = ok; t.onerror = fail; });
    db.close();
  }, id);
  const p3 = await openPage(ctx, srv.url + `?ld=${id}`);
  await p3.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '30');
  assert.equal((await workers(p3)).length, 1, 'checked again by the worker');
  await waitPacked(p3, id);
  const p4 = await openPage(ctx, srv.url + `?ld=${id}`);
  await p4.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '30');
  assert.deepEqual(await workers(p4), [], 'packed again: the next link needs no worker');
  for (const p of [page, p2, p3, p4]) assert.deepEqual(p.errors, []);
  await ctx.close();
});

test('a data= link creates the worker for the fetched file', async () => {
  const ctx = await watchedContext();
  const body = readFileSync(join(FIX, 'own-good.json'));
  await ctx.route('https://so-lieu.example.vn/**', (route) => route.fulfill({
    status: 200, body, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
  }));
  const page = await openPage(ctx, srv.url + '?data=https://so-lieu.example.vn/htx-2024.json', { waitFor: '[data-testid="remote-banner"]' });
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
  assert.equal(await kpi(page, 'htx_count'), 30);
  assert.equal((await workers(page)).length, 1);
  assert.equal(await page.evaluate(() => window.__terminated), 1);
  await ctx.close();
});

test('Cancel during a large load terminates the worker and the data on screen stays', { timeout: 120000 }, async () => {
  const path = join(TMP, 'lon-huy.json');
  writeFileSync(path, columnar('lon-huy', 800_000, 'H'));
  const ctx = await watchedContext();
  const page = await openPage(ctx, srv.url);
  // Another dataset of the user's on screen first: Cancel must leave exactly it.
  await openFile(page, join(FIX, 'own-good.json'));
  await page.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '30');
  const before = { url: page.url(), line: await page.textContent('[data-testid="dataset-line"]') };
  await openFile(page, path);
  await page.waitForSelector('[data-testid="load-progress"] progress');
  await page.click('[data-testid="load-cancel"]');
  await page.waitForSelector('[data-testid="load-progress"]', { state: 'detached' });
  assert.equal(await page.evaluate(() => window.__terminated), 2, 'the second worker was terminated by Cancel');
  await page.waitForTimeout(2000);
  assert.equal(page.url(), before.url);
  assert.equal(await page.textContent('[data-testid="dataset-line"]'), before.line);
  assert.equal(await kpi(page, 'htx_count'), 30);
  assert.equal(await page.locator('[data-testid="stored-list"] tr[data-stored="lon-huy"]').count(), 0);
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('a bad file\'s report comes back in both languages: switching language needs no new worker', async () => {
  const ctx = await watchedContext();
  const page = await openPage(ctx, srv.url);
  await openFile(page, join(BAD, 'bad-values.csv'));
  await page.waitForSelector('[data-testid="file-report"]', { timeout: 30000 });
  assert.match(await page.textContent('[data-testid="file-report"]'), /hàng 3, cột Tỉnh \(mã hoặc tên\): ghi "Sông Bé", cần/s);
  await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction(() => /row 3, field "province"/.test(document.querySelector('[data-testid="file-report"]')?.textContent ?? ''));
  const en = await page.textContent('[data-testid="file-report"]');
  assert.match(en, /row 3, field "province".*Sông Bé.*expected/s);
  assert.doesNotMatch(en, /hàng|thấy|cần /);
  assert.equal((await workers(page)).length, 1, 'one worker for the file, none for the language');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

/**
 * Loads a file of `rows` rows (all of 2024, a third of them cooperative groups) and returns the
 * main thread's long tasks (over 50 ms) as [start, duration], when the worker's last answer (the
 * checked dataset) began to be handled, and the cooperatives card shown after it.
 */
async function longTasksWhileLoading(rows = 100_000) {
  const id = rows === 100_000 ? 'tram-nghin' : `rows-${rows}`;
  const path = join(TMP, `${id}.json`);
  writeFileSync(path, columnar(id, rows, 'T'));
  const ctx = await watchedContext();
  await ctx.addInitScript(() => {
    window.__answered = null;
    const Watched = window.Worker;
    window.Worker = class extends Watched {
      set onmessage(f) { super.onmessage = (e) => { window.__answered = performance.now(); f(e); }; }
      get onmessage() { return super.onmessage; }
    };
  });
  const page = await openPage(ctx, srv.url);
  await page.waitForTimeout(1000); // the app's own start is not the load
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask' });
  });
  await openFile(page, path);
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 180000 });
  await page.waitForFunction((id) => new URL(location.href).searchParams.get('ld') === id, id);
  await page.waitForTimeout(500);
  const out = await page.evaluate(() => ({ long: window.__long, answered: window.__answered }));
  // The dashboard the window covered is the new dataset's: its cooperatives card (rows i % 3 ≠ 0).
  out.htx = await kpi(page, 'htx_count');
  await ctx.close();
  return out;
}

test('no main-thread task over 50 ms while a 100,000-row file is read, parsed and checked (in the worker)', { timeout: 120000 }, async () => {
  const { long, answered } = await longTasksWhileLoading();
  assert.ok(answered > 0);
  // The observer reports only tasks over 50 ms: any that began before the checked dataset came
  // back fails (with the parse in the page, two such tasks of 90–200 ms were seen here).
  const during = long.filter(([start]) => start < answered - 1);
  assert.deepEqual(during, [], `main-thread tasks over 50 ms while the worker worked: ${JSON.stringify(during)}`);
});

// Up to the first dashboard, not only while the worker works. What used to hold the main thread
// after the worker's answer (docs/performance.md, "Your own data"): the first render computed the
// cards, map and table over every row of the view (60–90 ms at a million rows), the ids' text was
// copied in one step (≈ 55 ms at a million) and their ends computed in one (≈ 60 ms). Now a view
// filtered by year, kind and area adds up per-(year, kind, province) partial sums (engine::sums,
// built in slices after the decode), and the ids are decoded 2 MB, their ends 250,000, a step.
test('no main-thread task over 50 ms while a 100,000-row file loads, up to its first dashboard', { timeout: 120000 }, async () => {
  const { long, htx } = await longTasksWhileLoading();
  assert.equal(htx, 66_666);
  assert.deepEqual(long, [], `main-thread tasks over 50 ms: ${JSON.stringify(long)}`);
});

test('no main-thread task over 50 ms while a 1,000,000-row file loads, up to its first dashboard', { timeout: 300000 }, async () => {
  const { long, htx } = await longTasksWhileLoading(1_000_000);
  assert.equal(htx, 666_666);
  assert.deepEqual(long, [], `main-thread tasks over 50 ms: ${JSON.stringify(long)}`);
});

test('after one online visit, a file opens offline (the worker\'s files are kept by the service worker)', { timeout: 180000 }, async () => {
  if (!existsSync(join(DIST, 'sw.js'))) return;
  const ctx = await watchedContext();
  const page = await openPage(ctx, srv.url);
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
  const loader = /<meta name="coop-atlas-worker" content="([^"]+)"/.exec(readFileSync(join(DIST, 'index.html'), 'utf8'))[1];
  // Kept by the service worker (in the background, after the first view).
  await page.waitForFunction(async (loader) => {
    for (const name of await caches.keys()) {
      const c = await caches.open(name);
      const keys = (await c.keys()).map((r) => r.url);
      if (keys.some((u) => u.endsWith(loader)) && keys.some((u) => /coop-atlas-worker-[0-9a-f]{16}_bg\.wasm$/.test(u))) return true;
    }
    return false;
  }, loader, { timeout: 90000, polling: 500 });
  await ctx.setOffline(true);
  const p2 = await openPage(ctx, srv.url);
  await openFile(p2, join(FIX, 'own-good-vi.csv'));
  await p2.waitForSelector('[data-testid="file-accepted"]', { timeout: 30000 });
  await p2.waitForFunction(() => document.querySelector('[data-testid="kpi-htx_count"]')?.getAttribute('data-value') === '20');
  assert.equal((await workers(p2)).length, 1);
  await ctx.setOffline(false);
  assert.deepEqual(p2.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  await ctx.close();
});
