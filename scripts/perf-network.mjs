// The 3G measurement (issue 6): Playwright drives Debian's Chromium against the release build under
// emulated network conditions (CDP `Network.emulateNetworkConditions`: 400 kbit/s down, 400 ms round
// trip, empty cache) and prints:
//   - time to the headline cards with numbers (target ≤ 5 s): first the pre-rendered copy of the
//     first view (scripts/prerender.mjs, shown from the HTML and CSS), then the app interactive (its
//     own live cards, once the wasm is in); and to the map (≤ 10 s), twice: the pre-rendered
//     copy's map (the app's inline SVG, copied into index.html: shown from the HTML and the CSS)
//     and the live map (the same SVG drawn by the app, interactive; "mapPicture…" figures are the
//     copy's);
//   - when the app responds (to a filter): the earlier of the lean first view being live (issue 13,
//     design 4: the small wasm has written the link's view into the copy and listens to the
//     filters; it adds the class `first-live` to <html>) and the Leptos app's live cards; the Leptos
//     takeover (its live cards) is timed on its own as well (`appMs`);
//   - the same for a shared link asking for another view (`?k=htx`): the copy shows there only once
//     the lean has written that link's own figures into it, which is checked (the copy's cards, the
//     first frame it was on screen, against the live cards after the takeover:
//     `otherViewCopyMatches`); and for a link to another tab of the default view (`?t=chart`),
//     which shows the copy's cards without its map;
//   - on a repeat visit with the network cut (`context.setOffline(true)`), time to the cards (≤ 1 s);
//   - bytes over the wire for the first view (≤ 200 KB) and for everything the first visit fetches
//     (≤ 450 KB). The first view is what the browser had received when the cards showed numbers (the
//     pre-rendered ones), counted by the page's own network events (CDP `Network.dataReceived` and
//     `loadingFinished`, after throttling: a response still arriving counts with its bytes so far);
//     bytes until the app is interactive are counted the same way at the live cards. The whole first
//     visit is counted by a byte-counting HTTP proxy between the browser and scripts/serve.py: it
//     sees every request, the service worker's included (CDP throttling applies to the page's
//     requests; the worker installs after the map is drawn, so it does not change the times).
// Usage: node scripts/perf-network.mjs [--dist dist] [--runs 3] [--json] [--links 'default,?k=htx']
// Exits 1 when a target is missed. Used by tests/e2e/budget.test.mjs for the bytes.
import http from 'node:http';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const KB = 1024;
export const TARGETS = {
  cardsMs: 5000,
  mapMs: 10000,
  offlineCardsMs: 1000,
  firstViewBytes: 200 * KB,
  firstVisitBytes: 450 * KB,
};

/** Issue 13's targets, per shared link (`measureLinks`). */
export const LINK_TARGETS = {
  cardsMs: 5000, // headline figures on screen (the pre-rendered copy's, or the live ones)
  respondsMs: 6000, // the app responds to a filter: its live cards are rendered by the wasm
  mapMs: 6500, // where the map is the opening tab: the interactive (live) map
  chartMs: 10000, // a link that opens on a chart: the chart drawn
  respondsBytes: 200 * KB, // bytes over the wire until the app responds
};

/** The links of issue 13: what people send each other over chat. */
export const LINKS = ['', '?k=htx', '?l=en&b=34&p=19', '?t=chart&ch=trend&y=2019-2024', '?t=table&r=tdmnpb'];
/** 400 kbit/s down (and up), 400 ms round trip. */
export const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };

/**
 * A byte-counting HTTP proxy in front of `upstream` (a URL's origin). Every response's status line,
 * headers and body bytes are recorded with the request's path and start/end times (Date.now()).
 */
export async function countingProxy(upstream) {
  const up = new URL(upstream);
  const log = [];
  let inFlight = 0;
  let lastActivity = Date.now();
  const server = http.createServer((req, res) => {
    const entry = { path: req.url, start: Date.now(), end: null, bytes: 0, status: 0, encoding: null, fromSw: false };
    log.push(entry);
    inFlight++;
    lastActivity = Date.now();
    const headers = { ...req.headers, host: up.host };
    const preq = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers }, (pres) => {
      entry.status = pres.statusCode;
      entry.encoding = pres.headers['content-encoding'] || null;
      // Status line + headers as sent on the wire (HTTP/1.1).
      let head = `HTTP/1.1 ${pres.statusCode} ${pres.statusMessage}\r\n`;
      for (let i = 0; i < pres.rawHeaders.length; i += 2) head += `${pres.rawHeaders[i]}: ${pres.rawHeaders[i + 1]}\r\n`;
      entry.bytes += Buffer.byteLength(head + '\r\n');
      res.writeHead(pres.statusCode, pres.statusMessage, pres.rawHeaders);
      pres.on('data', (chunk) => { entry.bytes += chunk.length; lastActivity = Date.now(); });
      pres.pipe(res);
      pres.on('end', () => { entry.end = Date.now(); inFlight--; lastActivity = Date.now(); });
    });
    preq.on('error', () => { entry.end = Date.now(); entry.status = 502; inFlight--; res.destroy(); });
    req.pipe(preq);
  });
  server.keepAliveTimeout = 1000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    port,
    /** The proxy's URL for the same path as `upstream`. */
    url: `http://127.0.0.1:${port}${up.pathname}`,
    log,
    /** Resolves once no request has been in flight for `quietMs` (or after `maxMs`). */
    async idle(quietMs = 3000, maxMs = 60000) {
      const t0 = Date.now();
      while (Date.now() - t0 < maxMs) {
        if (inFlight === 0 && Date.now() - lastActivity >= quietMs) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    },
    close() { server.closeAllConnections?.(); server.close(); },
  };
}

// Page predicates are functions, never strings: the page's CSP forbids eval. Each returns
// performance.now() (ms since navigation start) once true, false before.

/** The pre-rendered first view (scripts/prerender.mjs) is on screen with numbers: the copy is
 *  displayed (the CSS is in and the link asked for the default view) and one of its cards has a
 *  numeric `data-value`. */
export const PRERENDER_READY = () => {
  const copy = document.getElementById('prerender');
  return !!copy && getComputedStyle(copy).display !== 'none'
    && [...copy.querySelectorAll('[data-testid^="pre-kpi-"][data-value]')]
      .some((el) => el.getAttribute('data-value') !== '' && Number.isFinite(Number(el.getAttribute('data-value'))))
    && performance.now();
};

/** The first headline cards with numbers on screen, pre-rendered or live:
 *  `{ t, prerendered }`, or false before. */
export const ANY_CARDS_READY = () => {
  const copy = document.getElementById('prerender');
  const num = (el) => el.getAttribute('data-value') !== '' && Number.isFinite(Number(el.getAttribute('data-value')));
  if (copy && getComputedStyle(copy).display !== 'none' && [...copy.querySelectorAll('[data-testid^="pre-kpi-"][data-value]')].some(num)) {
    return { t: performance.now(), prerendered: true };
  }
  const live = [...document.querySelectorAll('[data-testid^="kpi-"][data-value]')].some(num);
  return live && { t: performance.now(), prerendered: false };
};

/** The app's own (live) cards show numbers: at least one headline card has a numeric `data-value`. */
export const CARDS_READY = () => [...document.querySelectorAll('[data-testid^="kpi-"][data-value]')]
  .some((el) => el.getAttribute('data-value') !== '' && Number.isFinite(Number(el.getAttribute('data-value'))))
  && performance.now();

/** The pre-rendered copy's map is on screen: its inline SVG, with its provinces, laid out. */
export const MAP_PICTURE_READY = () => {
  const copy = document.getElementById('prerender');
  const svg = copy && getComputedStyle(copy).display !== 'none' && copy.querySelector('svg[data-testid="pre-map-chart"]');
  return !!svg && !!svg.querySelector('path.area') && svg.getClientRects().length > 0
    && getComputedStyle(svg).visibility !== 'hidden' && performance.now();
};

/** The lean first view is live: it has written the link's view into the copy and answers the
 *  filters (it adds `first-live` to <html>). */
export const LEAN_READY = () => document.documentElement.classList.contains('first-live') && performance.now();

/** The interactive map: the lean live with the copy's map drawn (on screen, a province filled
 *  with a class colour, not only "no data"), or the live map of the Leptos app (`MAP_READY`). */
export const INTERACTIVE_MAP_READY = () => {
  const drawn = (svg) => {
    const paths = svg ? [...svg.querySelectorAll('path.area')] : [];
    return paths.length > 0 && paths.some((p) => p.getAttribute('fill') !== '#e3e6e5') && svg.getClientRects().length > 0;
  };
  const copy = document.getElementById('prerender');
  // The lean's map once it is the link's: shown (hidden while the 34-province shapes are on their
  // way), and zoomed when the link chooses a region or provinces (the whole country until then).
  const svg = copy && copy.querySelector('svg[data-testid="pre-map-chart"]');
  const q = new URLSearchParams(location.search);
  const zoomed = !(q.has('r') || q.has('p')) || (svg && svg.getAttribute('viewBox') !== '0 0 768 1000');
  const lean = document.documentElement.classList.contains('first-live') && !!copy && getComputedStyle(copy).display !== 'none'
    && drawn(svg) && getComputedStyle(svg).visibility !== 'hidden' && zoomed;
  return (lean || drawn(document.querySelector('#main svg[data-testid="map-chart"]'))) && performance.now();
};

/** The live map is drawn: the app's SVG map has its provinces, at least one filled with a class
 *  colour (not only "no data"), and is laid out. */
export const MAP_READY = () => {
  const svg = document.querySelector('#main svg[data-testid="map-chart"]');
  const paths = svg ? [...svg.querySelectorAll('path.area')] : [];
  return paths.length > 0 && paths.some((p) => p.getAttribute('fill') !== '#e3e6e5') && svg.getClientRects().length > 0
    && performance.now();
};

/** A chart (by test id, `chart` when none is given) is drawn: its ECharts instance holds a series
 *  with data. */
export const CHART_READY = (testid = 'chart') => {
  const el = document.querySelector(`[data-testid="${testid}"]`);
  const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
  const opt = inst && inst.getOption();
  return !!(opt && (opt.series || []).some((s) => (s.data || []).length > 0)) && performance.now();
};

/** Installed in the page before navigation (an init script, not subject to the page's CSP):
 *  records in `window.__mapPicture` the first frame the copy's map showed and the frames after it
 *  without any map. */
const MAP_WATCH = (picture, live) => {
  const w = { at: null, gap: 0 };
  window.__mapPicture = w;
  const tick = () => {
    const p = picture();
    if (p && w.at === null) w.at = p;
    if (w.at !== null && !p && !live()) w.gap++;
    if (!live()) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

/** A trend drawn as SVG (the lean first view's, or the app's while ECharts loads:
 *  src/charts/svg.rs, once every year is in). */
export const SKETCH_READY = () => !!document.querySelector('[data-testid="pre-chart-fallback"] svg .series path, [data-testid="chart-fallback"] svg .series path')
  && performance.now();

/** Installed in the page before navigation (an init script): records in `window.__firstAt` the
 *  first frame each predicate of `preds` held (its performance.now()), and in `window.__copyCards`
 *  the copy's cards ([id, data-value]) the first frame the copy was on screen with numbers. */
const FIRST_AT = (preds) => {
  const at = {};
  window.__firstAt = at;
  window.__copyCards = null;
  const t0 = performance.now();
  const tick = () => {
    let pending = false;
    for (const [k, f] of Object.entries(preds)) {
      if (at[k] !== undefined) continue;
      const v = f();
      if (v) at[k] = v;
      else pending = true;
    }
    const copy = document.getElementById('prerender');
    if (!window.__copyCards && copy && getComputedStyle(copy).display !== 'none') {
      const cards = [...copy.querySelectorAll('[data-testid^="pre-kpi-"][data-value]')]
        .map((el) => [el.getAttribute('data-testid').replace(/^pre-kpi-/, ''), el.getAttribute('data-value')]);
      if (cards.some(([, v]) => v !== '' && Number.isFinite(Number(v)))) window.__copyCards = cards;
    }
    if (pending || (!window.__copyCards && copy)) {
      if (performance.now() - t0 < 120000) requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
};

/** The first time (performance.now()) the `FIRST_AT` watcher saw any of `keys`, once one was seen. */
async function firstAt(page, keys, timeout = 60000) {
  const handle = await page.waitForFunction((ks) => {
    const at = window.__firstAt || {};
    const seen = ks.map((k) => at[k]).filter((v) => v !== undefined);
    return seen.length > 0 && Math.min(...seen);
  }, keys, { polling: 'raf', timeout });
  return Number(await handle.jsonValue());
}

/** Waits for `fn` in the page and returns performance.now() at that moment (ms since navigation). */
export async function timeTo(page, fn, timeout = 60000) {
  const handle = await page.waitForFunction(fn, null, { polling: 'raf', timeout });
  return Number(await handle.jsonValue());
}

/**
 * Records, from the page's CDP session, how many bytes each response had delivered to the page and
 * when (the machine's epoch ms, like the proxy's clock): the throttled arrival the user waits for.
 * `bytesBy(t)` sums, over every response, its bytes received by `t`.
 */
export function wireLog(cdp) {
  const reqs = new Map();
  const get = (id) => {
    if (!reqs.has(id)) reqs.set(id, { url: null, chunks: [], finishedAt: null, total: 0 });
    return reqs.get(id);
  };
  cdp.on('Network.responseReceived', (e) => {
    const r = get(e.requestId);
    r.url = e.response.url;
    // Status line and headers, as the browser counts them.
    r.chunks.push([Date.now(), e.response.encodedDataLength || 0]);
  });
  cdp.on('Network.dataReceived', (e) => { get(e.requestId).chunks.push([Date.now(), e.encodedDataLength || 0]); });
  cdp.on('Network.loadingFinished', (e) => {
    const r = get(e.requestId);
    r.finishedAt = Date.now();
    r.total = e.encodedDataLength;
  });
  return {
    reqs,
    bytesBy(t) {
      let sum = 0;
      const parts = [];
      for (const r of reqs.values()) {
        const b = r.finishedAt !== null && r.finishedAt <= t ? r.total : r.chunks.filter(([at]) => at <= t).reduce((s, [, n]) => s + n, 0);
        if (b > 0) {
          sum += b;
          const path = r.url ? new URL(r.url).pathname : '?';
          parts.push(`${path} ${b}${r.finishedAt !== null && r.finishedAt <= t ? '' : ' (arriving)'}`);
        }
      }
      return { bytes: sum, parts };
    },
  };
}

/** Opens `url` in a fresh throttled context; returns the figures of the cards (and the map):
 *  `liveMs` is when the app responds (the lean live or the Leptos cards, the earlier), `appMs` the
 *  Leptos takeover, `mapMs` the interactive map (the lean's copy map or the live one). */
async function visit(browser, url, throttle, { map = true, chart = false, wire = null } = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Every frame: when the copy's map first showed, and how many frames after it showed neither
  // the copy's map nor the live map (an empty map panel).
  await page.addInitScript(`(${MAP_WATCH})(${MAP_PICTURE_READY}, ${MAP_READY})`);
  // The charts too on a link that opens on one (they may come and go before `visit` returns).
  const charts = chart ? `, sketch: ${SKETCH_READY}, echarts: ${CHART_READY}` : '';
  await page.addInitScript(`(${FIRST_AT})({ lean: ${LEAN_READY}, app: ${CARDS_READY}, map: ${INTERACTIVE_MAP_READY}, liveMap: ${MAP_READY}${charts} })`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const log = wire ? wire(cdp) : null;
  if (throttle) await cdp.send('Network.emulateNetworkConditions', throttle);
  await page.goto(url, { waitUntil: 'commit' });
  const first = await (await page.waitForFunction(ANY_CARDS_READY, null, { polling: 'raf', timeout: 60000 })).jsonValue();
  const liveMs = await firstAt(page, ['lean', 'app']);
  const appMs = await firstAt(page, ['app']);
  // The copy is gone once the live cards are in (removed in the same task, before the next frame).
  const copyLeft = await page.evaluate(() => !!document.getElementById('prerender'));
  const origin = await page.evaluate(() => performance.timeOrigin);
  // The copy's map is timed by the watcher installed before navigation (it may have come and gone).
  const mapMs = map ? await firstAt(page, ['map']) : null;
  const liveMapMs = map ? await firstAt(page, ['liveMap']) : null;
  const pic = await page.evaluate(() => window.__mapPicture);
  const pictureLeft = await page.evaluate(() => !!document.querySelector('[data-testid="pre-map-chart"]'));
  const { leanMs, copyCards } = await page.evaluate(() => ({ leanMs: window.__firstAt.lean ?? null, copyCards: window.__copyCards }));
  const liveCards = await page.$$eval('[data-testid^="kpi-"][data-value]', (els) => els.map((el) => [
    el.getAttribute('data-testid').replace(/^kpi-/, ''), el.getAttribute('data-value')]));
  return {
    context, page, cdp, log, errors, origin, copyLeft, prerenderedMs: first.prerendered ? first.t : null, liveMs, appMs, leanMs,
    mapMs, liveMapMs, pictureMs: pic.at, pictureGapFrames: pic.gap, pictureLeft, copyCards, liveCards,
  };
}

/** One measured first visit then an offline repeat visit, and a first visit of a link to another
 *  view (`otherView`). Returns the figures. */
export async function measureOnce({ dist = join(ROOT, 'dist'), throttle = SLOW_3G, otherView = '?k=htx', tabView = '?t=chart' } = {}) {
  const { serve, launch } = await import(join(ROOT, 'tests/e2e/harness.mjs'));
  const srv = await serve({ dir: dist });
  const proxy = await countingProxy(srv.url);
  const browser = await launch();
  try {
    const v = await visit(browser, proxy.url, throttle, { wire: wireLog });
    const { context, cdp, errors } = v;
    const cardsMs = v.prerenderedMs ?? v.liveMs;
    // The worker registers after the first view; wait for it to be active and the network quiet.
    await v.page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
    await proxy.idle(3000, 60000);
    const firstView = v.log.bytesBy(v.origin + cardsMs);
    const interactive = v.log.bytesBy(v.origin + v.liveMs);
    const app = v.log.bytesBy(v.origin + v.appMs);
    const firstVisitBytes = proxy.log.reduce((s, e) => s + e.bytes, 0);
    const firstVisitLog = proxy.log.map((e) => ({ ...e }));

    // Repeat visit, network cut: everything must come from the worker's cache.
    await context.setOffline(true);
    if (throttle) await cdp.send('Network.emulateNetworkConditions', { ...throttle, offline: true });
    const before = proxy.log.length;
    const page2 = await context.newPage();
    await page2.goto(proxy.url, { waitUntil: 'commit' });
    const offline = await (await page2.waitForFunction(ANY_CARDS_READY, null, { polling: 'raf', timeout: 30000 })).jsonValue();
    const offlineLiveMs = offline.prerendered ? await timeTo(page2, CARDS_READY, 30000) : offline.t;
    const offlineRequests = proxy.log.length - before;
    await context.close();

    // A shared link to another view: the copy may show there only with that link's own figures
    // (written by the lean first view), never the default view's: the copy's cards, the first
    // frame it was on screen, must be the live cards after the takeover. Null: it never showed.
    const before2 = proxy.log.length;
    const o = await visit(browser, proxy.url + otherView, throttle, { map: false });
    const otherViewPrerendered = o.copyCards !== null;
    const otherViewCopyMatches = o.copyCards === null ? null : JSON.stringify(o.copyCards) === JSON.stringify(o.liveCards);
    await o.context.close();
    const otherViewRequests = proxy.log.length - before2;

    // A shared link to another tab of the default view: the copy's header, filters and cards show
    // (without its tab area, the default map); the tab itself waits for the wasm.
    const tv = await visit(browser, proxy.url + tabView, throttle, { map: false });
    await tv.context.close();

    return {
      cardsMs, prerendered: v.prerenderedMs !== null, liveMs: v.liveMs, appMs: v.appMs, leanMs: v.leanMs, mapMs: v.mapMs,
      liveMapMs: v.liveMapMs, copyLeft: v.copyLeft,
      mapPictureMs: v.pictureMs, mapGapFrames: v.pictureGapFrames, mapPictureLeft: v.pictureLeft,
      offlineCardsMs: offline.t, offlinePrerendered: offline.prerendered, offlineLiveMs, offlineRequests,
      otherView, otherViewMs: o.liveMs, otherViewAppMs: o.appMs, otherViewPrerendered, otherViewCopyMatches,
      otherViewCopyCards: o.copyCards, otherViewLiveCards: o.liveCards, otherViewRequests,
      tabView, tabViewCardsMs: tv.prerenderedMs ?? tv.liveMs, tabViewPrerendered: tv.prerenderedMs !== null, tabViewLiveMs: tv.liveMs,
      firstViewBytes: firstView.bytes, interactiveBytes: interactive.bytes, appBytes: app.bytes, firstVisitBytes, requests: firstVisitLog.length,
      firstView: firstView.parts, interactive: interactive.parts,
      firstVisit: firstVisitLog.map((e) => `${e.path} ${e.status} ${e.bytes}${e.encoding ? ' ' + e.encoding : ''}`),
      errors: [...errors, ...o.errors, ...tv.errors],
    };
  } finally {
    await browser.close();
    proxy.close();
    srv.stop();
  }
}

/**
 * Each link of `links` opened once as a new user would (fresh profile, empty cache, throttled):
 * time to the headline figures (copy or live), to the app responding (its live cards), to the
 * interactive map when the link opens on the map, to the chart drawn when it opens on a chart,
 * and the bytes over the wire until the app responds. Also: when the first request for a file the
 * first view does not need (ECharts, the own-data worker) started, which must be after the app
 * responds (the service worker's background precache, or a chart asking for ECharts).
 */
export async function measureLinks({ dist = join(ROOT, 'dist'), throttle = SLOW_3G, links = LINKS } = {}) {
  const { serve, launch } = await import(join(ROOT, 'tests/e2e/harness.mjs'));
  const srv = await serve({ dir: dist });
  const browser = await launch();
  const out = [];
  try {
    for (const link of links) {
      const q = new URLSearchParams(link.replace(/^\?/, ''));
      const tab = q.get('t') || 'map';
      const v = await visit(browser, srv.url + link, throttle, { map: tab === 'map', chart: tab === 'chart', wire: wireLog });
      // The chart drawn (the lean's SVG trend counts), and apart, ECharts' own (tooltips, PNG).
      const chartMs = tab === 'chart' ? await firstAt(v.page, ['sketch', 'echarts']) : null;
      const echartsMs = tab === 'chart' ? await firstAt(v.page, ['echarts']) : null;
      const responds = v.log.bytesBy(v.origin + v.liveMs);
      // The first request for what the first view does not need, from the page's own log.
      const late = [...v.log.reqs.values()].filter((r) => r.url && /\/vendor\/echarts|coop-atlas-worker/.test(r.url) && r.chunks.length)
        .map((r) => r.chunks[0][0] - v.origin);
      out.push({
        link: link || '(default)', cardsMs: v.prerenderedMs ?? v.liveMs, prerendered: v.prerenderedMs !== null,
        respondsMs: v.liveMs, lean: v.leanMs !== null && v.leanMs <= v.appMs, appMs: v.appMs, mapMs: v.mapMs, chartMs, echartsMs,
        respondsBytes: responds.bytes, responds: responds.parts,
        firstLateMs: late.length ? Math.min(...late) : null, errors: v.errors,
      });
      await v.context.close();
    }
  } finally {
    await browser.close();
    srv.stop();
  }
  return out;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
  const dist = arg('--dist', join(ROOT, 'dist'));
  const runs = Number(arg('--runs', '1'));
  const results = [];
  // `--links '?t=chart&ch=trend&y=2019-2024,?k=htx'`: only these shared links, and not the
  // first-visit measures (a quicker run when one link is being worked on).
  const only = arg('--links', null);
  const linkSet = only === null ? LINKS : only.split(',').map((l) => (l === 'default' ? '' : l));
  if (only === null) for (let i = 0; i < runs; i++) results.push(await measureOnce({ dist }));
  // Issue 13: every shared link, `runs` times, medians per link.
  const linkRuns = [];
  for (let i = 0; i < runs; i++) linkRuns.push(await measureLinks({ dist, links: linkSet }));
  const links = linkRuns[0].map((first, j) => {
    const all = linkRuns.map((r) => r[j]);
    const med = (k) => (all.every((r) => r[k] === null) ? null : median(all.map((r) => r[k] ?? Infinity)));
    return { ...first, cardsMs: med('cardsMs'), respondsMs: med('respondsMs'), appMs: med('appMs'), mapMs: med('mapMs'), chartMs: med('chartMs'), echartsMs: med('echartsMs'),
      lean: all.every((r) => r.lean),
      respondsBytes: med('respondsBytes'), firstLateMs: med('firstLateMs'), lateBeforeResponds: all.some((r) => r.firstLateMs !== null && r.firstLateMs < r.respondsMs) };
  });
  const m = Object.fromEntries(['cardsMs', 'liveMs', 'appMs', 'mapPictureMs', 'mapMs', 'liveMapMs', 'offlineCardsMs', 'offlineLiveMs', 'otherViewMs', 'otherViewAppMs', 'tabViewCardsMs', 'tabViewLiveMs', 'firstViewBytes', 'interactiveBytes', 'appBytes', 'firstVisitBytes']
    .map((k) => [k, median(results.map((r) => r[k]))]));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ median: m, runs: results, links, linkRuns }, null, 1));
  } else if (results.length) {
    const last = results[results.length - 1];
    const pre = results.every((r) => r.prerendered) ? 'pre-rendered' : results.some((r) => r.prerendered) ? 'pre-rendered in some runs only' : 'NOT pre-rendered';
    console.log(`3G measurement of ${dist}: ${runs} run(s), 400 kbit/s, 400 ms RTT, empty cache; medians:`);
    const fmt = (v, unit) => (unit === 'ms' ? (v / 1000).toFixed(2) + ' s' : (v / KB).toFixed(1) + ' KB');
    const row = (label, v, t, unit, note = '') => console.log(`  ${label.padEnd(58)} ${fmt(v, unit)}`.padEnd(72) +
      (t === null ? ` ${note}` : ` target ≤ ${fmt(t, unit)}  ${v <= t ? 'OK' : 'MISSED'}${note ? ' ' + note : ''}`));
    row(`headline cards with numbers (${pre})`, m.cardsMs, TARGETS.cardsMs, 'ms');
    const lean = results.every((r) => r.leanMs !== null && r.leanMs <= r.appMs) ? 'the lean first view live'
      : results.some((r) => r.leanMs !== null) ? 'the lean in some runs only' : 'the Leptos cards: the lean never went live';
    row(`the app responds (${lean})`, m.liveMs, null, 'ms', '(no target of its own)');
    row('the Leptos app takes over (its live cards)', m.appMs, null, 'ms', '(no target of its own)');
    const picOk = results.every((r) => r.mapPictureMs !== null);
    if (picOk) row("map (the pre-rendered copy's SVG, not interactive)", m.mapPictureMs, TARGETS.mapMs, 'ms');
    else console.log(`  map (the pre-rendered copy's SVG): NOT SHOWN in ${results.filter((r) => r.mapPictureMs === null).length} run(s)`);
    row('interactive map (the lean\'s copy map, or the live map)', m.mapMs, TARGETS.mapMs, 'ms');
    row('live map drawn by the Leptos app', m.liveMapMs, null, 'ms', '(no target of its own)');
    row(`shared link to another view (${last.otherView}): the app responds`, m.otherViewMs, TARGETS.cardsMs, 'ms',
      results.some((r) => r.otherViewCopyMatches === false) ? '(copy SHOWN with other figures than the live cards: WRONG)'
        : results.some((r) => r.otherViewPrerendered) ? '(copy shown with the link\'s own figures)' : '(no copy shown)');
    row(`shared link to another view (${last.otherView}): the Leptos app takes over`, m.otherViewAppMs, null, 'ms', '(no target of its own)');
    row(`shared link to another tab (${last.tabView}): cards`, m.tabViewCardsMs, TARGETS.cardsMs, 'ms',
      results.every((r) => r.tabViewPrerendered) ? '(pre-rendered, without the tab area)' : '(copy NOT shown in every run: wrong)');
    row(`shared link to another tab (${last.tabView}): the app responds`, m.tabViewLiveMs, null, 'ms', '(no target of its own)');
    row('repeat visit offline: cards', m.offlineCardsMs, TARGETS.offlineCardsMs, 'ms', `(${results.every((r) => r.offlinePrerendered) ? 'pre-rendered' : 'live'})`);
    row('repeat visit offline: the app interactive', m.offlineLiveMs, null, 'ms', '(no target of its own)');
    row('bytes over the wire, first view (cards on screen)', m.firstViewBytes, TARGETS.firstViewBytes, 'B');
    row('bytes over the wire, until the app responds', m.interactiveBytes, TARGETS.firstViewBytes, 'B', '(the first view with its wasm)');
    row('bytes over the wire, until the Leptos app takes over', m.appBytes, null, 'B', '(no target of its own)');
    row('bytes over the wire, whole first visit', m.firstVisitBytes, TARGETS.firstVisitBytes, 'B');
    console.log('  first view, bytes received by the page when the cards showed: ' + last.firstView.join(', '));
    console.log('  until interactive: ' + last.interactive.join(', '));
    console.log('  first visit, every response (path status bytes encoding):');
    for (const l of last.firstVisit) console.log('    ' + l);
    console.log(`  offline repeat visit: ${last.offlineRequests} request(s) reached the server`);
    if (results.some((r) => r.copyLeft)) console.log('  the pre-rendered copy was still in the page with the live cards: WRONG');
    if (results.some((r) => r.mapPictureLeft)) console.log("  the copy's map was still in the page with the live map: WRONG");
    if (results.some((r) => r.mapGapFrames > 0)) console.log(`  frames with no map between the copy's map and the live map: ${results.map((r) => r.mapGapFrames).join(' / ')}: WRONG`);
    if (last.errors.length) console.log('  page errors: ' + last.errors.join(' | '));
  }
  if (!process.argv.includes('--json')) {
    const f = (v, unit, t) => (v === null ? '—' : (unit === 'ms' ? (v / 1000).toFixed(2) + ' s' : (v / KB).toFixed(1) + ' KB') + (t !== undefined && v > t ? ' ✗' : ' ✓'));
    console.log(`\nShared links (issue 13), medians of ${runs}: headline figures ≤ 5 s · app responds ≤ 6 s · map ≤ 6.5 s · chart ≤ 10 s · bytes until it responds ≤ 200 KB`);
    console.log('  link'.padEnd(36) + 'figures'.padStart(12) + 'responds'.padStart(12) + 'by'.padStart(7) + 'map'.padStart(12) + 'chart'.padStart(12) +
      'ECharts'.padStart(10) + 'Leptos'.padStart(10) + 'bytes'.padStart(14) + '  first late file');
    for (const l of links) {
      console.log(`  ${l.link}`.padEnd(36) + f(l.cardsMs, 'ms', LINK_TARGETS.cardsMs).padStart(12) + f(l.respondsMs, 'ms', LINK_TARGETS.respondsMs).padStart(12) +
        (l.lean ? 'lean' : 'Leptos').padStart(7) + f(l.mapMs, 'ms', LINK_TARGETS.mapMs).padStart(12) + f(l.chartMs, 'ms', LINK_TARGETS.chartMs).padStart(12) +
        (l.echartsMs === null ? '—' : (l.echartsMs / 1000).toFixed(2) + ' s').padStart(10) + ((l.appMs / 1000).toFixed(2) + ' s').padStart(10) +
        f(l.respondsBytes, 'B', LINK_TARGETS.respondsBytes).padStart(14) + `  ${l.firstLateMs === null ? '—' : (l.firstLateMs / 1000).toFixed(2) + ' s'}${l.lateBeforeResponds ? ' (BEFORE the app responded: WRONG)' : ''}`);
    }
    for (const l of links) console.log(`  ${l.link} until it responds: ${l.responds.join(', ')}`);
  }
  const linksOk = links.every((l) => Object.entries(LINK_TARGETS).every(([k, t]) => l[k] === null || l[k] <= t) && !l.lateBeforeResponds);
  const ok = linksOk && Object.entries(TARGETS).every(([k, t]) => m[k] <= t) && results.every((r) => !r.copyLeft && r.otherViewCopyMatches !== false &&
    r.mapPictureMs !== null && !r.mapPictureLeft && r.mapGapFrames === 0);
  process.exit(ok ? 0 : 1);
}
