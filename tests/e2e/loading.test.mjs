// The wasm loader (issue 6; scripts/postbuild.mjs `LOADER_SCRIPT`, style/main.css), in real Chromium
// against the release build (dist/):
//  - on emulated 3G the loading line shows each wasm's download progress, rising — on a link the
//    lean first view shows (issue 13, design 4), the lean's wasm, then the Leptos app's —, then the
//    app;
//  - when the wasm cannot be loaded (refused, cut short, an HTTP error), an alert in Vietnamese and
//    English replaces the loading line, on a shared link and over the pre-rendered copy alike, and
//    its button reloads the page, which then starts the app once the network is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, withSite, DIST } from './harness.mjs';

const WASM = /_bg\.wasm$/;
const ALERT = '[role="alert"]#load-error';

test('on 3G the loading line counts each wasm in (the lean first view\'s, then the app\'s), then the app starts', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const context = await browser.newContext();
    // Every value the loading line's progress takes, in order, with the wasm last asked for (the
    // loader fetches one wasm at a time: the lean starts the app once it is live).
    await context.addInitScript(() => {
      window.__progress = [];
      let wasm = null;
      const fetch0 = window.fetch;
      window.fetch = function (input, init) {
        const u = String(input instanceof Request ? input.url : input);
        if (/_bg\.wasm$/.test(u)) wasm = u.replace(/^.*\//, '');
        return fetch0.call(this, input, init);
      };
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.attributeName === 'data-progress' && r.target.id === 'boot') window.__progress.push([wasm, r.target.getAttribute('data-progress')]);
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-progress'] });
    });
    const page = await context.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 });
    // A shared link the copy does not cover: the loading line is what the reader sees.
    await page.goto(url + '?k=htx', { waitUntil: 'commit' });
    await page.waitForFunction(() => /^\d+%$/.test(document.getElementById('boot')?.getAttribute('data-progress') ?? ''), null, { timeout: 30000 });
    // Shown after the text by CSS; the text itself stays.
    assert.match(await page.textContent('#boot'), /đang tải… · Coop Atlas — loading…$/);
    assert.match(await page.$eval('#boot', (el) => getComputedStyle(el, '::after').content), /^" \d+%"$/);
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 60000 });
    const progress = await page.evaluate(() => window.__progress);
    // One run of values per wasm, in the order they were fetched: the lean's, then the app's.
    const runs = [];
    for (const [wasm, p] of progress) {
      if (!runs.length || runs[runs.length - 1].wasm !== wasm) runs.push({ wasm, seen: [] });
      runs[runs.length - 1].seen.push(Number(p.replace('%', '')));
    }
    assert.deepEqual(runs.map((r) => (r.wasm ?? '').replace(/-[0-9a-f]+_bg\.wasm$/, '')), ['coop-atlas-first', 'coop-atlas-web'],
      `the loading line counted ${JSON.stringify(runs)}`);
    for (const { wasm, seen } of runs) {
      assert.ok(seen.length >= 5, `${wasm}: progress updated only ${seen.length} time(s): ${seen}`);
      assert.ok(seen.some((p) => p > 0 && p < 50) && seen.some((p) => p >= 50 && p <= 99), `${wasm}: progress values ${seen}`);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `${wasm}: progress went back: ${seen}`);
    }
    assert.equal(await page.locator('#boot').count(), 0, 'the loading line outlived the app start');
    assert.equal(await page.locator(ALERT).count(), 0);
    assert.deepEqual(page.errors, []);
  });
});

/** Checks the alert: visible, both languages, the loading line and the copy's status hidden. */
async function assertAlert(page, where) {
  await page.waitForSelector(ALERT, { state: 'visible', timeout: 30000 });
  const text = await page.textContent(ALERT);
  assert.match(text, /Không tải được ứng dụng/, `${where}: Vietnamese message`);
  assert.match(text, /could not be loaded/, `${where}: English message`);
  assert.equal(await page.isVisible('#boot'), false, `${where}: the loading line still shows`);
  assert.equal(await page.isVisible('#prerender > [role="status"]'), false, `${where}: the copy's loading status still shows`);
  assert.equal(await page.locator(ALERT).count(), 1);
  // The button has the focus, so a keyboard user can reload at once.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Tải lại · Reload');
}

test('a wasm that cannot be loaded: an alert with a reload button, which starts the app once the network is back', { timeout: 120000 }, async () => {
  const wasmFile = readdirSync(DIST).find((f) => WASM.test(f));
  const wasmBytes = readFileSync(join(DIST, wasmFile));
  await withSite(async ({ url, browser }) => {
    // 1. Refused outright (no connection), on a shared link.
    const context = await browser.newContext();
    await context.route(WASM, (route) => route.abort('internetdisconnected'));
    const page = await openPage(context, url + '?k=htx', { waitFor: null });
    await assertAlert(page, 'refused');
    // The network is back: the button reloads, and the app starts on the same link.
    await context.unroute(WASM);
    await page.click(`${ALERT} button`);
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
    assert.equal(await page.locator(ALERT).count(), 0, 'the alert is gone after the reload');
    assert.equal(new URL(page.url()).search, '?k=htx');
    await context.close();

    // 2. Cut short (the first half of the file, as when the connection drops mid-way), over the
    //    pre-rendered copy of the default link: the copy's numbers stay, the alert is on top.
    const ctx2 = await browser.newContext();
    await ctx2.route(WASM, (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: wasmBytes.subarray(0, wasmBytes.length >> 1) }));
    const p2 = await openPage(ctx2, url, { waitFor: null });
    await assertAlert(p2, 'cut short');
    assert.ok(await p2.isVisible('#prerender [data-testid="pre-kpis"]'), 'the copy\'s cards stay on screen');
    // Not under the copy's `inert`: the button takes a click.
    await ctx2.unroute(WASM);
    await p2.click(`${ALERT} button`);
    await p2.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
    await ctx2.close();

    // 3. An HTTP error from the server.
    const ctx3 = await browser.newContext();
    await ctx3.route(WASM, (route) => route.fulfill({ status: 503, body: 'busy' }));
    const p3 = await openPage(ctx3, url + '?t=table&l=en', { waitFor: null });
    await assertAlert(p3, 'HTTP 503');
    await ctx3.close();
  });
});
