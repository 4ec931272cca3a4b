// The pre-rendered first view (issue 6; scripts/prerender.mjs, postbuild step 3, src/ui/web.rs
// `retire_prerender`), in real Chromium against the release build (dist/):
//  - with the wasm held back, the default link shows the copy: cards with numbers, their sources,
//    the illustrative label, a "loading" status, nothing focusable; once the wasm is in, the live
//    cards show the same numbers and texts, the copy is gone, no frame was without cards, exactly one
//    set of cards remains and it follows a filter change;
//  - a link to any other view never shows the copy, not even for a frame, and the app removes it;
//  - a repeat visit with the network cut shows the copy from the worker's cache, then the live cards;
//  - no Content-Security-Policy violation;
//  - the copy is deterministic: taking it again from the finished build gives the same index.html.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT, serve, launch, openPage, kpi } from './harness.mjs';
import { defaultView } from '../../scripts/prerender.mjs';

// COOP_DIST: test another build directory (default dist/).
const DIST = process.env.COOP_DIST || join(ROOT, 'dist');
const VIEW = defaultView(DIST);
const WASM = /_bg\.wasm$/;

/**
 * In every page of the context: records CSP violations, and at every frame whether the copy is on
 * screen, whether live cards with numbers are, and whether a frame came after the first cards
 * without any (an "empty flash").
 */
async function watch(context) {
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
    const w = { copyShown: 0, liveShown: 0, emptyAfterCards: 0, frames: 0, copyCards: null };
    window.__frames = w;
    const num = (el) => el.getAttribute('data-value') !== '' && Number.isFinite(Number(el.getAttribute('data-value')));
    const tick = () => {
      w.frames++;
      const copy = document.getElementById('prerender');
      const copyOn = !!copy && getComputedStyle(copy).display !== 'none' && [...copy.querySelectorAll('[data-value]')].some(num);
      const liveOn = [...document.querySelectorAll('[data-testid^="kpi-"][data-value]')]
        .some((el) => num(el) && el.getClientRects().length > 0);
      if (copyOn) w.copyShown++;
      // What the copy showed the first time it was on screen (it may be gone by the time a test looks).
      if (copyOn && !w.copyCards) {
        w.copyCards = [...copy.querySelectorAll('[data-testid^="pre-kpi-"]')].map((el) => [
          el.getAttribute('data-testid').replace(/^pre-kpi-/, ''), el.getAttribute('data-value'),
          el.querySelector('.label')?.textContent, el.querySelector('.value')?.textContent,
          el.querySelector('.card-source')?.textContent ?? null,
        ]);
      }
      if (liveOn) w.liveShown++;
      if (!copyOn && !liveOn && (w.copyShown || w.liveShown)) w.emptyAfterCards++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Holds every request for the app's wasm until `release()` is called. */
async function holdWasm(context) {
  let release;
  const released = new Promise((r) => { release = r; });
  await context.route(WASM, async (route) => { await released; await route.continue(); });
  return release;
}

/** Whether the copy is displayed (the link asked for the default view and the CSS is in). */
const copyDisplayed = (page) => page.evaluate(() => {
  const copy = document.getElementById('prerender');
  return !!copy && getComputedStyle(copy).display !== 'none';
});

/** The cards as the user reads them: id, `data-value`, label, value text; from the copy or live. */
function cardsOf(page, copy) {
  return page.$$eval(copy ? '#prerender [data-testid^="pre-kpi-"]' : '[data-testid^="kpi-"]', (els, copy) => els.map((el) => [
    el.getAttribute('data-testid').replace(copy ? /^pre-kpi-/ : /^kpi-/, ''),
    el.getAttribute('data-value'),
    el.querySelector('.label')?.textContent,
    el.querySelector('.value')?.textContent,
    el.querySelector('.card-source')?.textContent ?? null,
  ]), copy);
}

test('default link: the copy shows the cards before the wasm, the live app takes over with the same numbers', { timeout: 120000 }, async () => {
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    await watch(context);
    const release = await holdWasm(context);
    const page = await openPage(context, null);
    // 'commit': the held wasm would hold the load event too.
    await page.goto(srv.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const c = document.getElementById('prerender');
      return c && getComputedStyle(c).display !== 'none';
    }, null, { timeout: 30000 });

    // What the copy shows, with no wasm at all.
    const pre = await cardsOf(page, true);
    assert.ok(pre.length >= 5, `expected the headline cards in the copy, got ${pre.length}`);
    for (const [id, value, label, text] of pre) {
      assert.ok(value !== '' && Number.isFinite(Number(value)), `copy card ${id}: data-value ${value} is not a number`);
      assert.ok(label && text && /\d/.test(text), `copy card ${id}: label "${label}", value "${text}"`);
    }
    // The source line (dataset, publisher) and the illustrative label, as in the live header.
    const preSource = await page.textContent('#prerender [data-testid="pre-dataset-line"] .source');
    assert.match(preSource, /^Nguồn: \S/);
    const badge = await page.textContent('#prerender [data-testid="pre-illustrative-label"]');
    assert.match(badge, /Dữ liệu minh họa/);
    assert.ok(await page.isVisible('#prerender [data-testid="pre-illustrative-label"]'), 'illustrative label visible');
    assert.ok(await page.isVisible('#prerender [data-testid="pre-dataset-line"]'), 'dataset source line visible');
    assert.equal(await page.textContent('#prerender > [role="status"]'), 'Đang tải…');
    assert.ok(await page.isVisible('#prerender > [role="status"]'), 'loading status visible');
    assert.equal(await page.getAttribute('#prerender .prerender-copy', 'inert'), '');
    // Not interactive yet: Tab never lands inside the copy.
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('#prerender')), false, 'focus entered the copy');
    // No live app yet, and no element id twice.
    assert.equal(await page.locator('[data-testid="app-ready"]').count(), 0);
    assert.equal(await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return ids.length - new Set(ids).size;
    }), 0, 'duplicate ids');

    // The wasm arrives: the live cards replace the copy.
    release();
    await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 60000 });
    const live = await cardsOf(page, false);
    assert.deepEqual(live, pre, 'the live cards show what the copy showed');
    assert.equal(await page.locator('#prerender').count(), 0, 'the copy is removed');
    assert.equal(await page.locator('header.app-header').count(), 1);
    assert.equal(await page.locator('[data-testid="kpis"]').count(), 1);
    assert.ok(await page.isVisible('[data-testid="kpis"]'), 'live cards visible');
    assert.ok(await page.isVisible('[data-testid="illustrative-label"]'), 'live illustrative label visible');
    assert.equal(await page.textContent('[data-testid="illustrative-label"]'), badge);
    assert.equal(await page.textContent('[data-testid="dataset-line"] .source'), preSource);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await page.evaluate(() => window.__frames);
    assert.ok(frames.copyShown > 0 && frames.liveShown > 0, JSON.stringify(frames));
    assert.equal(frames.emptyAfterCards, 0, `frames without cards between the copy and the live app: ${JSON.stringify(frames)}`);

    // The one set of cards follows the filters.
    const before = await kpi(page, 'htx_count');
    await page.selectOption('[data-testid="region-select"]', 'tdmnpb');
    await page.waitForFunction((b) => {
      const el = document.querySelector('[data-testid="kpi-htx_count"]');
      return el && el.getAttribute('data-value') !== String(b);
    }, before, { timeout: 10000 });
    assert.ok((await kpi(page, 'htx_count')) < before, 'a region has fewer cooperatives than the whole dataset');
    assert.equal(await page.locator('[data-testid="kpis"]').count(), 1);
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    srv.stop();
  }
});

test('only the default view shows the copy: any other link never shows its numbers', { timeout: 180000 }, async () => {
  assert.ok(VIEW, 'the build has a default dataset');
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  const other = [`?y=${VIEW.year - 1}`, '?l=en', '?k=htx', '?r=tdmnpb', '?embed=1', '?t=chart', '?ld=abc',
    '?data=https%3A%2F%2Fexample.org%2Fd.json', `?d=${VIEW.dataset}&l=${VIEW.lang}&l=${VIEW.lang}`];
  const same = [`?d=${VIEW.dataset}&y=${VIEW.year}&l=${VIEW.lang}`, `?y=${VIEW.year}`, '?utm_source=zalo&fbclid=x'];
  try {
    const context = await browser.newContext();
    await watch(context);
    // No wasm at all: what shows is decided by the HTML, the CSS and the inline script alone.
    await context.route(WASM, (route) => route.abort());
    const page = await context.newPage();
    for (const q of other) {
      await page.goto(srv.url + q, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      const f = await page.evaluate(() => window.__frames);
      assert.ok(f.frames > 0, `${q}: no frame painted`);
      assert.equal(f.copyShown, 0, `${q}: the pre-rendered numbers were on screen in ${f.copyShown} frame(s)`);
      assert.equal(await copyDisplayed(page), false, `${q}: copy displayed`);
    }
    for (const q of same) {
      await page.goto(srv.url + q, { waitUntil: 'load' });
      assert.equal(await copyDisplayed(page), true, `${q} asks for the default view: the copy should show`);
    }
    assert.deepEqual(await page.evaluate(() => window.__csp), []);
    await context.close();

    // With the wasm: the app removes the hidden copy at once (no second set of ids), and shows its
    // own view.
    const ctx2 = await browser.newContext();
    const p2 = await openPage(ctx2, srv.url + '?l=en&r=tdmnpb');
    assert.equal(await p2.locator('#prerender').count(), 0, 'hidden copy left in the page');
    assert.equal(await p2.locator('[data-testid="kpis"]').count(), 1);
    assert.match(await p2.textContent('[data-testid="kpis"] h2'), /[A-Za-z]/);
    assert.deepEqual(p2.errors, []);
  } finally {
    await browser.close();
    srv.stop();
  }
});

test('repeat visit with the network cut: the copy from the worker cache, then the live cards', { timeout: 180000 }, async () => {
  const srv = await serve({ dir: DIST });
  const browser = await launch();
  try {
    const context = await browser.newContext();
    await watch(context);
    const page = await openPage(context, srv.url);
    const online = await cardsOf(page, false);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 90000 });
    await context.setOffline(true);

    // The worker answers every request (a route cannot hold the wasm back here): the copy shows
    // first, from the cached index.html, and the watcher keeps what it showed.
    const p2 = await openPage(context, srv.url);
    assert.deepEqual(await cardsOf(p2, false), online);
    assert.equal(await p2.locator('#prerender').count(), 0);
    await p2.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const frames = await p2.evaluate(() => window.__frames);
    assert.ok(frames.copyShown > 0, `the copy never showed offline: ${JSON.stringify(frames)}`);
    assert.deepEqual(frames.copyCards, online, 'offline copy shows the figures seen online');
    assert.equal(frames.emptyAfterCards, 0, JSON.stringify(frames));
    assert.deepEqual(await p2.evaluate(() => window.__csp), []);
  } finally {
    await browser.close();
    srv.stop();
  }
});

test('the copy is deterministic: taking it again from the finished build changes no byte', { timeout: 180000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'coop-prerender-'));
  try {
    const again = join(dir, 'dist');
    cpSync(DIST, again, { recursive: true });
    execFileSync('node', [join(ROOT, 'scripts/prerender.mjs'), again], { stdio: 'pipe' });
    execFileSync('node', [join(ROOT, 'scripts/postbuild.mjs'), again], { stdio: 'pipe' });
    const a = readFileSync(join(DIST, 'index.html'), 'utf8');
    const b = readFileSync(join(again, 'index.html'), 'utf8');
    assert.ok(a.includes('<div id="prerender" hidden>'), 'dist/index.html carries the copy');
    assert.equal(b, a);
    assert.equal(readFileSync(join(again, 'sw.js'), 'utf8'), readFileSync(join(DIST, 'sw.js'), 'utf8'), 'same worker version');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
