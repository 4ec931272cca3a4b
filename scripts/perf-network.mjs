// The 3G measurement (issue 6): Playwright drives Debian's Chromium against the release build under
// emulated network conditions (CDP `Network.emulateNetworkConditions`: 400 kbit/s down, 400 ms round
// trip, empty cache) and prints:
//   - time to the headline cards with numbers (target ≤ 5 s) and to the map drawn (≤ 10 s);
//   - on a repeat visit with the network cut (`context.setOffline(true)`), time to the cards (≤ 1 s);
//   - bytes over the wire for the first view (≤ 200 KB) and for everything the first visit fetches
//     (≤ 450 KB), counted by a byte-counting HTTP proxy between the browser and scripts/serve.py:
//     it sees every request, the service worker's included (CDP throttling applies to the page's
//     requests; the worker installs after the map is drawn, so it does not change the times).
// Usage: node scripts/perf-network.mjs [--dist dist] [--runs 3] [--json]
// Exits 1 when a target is missed. Used by tests/e2e/budget.test.mjs (unthrottled) for the bytes.
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

/** The cards show numbers: at least one headline card has a numeric `data-value`. */
export const CARDS_READY = () => [...document.querySelectorAll('[data-testid^="kpi-"][data-value]')]
  .some((el) => el.getAttribute('data-value') !== '' && Number.isFinite(Number(el.getAttribute('data-value'))))
  && performance.now();

/** The map is drawn: the map chart's ECharts instance holds a map series with data. */
export const MAP_READY = () => {
  const el = document.querySelector('[data-testid="map-chart"]');
  const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
  const opt = inst && inst.getOption();
  return !!(opt && (opt.series || []).some((s) => s.type === 'map' && (s.data || []).length > 0) && el.querySelector('canvas'))
    && performance.now();
};

/** A chart (by test id) is drawn: its ECharts instance holds a series with data. */
export const CHART_READY = (testid) => {
  const el = document.querySelector(`[data-testid="${testid}"]`);
  const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
  const opt = inst && inst.getOption();
  return !!(opt && (opt.series || []).some((s) => (s.data || []).length > 0)) && performance.now();
};

/** Waits for `fn` in the page and returns performance.now() at that moment (ms since navigation). */
export async function timeTo(page, fn, timeout = 60000) {
  const handle = await page.waitForFunction(fn, null, { polling: 'raf', timeout });
  return Number(await handle.jsonValue());
}

/** Splits the proxy log into first-view and first-visit bytes. The first view is every response
 *  that had fully arrived when the cards appeared (wall clock `cardsAt`): what the user waited for.
 *  What the app starts right after (ECharts, the previous year, the shapes) is not in it. */
export function byteSplit(log, cardsAt) {
  const firstView = log.filter((e) => e.end !== null && e.end <= cardsAt);
  const sum = (l) => l.reduce((s, e) => s + e.bytes, 0);
  return { firstView, firstViewBytes: sum(firstView), firstVisitBytes: sum(log), requests: log.length };
}

/** One measured first visit then an offline repeat visit. Returns the figures. */
export async function measureOnce({ dist = join(ROOT, 'dist'), throttle = SLOW_3G } = {}) {
  const { serve, launch } = await import(join(ROOT, 'tests/e2e/harness.mjs'));
  const srv = await serve({ dir: dist });
  const proxy = await countingProxy(srv.url);
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (throttle) await cdp.send('Network.emulateNetworkConditions', throttle);
    await page.goto(proxy.url, { waitUntil: 'commit' });
    const cardsMs = await timeTo(page, CARDS_READY);
    // The moment the cards showed, on the proxy's clock (both are the machine's epoch ms).
    const cardsAt = (await page.evaluate(() => performance.timeOrigin)) + cardsMs;
    const mapMs = await timeTo(page, MAP_READY);
    // The worker registers after the first view; wait for it to be active and the network quiet.
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
    await proxy.idle(3000, 60000);
    const split = byteSplit(proxy.log, cardsAt);
    const firstVisitLog = proxy.log.map((e) => ({ ...e }));

    // Repeat visit, network cut: everything must come from the worker's cache.
    await context.setOffline(true);
    if (throttle) await cdp.send('Network.emulateNetworkConditions', { ...throttle, offline: true });
    const before = proxy.log.length;
    const page2 = await context.newPage();
    await page2.goto(proxy.url, { waitUntil: 'commit' });
    const offlineCardsMs = await timeTo(page2, CARDS_READY, 30000);
    const offlineRequests = proxy.log.length - before;
    await context.close();
    return {
      cardsMs, mapMs, offlineCardsMs, offlineRequests,
      firstViewBytes: split.firstViewBytes, firstVisitBytes: split.firstVisitBytes, requests: split.requests,
      firstView: split.firstView.map((e) => `${e.path} ${e.bytes}`),
      firstVisit: firstVisitLog.map((e) => `${e.path} ${e.status} ${e.bytes}${e.encoding ? ' ' + e.encoding : ''}`),
      errors,
    };
  } finally {
    await browser.close();
    proxy.close();
    srv.stop();
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };
  const dist = arg('--dist', join(ROOT, 'dist'));
  const runs = Number(arg('--runs', '1'));
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measureOnce({ dist }));
  const m = Object.fromEntries(['cardsMs', 'mapMs', 'offlineCardsMs', 'firstViewBytes', 'firstVisitBytes']
    .map((k) => [k, median(results.map((r) => r[k]))]));
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ median: m, runs: results }, null, 1));
  } else {
    const last = results[results.length - 1];
    console.log(`3G measurement of ${dist}: ${runs} run(s), 400 kbit/s, 400 ms RTT, empty cache; medians:`);
    const row = (label, v, t, unit) => console.log(`  ${label.padEnd(40)} ${unit === 'ms' ? (v / 1000).toFixed(2) + ' s' : (v / KB).toFixed(1) + ' KB'}`.padEnd(56) +
      ` target ≤ ${unit === 'ms' ? t / 1000 + ' s' : t / KB + ' KB'}  ${v <= t ? 'OK' : 'MISSED'}`);
    row('headline cards with numbers', m.cardsMs, TARGETS.cardsMs, 'ms');
    row('map drawn', m.mapMs, TARGETS.mapMs, 'ms');
    row('repeat visit offline: cards', m.offlineCardsMs, TARGETS.offlineCardsMs, 'ms');
    row('bytes over the wire, first view', m.firstViewBytes, TARGETS.firstViewBytes, 'B');
    row('bytes over the wire, whole first visit', m.firstVisitBytes, TARGETS.firstVisitBytes, 'B');
    console.log('  first visit, every response (path status bytes encoding):');
    for (const l of last.firstVisit) console.log('    ' + l);
    console.log(`  offline repeat visit: ${last.offlineRequests} request(s) reached the server`);
    if (last.errors.length) console.log('  page errors: ' + last.errors.join(' | '));
  }
  const ok = Object.entries(TARGETS).every(([k, t]) => m[k] <= t);
  process.exit(ok ? 0 : 1);
}
