// Design 4 of docs/performance.md ("Designs measured") on emulated 3G: how soon a shared link's
// headline cards are computed and written by the framework-free first-view probe (lean.rs), and
// how many bytes have arrived by then. A probe, not the app: it copies the release build into a
// scratch folder, takes the Leptos app out of the page (its script, preloads and CSP, so it does
// not share the 400 kbit/s with the small wasm: in design 4 it would be fetched after the first view
// responds), and loads the probe's wasm instead, built by measure.sh into
// target/first-view-probe/. The dataset file is the default dataset's latest year, which the
// page's head script preloads on these links, as it does today.
// Usage (after bash scripts/build.sh and bash scripts/probes/first-view/measure.sh):
//   node scripts/probes/first-view/lean-3g.mjs [--runs 3]
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync, rmSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { CHROMIUM_ARGS } from '../../../tests/e2e/harness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const LINKS = ['?k=htx', '?t=table&r=tdmnpb', '?t=chart&ch=trend&y=2019-2024'];
const WASM = join(ROOT, 'target/first-view-probe/wasm32-unknown-unknown/release/coop-atlas-first.wasm');
statSync(WASM); // built by measure.sh: fail here, not in the browser, when it is missing

const dir = mkdtempSync(join(tmpdir(), 'lean-3g-'));
cpSync(join(ROOT, 'dist'), dir, { recursive: true });
const wasmBindgen = process.env.WASM_BINDGEN || 'wasm-bindgen';
execFileSync(wasmBindgen, ['--target', 'no-modules', '--no-typescript', '--out-dir', dir, '--out-name', 'first', WASM]);
execFileSync(join(ROOT, 'node_modules/binaryen/bin/wasm-opt'), ['-Oz', '--low-memory-unused', '--converge', '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', join(dir, 'first_bg.wasm'), '-o', join(dir, 'first_bg.wasm')]);
const catalog = JSON.parse(readFileSync(join(dir, 'data/catalog.json'), 'utf8'));
const entry = catalog.datasets[0];
const latest = Math.max(...entry.years);
const pack = entry.files[String(latest)].replace(/\.json$/, '.pack');
let html = readFileSync(join(dir, 'index.html'), 'utf8');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
  .replace(/<link rel="modulepreload"[^>]*>/, '')
  .replace(/<link rel="preload" href="\.\/coop-atlas-web[^>]*>/, '')
  .replace(/<script type="module">[\s\S]*?<\/script>/, '')
  .replace('</head>', `<script>window.__coopPack=${JSON.stringify(pack)};</script><script src="first.js"></script><script>wasm_bindgen("first_bg.wasm")</script></head>`);
writeFileSync(join(dir, 'index.html'), html);
for (const f of ['index.html', 'first.js', 'first_bg.wasm']) {
  const b = readFileSync(join(dir, f));
  writeFileSync(join(dir, f + '.br'), brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(join(dir, f + '.gz'), gzipSync(b, { level: 9 }));
}
console.log(`probe wasm: ${(statSync(join(dir, 'first_bg.wasm.br')).size / 1024).toFixed(1)} KB brotli; ${RUNS} run(s) a link, 400 kbit/s, 400 ms, 390 × 800, cold cache`);

const port = 9300 + Math.floor(Math.random() * 500);
const srv = spawn('python3', [join(ROOT, 'scripts/serve.py'), '--dir', dir, '--port', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 1500));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
try {
  for (const link of LINKS) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
      const page = await ctx.newPage();
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 50000, uploadThroughput: 50000 });
      let bytes = 0;
      cdp.on('Network.dataReceived', (e) => { bytes += e.encodedDataLength; });
      await page.goto(`http://127.0.0.1:${port}/${link}`, { waitUntil: 'commit' });
      // The probe writes the link's cards (test ids without the copy's `pre-` prefix).
      const t = await (await page.waitForFunction(() => {
        const li = document.querySelector('#prerender li[data-testid^="kpi-"]');
        return li && performance.now();
      }, null, { timeout: 60000, polling: 'raf' })).jsonValue();
      runs.push({ t: t / 1000, kb: bytes / 1024, first: await page.textContent('#prerender li[data-testid^="kpi-"] .value') });
      await ctx.close();
    }
    runs.sort((a, b) => a.t - b.t);
    const mid = runs[Math.floor(runs.length / 2)];
    console.log(`${link.padEnd(32)} cards written at ${mid.t.toFixed(2)} s (median; ${runs.map((r) => r.t.toFixed(2)).join(', ')}), ${mid.kb.toFixed(1)} KB received, first card ${mid.first}`);
  }
} finally {
  await browser.close();
  srv.kill();
  rmSync(dir, { recursive: true, force: true });
}
