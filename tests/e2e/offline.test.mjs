// Offline and updates (issue 6), in real Chromium against the release build (dist/):
//  - first visit online, wait for the service worker, cut the network, reload: the dashboard, each
//    tab, the 34-province map, a shared link, the other language and every year fetched online work;
//  - no Content-Security-Policy violation anywhere;
//  - a second build published while a page is open: the page keeps working, offers the update, and
//    after "reload" every file comes from the new version (no file of the old one is served).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, appendFileSync, symlinkSync, renameSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, openPage, kpi, withSite, DIST } from './harness.mjs';
import { MAP_READY, CHART_READY } from '../../scripts/perf-network.mjs';
import { listFiles } from '../../scripts/postbuild.mjs';

/** Records CSP violations (the event fires even when the console message is missed). */
async function watchCsp(context) {
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

async function waitForWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
}

/** The headline cards are on screen (the marker is a hidden element, hence `attached`). */
async function ready(page, timeout = 30000) {
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout });
}

async function allKpis(page) {
  return page.$$eval('[data-testid^="kpi-"]', (els) => els.map((e) => [e.dataset.testid, e.dataset.value]));
}

test('after one online visit, everything works with the network cut', { timeout: 240000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext();
    await watchCsp(context);
    // Online: the default view, then a trend over every year (fetches all years of the dataset)
    // and the 34-province map, so each is something "that was fetched".
    const page = await openPage(context, url);
    await page.waitForFunction(MAP_READY, null, { timeout: 60000 });
    const online = await allKpis(page);
    assert.ok(online.length >= 5, `expected headline cards, got ${online.length}`);
    await waitForWorker(page);
    await page.goto(url + '?t=chart&ch=trend');
    await ready(page);
    await page.waitForFunction(CHART_READY, 'chart', { timeout: 60000 });
    await page.goto(url + '?t=table&y=2020&l=en');
    await ready(page);
    const online2020 = await allKpis(page);
    // Give the worker a moment to store what the page fetched.
    await page.waitForTimeout(1500);

    await context.setOffline(true);
    // Reload the default view: the dashboard comes back with the same figures.
    await page.goto(url);
    await ready(page, 15000);
    assert.equal(await page.isVisible('[data-testid="offline-badge"]'), true, 'offline badge shown');
    assert.deepEqual(await allKpis(page), online, 'same headline figures offline');
    const refreshed = Number(await page.getAttribute('[data-testid="data-refreshed"]', 'data-ms'));
    assert.ok(refreshed > Date.now() - 10 * 60 * 1000 && refreshed <= Date.now(), `data refreshed time ${refreshed}`);

    // Every tab.
    await page.waitForFunction(MAP_READY, null, { timeout: 15000 });
    for (const tab of ['chart', 'table', 'sources', 'map']) {
      await page.click(`[data-testid="tab-${tab}"]`);
      await page.waitForSelector(`[data-testid="panel-${tab}"]`, { state: 'visible', timeout: 10000 });
      if (tab === 'chart') await page.waitForFunction(CHART_READY, 'chart', { timeout: 15000 });
      if (tab === 'map') await page.waitForFunction(MAP_READY, null, { timeout: 15000 });
      if (tab === 'table') assert.ok(await page.$$eval('[data-testid="panel-table"] tbody tr', (r) => r.length) > 0, 'table rows offline');
    }

    // Switching language offline.
    const titleVi = await page.textContent('[data-testid="app-title"]');
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction((t) => document.querySelector('[data-testid="app-title"]').textContent !== t, titleVi);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    // A shared link opened offline (another year, another tab, English), and the 34-province map.
    await page.goto(url + '?t=table&y=2020&l=en');
    await ready(page, 15000);
    assert.deepEqual(await allKpis(page), online2020, 'the 2020 view offline equals the 2020 view online');
    assert.ok(await page.$$eval('[data-testid="panel-table"] tbody tr', (r) => r.length) > 0);
    await page.goto(url + '?b=34');
    await ready(page, 15000);
    await page.waitForFunction(MAP_READY, null, { timeout: 15000 });
    assert.ok((await kpi(page, 'htx_count')) > 0);

    // The trend over every year, offline.
    await page.goto(url + '?t=chart&ch=trend');
    await ready(page, 15000);
    await page.waitForFunction(CHART_READY, 'chart', { timeout: 15000 });

    assert.deepEqual(page.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
  });
});

test('the connection drops as the worker takes over: the data the page fetched still works offline', { timeout: 180000 }, async () => {
  // The data files of the default view, which the page fetched before the worker controlled it.
  const DATA = ['data/dtts-mn/2024.pack', 'data/dtts-mn/2023.pack'];
  /** Removes `paths` from every cache of the worker (as if it had not stored them yet). */
  const forget = (page, paths) => page.evaluate(async (paths) => {
    for (const name of await caches.keys()) {
      const c = await caches.open(name);
      for (const p of paths) await c.delete(new URL(p, location.href).href);
    }
  }, paths);
  const stored = (page, paths) => page.evaluate(async (paths) => {
    const out = [];
    for (const p of paths) out.push(!!(await caches.match(new URL(p, location.href).href)));
    return out;
  }, paths);
  /** Waits until every one of `paths` is in the worker's cache. */
  const untilStored = (page, paths, timeout) => page.waitForFunction(async (paths) => {
    for (const p of paths) if (!(await caches.match(new URL(p, location.href).href))) return false;
    return true;
  }, paths, { timeout });
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext();
    const page = await openPage(context, url);
    const online = await allKpis(page);
    await waitForWorker(page);
    // The worker has not stored the page's data yet, and the network is gone. (Once it has stored
    // it, and a second later, so that nothing it was doing puts a file back.)
    await untilStored(page, DATA, 30000);
    await context.setOffline(true);
    await page.waitForTimeout(1000);
    await forget(page, DATA);
    assert.deepEqual(await stored(page, DATA), [false, false]);

    // 1. The page hands the worker what it fetched: stored from the browser's HTTP cache, with no
    //    network.
    await page.evaluate((paths) => navigator.serviceWorker.controller.postMessage({ type: 'cache-urls', urls: paths }), DATA);
    await untilStored(page, DATA, 10000);

    // 2. Not even handed over: a reload offline still gets the data (the worker falls back to the
    //    HTTP cache) and keeps it.
    await forget(page, DATA);
    await page.reload({ waitUntil: 'commit' });
    await ready(page);
    assert.deepEqual(await allKpis(page), online, 'the same cards offline');
    assert.deepEqual(await stored(page, DATA), [true, true], 'kept by the worker');
    assert.deepEqual(page.errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e)), []);
  });
});

test('the page runs under its Content-Security-Policy with no violation', { timeout: 120000 }, async () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(csp, 'CSP meta in dist/index.html');
  assert.match(csp[1], /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(csp[1], /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/);
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext();
    await watchCsp(context);
    const page = await openPage(context, url + '?t=map');
    await page.waitForFunction(MAP_READY, null, { timeout: 60000 });
    // Hover the map and open the other tabs so tooltips and charts render too.
    const box = await page.locator('[data-testid="map-chart"]').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (const tab of ['chart', 'table', 'sources']) {
      await page.click(`[data-testid="tab-${tab}"]`);
      await page.waitForSelector(`[data-testid="panel-${tab}"]`, { state: 'visible' });
    }
    await page.waitForTimeout(500);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(page.errors.filter((e) => /Content Security Policy|Refused/.test(e)), []);
  });
});

test('a new release: the open page offers it, and after reload serves only the new files', { timeout: 240000 }, async () => {
  // Two builds: v1 is dist/ as built; v2 is the same app with a changed ECharts bundle, finished by
  // scripts/postbuild.mjs (new hashed name, new version, new worker) as a real release would be.
  const dir = mkdtempSync(join(tmpdir(), 'coop-release-'));
  const v1 = join(dir, 'v1'), v2 = join(dir, 'v2'), site = join(dir, 'site');
  cpSync(DIST, v1, { recursive: true });
  cpSync(DIST, v2, { recursive: true });
  const echarts = listFiles(v2).find((f) => /^vendor\/echarts-[0-9a-f]{16}\.js$/.test(f));
  assert.ok(echarts, 'hashed ECharts bundle in dist/vendor');
  appendFileSync(join(v2, echarts), '\n/* release 2 */\n');
  execFileSync('node', [join(ROOT, 'scripts/postbuild.mjs'), v2]);
  const meta = (d, name) => new RegExp(`<meta name="${name}" content="([^"]+)"`).exec(readFileSync(join(d, 'index.html'), 'utf8'))[1];
  const [ver1, ver2] = [meta(v1, 'coop-atlas-version'), meta(v2, 'coop-atlas-version')];
  const [ech1, ech2] = [meta(v1, 'coop-atlas-echarts'), meta(v2, 'coop-atlas-echarts')];
  assert.notEqual(ver1, ver2);
  assert.notEqual(ech1, ech2);
  assert.ok(!existsSync(join(v2, ech1)), 'the old bundle is gone from v2');
  symlinkSync(v1, site);

  await withSite({ dir: site }, async ({ url, browser }) => {
    const context = await browser.newContext();
    const page = await openPage(context, url);
    await page.waitForFunction(MAP_READY, null, { timeout: 60000 });
    await waitForWorker(page);
    const figures = await allKpis(page);

    // Publish v2 (atomic swap of the served directory).
    symlinkSync(v2, site + '.new');
    renameSync(site + '.new', site);

    // The next navigation is still v1 (from the worker), whole and working, and offers the update.
    await page.reload();
    await ready(page);
    assert.equal(await page.getAttribute('meta[name="coop-atlas-version"]', 'content'), ver1);
    await page.waitForFunction(MAP_READY, null, { timeout: 30000 });
    assert.deepEqual(await allKpis(page), figures);
    await page.waitForSelector('[data-testid="update-ready"]', { timeout: 60000 });

    // Accept: the page reloads into v2.
    await Promise.all([
      page.waitForEvent('framenavigated', { timeout: 30000 }),
      page.click('[data-testid="update-reload"]'),
    ]);
    await ready(page, 30000);
    await page.waitForFunction(MAP_READY, null, { timeout: 30000 });
    assert.equal(await page.getAttribute('meta[name="coop-atlas-version"]', 'content'), ver2);
    // ECharts loads only when a chart is shown (issue 13): show one, so v2's bundle must come.
    await page.click('[data-testid="tab-chart"]');
    await page.waitForFunction(CHART_READY, 'chart', { timeout: 30000 });
    const state = await page.evaluate(async () => ({
      caches: (await caches.keys()).filter((k) => k.startsWith('coop-atlas-')),
      scripts: [...document.scripts].map((s) => s.getAttribute('src')).filter(Boolean),
      resources: performance.getEntriesByType('resource').map((e) => new URL(e.name)).filter((u) => u.origin === location.origin)
        .map((u) => u.pathname.replace(/^\//, '')),
      controller: navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL,
    }));
    assert.deepEqual(state.caches, [`coop-atlas-${ver2}`], 'only the new version\'s cache remains');
    assert.ok(state.scripts.includes(ech2), `v2 ECharts loaded (${state.scripts})`);
    assert.ok(!state.scripts.includes(ech1) && !state.resources.includes(ech1), 'v1 ECharts not used');
    const v2files = new Set(listFiles(v2));
    for (const r of state.resources) assert.ok(v2files.has(r), `${r} is a file of v2`);
    // And the worker serves v2's files: its cached HTML is v2's.
    const cachedVersion = await page.evaluate(async (v) => {
      const c = await caches.open(`coop-atlas-${v}`);
      const r = await c.match(new URL('index.html', location.href).href);
      return r && /<meta name="coop-atlas-version" content="([0-9a-f]+)"/.exec(await r.text())[1];
    }, ver2);
    assert.equal(cachedVersion, ver2);
    assert.deepEqual(page.errors, []);
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
});

test('the app works from a sub-path, worker included', { timeout: 120000 }, async () => {
  await withSite({ prefix: '/atlas/ktt/' }, async ({ url, browser }) => {
    const context = await browser.newContext();
    const page = await openPage(context, url + '?t=map');
    await page.waitForFunction(MAP_READY, null, { timeout: 60000 });
    await waitForWorker(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(scope, url);
    await context.setOffline(true);
    await page.reload();
    await ready(page, 15000);
    await page.waitForFunction(MAP_READY, null, { timeout: 15000 });
    const manifest = await page.getAttribute('link[rel="manifest"]', 'href');
    assert.equal(manifest, 'manifest.webmanifest');
  });
});

test('the web app manifest: Vietnamese name, icons that exist, relative start and scope', () => {
  const m = JSON.parse(readFileSync(join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.equal(m.lang, 'vi');
  assert.equal(m.name, 'Atlas Kinh tế tập thể');
  assert.equal(m.start_url, './');
  assert.equal(m.scope, './');
  assert.equal(m.display, 'standalone');
  const sizes = m.icons.map((i) => i.sizes);
  assert.ok(sizes.includes('192x192') && sizes.includes('512x512'));
  assert.ok(m.icons.some((i) => i.purpose === 'maskable'));
  for (const i of m.icons) {
    const buf = readFileSync(join(DIST, i.src));
    if (i.type === 'image/png') {
      assert.equal(buf.subarray(1, 4).toString(), 'PNG');
      const [w, h] = i.sizes.split('x').map(Number);
      assert.equal(buf.readUInt32BE(16), w);
      assert.equal(buf.readUInt32BE(20), h);
    }
  }
});

test('the worker lists every build file and nothing by hand', () => {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  const version = /const VERSION = "([0-9a-f]{16})"/.exec(sw);
  assert.ok(version, 'version filled in');
  assert.ok(readFileSync(join(DIST, 'index.html'), 'utf8').includes(`content="${version[1]}"`), 'same version in the HTML');
  const list = JSON.parse(/const PRECACHE = (\[[^\]]*\]);/.exec(sw)[1]);
  const files = listFiles(DIST);
  // Every hashed file of the app is precached but the workbook worker's, which is fetched (then
  // kept) only when a user first opens a workbook (issue 14: it never weighs on anyone else).
  const hashed = files.filter((f) => /-[0-9a-f]{1,16}(_bg)?\.(wasm|js|css)$/.test(f));
  assert.ok(hashed.some((f) => f.startsWith('coop-atlas-workbook-')), 'the workbook worker is built');
  for (const f of hashed) {
    if (f.startsWith('coop-atlas-workbook-')) assert.ok(!list.includes(f), `${f} not precached`);
    else assert.ok(list.includes(f), `${f} precached`);
  }
  for (const f of list) assert.ok(files.includes(f), `${f} exists`);
  assert.ok(list.includes('index.html') && list.includes('data/catalog.json') && list.includes('geo/vn34-svg.tsv'));
  assert.ok(!list.some((f) => /^data\/dtts-mn\//.test(f)), 'dataset years are cached when fetched, not all at install');
});
