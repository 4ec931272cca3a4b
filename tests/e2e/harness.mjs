// Shared harness for the end-to-end tests: serves dist/ with scripts/serve.py on a free loopback
// port and drives Debian's Chromium through playwright-core (no browser download).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The build the tests serve: dist/, or the folder `COOP_DIST` names (to test another build). */
export const DIST = process.env.COOP_DIST || join(ROOT, 'dist');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

async function freePort() {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

/** Starts scripts/serve.py on the build ([`DIST`], or `dir`) under `prefix`; returns { url, port, stop }. */
export async function serve({ dir = DIST, prefix = '/' } = {}) {
  const port = await freePort();
  const proc = spawn('python3', [join(ROOT, 'scripts/serve.py'), '--dir', dir, '--port', String(port), '--prefix', prefix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('http://')) resolve(); });
    proc.on('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
  });
  const norm = '/' + prefix.replace(/^\/+|\/+$/g, '') + (prefix.replace(/\//g, '') ? '/' : '');
  return {
    url: `http://127.0.0.1:${port}${norm}`,
    port,
    stop: () => { proc.kill(); },
  };
}

/** Launches headless Chromium (a fresh profile each time). */
export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/**
 * The build served and a browser, for a whole test file: started `before` its first test, both
 * closed `after` its last, even when a test fails. Returns the object they are put in: read
 * `site.url` (the served root, ending in `/`) and `site.browser` inside tests, never at import
 * time (they are set once the hook has run). `options` are [`serve`]'s.
 *
 * Why one helper: fourteen files wrote these lines each; how the tests start (the build served,
 * the browser's flags) is now said once.
 */
export function useSite(options) {
  const site = { url: null, browser: null };
  let srv;
  before(async () => {
    srv = await serve(options);
    site.url = srv.url;
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    srv?.stop();
  });
  return site;
}

/**
 * The build served and a browser of its own for one test: `withSite([options,] fn)` runs
 * `fn({ url, browser })` (what [`useSite`] gives a whole file) and closes both after it, whatever
 * happens. For tests that need a browser no other test has touched (service workers, caches) or a
 * build of their own (`options` are [`serve`]'s: `dir`, `prefix`).
 */
export async function withSite(...args) {
  const fn = args.pop();
  const srv = await serve(args[0]);
  try {
    const browser = await launch();
    try {
      return await fn({ url: srv.url, browser });
    } finally {
      await browser.close();
    }
  } finally {
    srv.stop();
  }
}

/**
 * Opens a page that records console errors and uncaught exceptions into `page.errors`.
 * `waitUntil` is passed to `page.goto`: a test that holds a file the app requests while the page
 * loads (the ECharts script) must not wait for the `load` event, which that file delays.
 */
export async function openPage(context, url, { waitFor = '[data-testid="app-ready"]', waitUntil = 'load' } = {}) {
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.errors.push(msg.text()); });
  page.on('pageerror', (err) => page.errors.push(String(err)));
  if (url) {
    await page.goto(url, { waitUntil });
    if (waitFor) await page.waitForSelector(waitFor, { state: 'attached', timeout: 30000 });
  }
  return page;
}

/** Reads a headline card's unformatted value. */
export async function kpi(page, id) {
  const v = await page.getAttribute(`[data-testid="kpi-${id}"]`, 'data-value');
  return v === null || v === '' ? null : Number(v);
}
