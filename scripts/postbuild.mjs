// After `trunk build --release`: finishes dist/ for a static host. Idempotent: running it again on
// the same dist/ (or on a dist/ whose files were edited, as the update test does) yields the same
// result as running it once on a fresh build.
//  1. Gives the ECharts bundle a content hash in its name (`vendor/echarts-<16 hex>.js`) so it can be
//     cached for a year and served cache-first by the service worker; the page learns the name from
//     `<meta name="coop-atlas-echarts">` (read by src/ui/offline.rs), since the wasm is built before.
//  1a. Gives the own-data worker's files (its loader, JS glue and wasm: Trunk names worker files
//     without a hash, trunk #405) content-hashed names, rewriting the loader's references to the
//     other two; the page learns the loader's name from `<meta name="coop-atlas-worker">` (read by
//     src/ui/own_data.rs). So the service worker, which serves hashed names cache-first, never
//     hands a page one release's worker with another's wasm.
//     The workbook worker (`coop-atlas-workbook`: the same worker with the .xlsx reader linked in)
//     is hashed the same way and named by `<meta name="coop-atlas-workbook">`; it is left out of
//     the service worker's precache (most users never open a workbook) and stored the first time
//     it is fetched (hashed names are cache-first in public/sw.js).
//  1b. Minifies the app's JS glue and CSS, and gives the wasm's imports short names (wasm-bindgen's
//     carry a hash each): ≈ 4 KB brotli less in the first view.
//  1c. The lean first view (`coop-atlas-first`, issue 13 design 4: a small wasm without Leptos that
//     fills the pre-rendered copy with a link's own figures, then starts the Leptos app): Trunk
//     builds it as a no-modules worker (`coop-atlas-first.js`, whose glue defines a global
//     `wasm_bindgen`, and `coop-atlas-first_bg.wasm`, unhashed: trunk #405) and leaves it out of the
//     page. Its glue is minified and its wasm's imports shortened like the app's, then both get
//     content-hashed names like the own-data worker's (`hashLean`); the service worker precaches
//     them (the first view offline).
//  2. Computes the build VERSION from every file's content, writes it into index.html
//     (`<meta name="coop-atlas-version">`), and writes dist/sw.js from the template public/sw.js with
//     that version and the precache list — nothing is listed by hand.
//  3. Adds a tiny inline script that preloads the catalogue and the default dataset's latest year
//     while the wasm downloads, when the link asks for the default view of them (on 3G this saves
//     two round trips before the headline cards; a link to another dataset or year preloads nothing,
//     so no byte is wasted). The dataset and year are read from the build's catalogue and the
//     engine's default, never listed by hand. When index.html carries the pre-rendered first view
//     (scripts/prerender.mjs, run before this script), the same script decides, before first paint,
//     whether the link asks for exactly the default view, the only one the copy may be shown for.
//  3b. Adds the wasm loader (`LOADER_SCRIPT`): progress while the wasm downloads, and an alert with
//     a reload button when it cannot be loaded or the app stops while starting.
//  3c. Starts the page (`startScript`): Trunk's module script, which started Leptos at once, and its
//     preloads are replaced by `window.coopApp()`, which starts the Leptos app (once, whoever calls
//     it). A link the lean first view can show (any but `ld=`, `data=`, `embed`) gets the lean,
//     which calls `coopApp()` once it has written the link's view, or at once when it fails to
//     load or start; any other link calls `coopApp()` at once.
//  4. Adds a Content-Security-Policy meta allowing the app's own files, 'wasm-unsafe-eval', https
//     fetches (the `?data=` link of the own-data feature) and no inline script but those of
//     index.html (the loader, the first-view script, the start script), by sha256. `script-src
//     'self'` covers the lean's inserted script and the Leptos glue's dynamic import.
//  5. Writes the brotli (.br) and gzip (.gz) file next to every compressible file, so a host (or
//     scripts/serve.py) sends phones the smallest bytes without compressing on the fly.
// Usage: node scripts/postbuild.mjs [dist]
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync, renameSync, existsSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { join, relative, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { defaultView, SNAPSHOT_START } from './prerender.mjs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.html', '.json', '.svg', '.webmanifest', '.csv', '.md', '.pack', '.tsv']);
/** The marker on every element this script writes into index.html, so a rerun replaces them. */
const MARK = 'data-postbuild';

/** Every regular file under dir, relative paths with '/' separators, sorted. */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const sha256 = (buf) => createHash('sha256').update(buf).digest();
const hex16 = (buf) => sha256(buf).toString('hex').slice(0, 16);
const isCompressed = (f) => f.endsWith('.br') || f.endsWith('.gz');

/** Renames the ECharts bundle to its content hash; returns its new path (relative), or null. */
export function hashEcharts(dist) {
  const candidates = listFiles(dist).filter((f) => /^vendor\/echarts(\.min|-[0-9a-f]{16})\.js$/.test(f));
  if (candidates.length === 0) return null;
  if (candidates.length > 1) {
    throw new Error(`postbuild: several ECharts bundles in ${dist}/vendor (${candidates.join(', ')}); expected one`);
  }
  const from = candidates[0];
  const to = `vendor/echarts-${hex16(readFileSync(join(dist, from)))}.js`;
  if (from !== to) renameSync(join(dist, from), join(dist, to));
  return to;
}

/** A worker's files (`bin`: its Cargo binary) as Trunk or an earlier run of this script named them;
 *  without `loader` for a build with no loader shim (the lean first view). */
const workerFiles = (bin, loader = true) => ({
  wasm: new RegExp(`^${bin}(-[0-9a-f]{1,16})?_bg\\.wasm$`),
  glue: new RegExp(`^${bin}(-[0-9a-f]{1,16})?\\.js$`),
  ...(loader ? { loader: new RegExp(`^${bin}(_loader|-loader-[0-9a-f]{16})\\.js$`) } : {}),
});

/** Finds a worker's files in dist/ (`kinds`: wasm, glue and maybe loader); null when it has none,
 *  throws when one is missing or found twice. */
function findWorker(dist, bin, patterns) {
  const files = listFiles(dist);
  const found = {};
  for (const [kind, re] of Object.entries(patterns)) {
    const c = files.filter((f) => re.test(f));
    if (c.length > 1) throw new Error(`postbuild: several ${bin} ${kind} files in ${dist} (${c.join(', ')}); expected one`);
    found[kind] = c[0];
  }
  if (Object.values(found).every((f) => !f)) return null;
  for (const kind of Object.keys(patterns)) {
    if (!found[kind]) throw new Error(`postbuild: ${bin} has no ${kind} file in ${dist}`);
  }
  return found;
}

/** The content-hashed names of a worker's wasm and glue. The glue's name covers its wasm too: a
 *  glue is made for one wasm (its imports), so a new wasm never runs under a glue name an earlier
 *  release used. */
function hashedNames(dist, bin, found) {
  const wasmBytes = readFileSync(join(dist, found.wasm));
  return {
    wasm: `${bin}-${hex16(wasmBytes)}_bg.wasm`,
    glue: `${bin}-${hex16(Buffer.concat([readFileSync(join(dist, found.glue)), wasmBytes]))}.js`,
  };
}

/**
 * Renames the own-data worker's wasm, glue and loader to content-hashed names
 * (`coop-atlas-worker-<16 hex>_bg.wasm`, `coop-atlas-worker-<16 hex>.js`,
 * `coop-atlas-worker-loader-<16 hex>.js`) and points the loader at the new names of the other two,
 * so the loader's hash changes with either; the glue's hash covers the wasm as well. Returns the loader's new path, or null when the build
 * has no worker. Idempotent: a second run finds the hashed names and renames nothing.
 */
export function hashWorker(dist, bin = 'coop-atlas-worker') {
  const found = findWorker(dist, bin, workerFiles(bin));
  if (!found) return null;
  const to = hashedNames(dist, bin, found);
  let loader = readFileSync(join(dist, found.loader), 'utf8');
  for (const kind of ['wasm', 'glue']) {
    const from = JSON.stringify(`./${found[kind]}`);
    if (!loader.includes(from)) throw new Error(`postbuild: the worker's loader does not name ${from}: ${loader}`);
    loader = loader.split(from).join(JSON.stringify(`./${to[kind]}`));
    if (found[kind] !== to[kind]) renameSync(join(dist, found[kind]), join(dist, to[kind]));
  }
  to.loader = `${bin}-loader-${hex16(Buffer.from(loader))}.js`;
  if (found.loader !== to.loader) unlinkSync(join(dist, found.loader));
  writeFileSync(join(dist, to.loader), loader);
  return to.loader;
}

/** The lean first view's Cargo binary (index.html: `data-bin="coop-atlas-first"`). */
export const LEAN_BIN = 'coop-atlas-first';

/**
 * Renames the lean first view's glue and wasm (Trunk: `coop-atlas-first.js`,
 * `coop-atlas-first_bg.wasm`, no hash, trunk #405) to content-hashed names, as `hashWorker` does,
 * so the service worker (hashed names are cache-first) never pairs one release's glue with
 * another's wasm. Its glue names no file (the page passes the wasm to `wasm_bindgen`), so nothing
 * is rewritten. Returns `{ glue, wasm, size }` (the wasm's size in bytes, for the loader's
 * progress), or null when the build has no lean. Idempotent: a second run renames nothing.
 */
export function hashLean(dist, bin = LEAN_BIN) {
  const found = findWorker(dist, bin, workerFiles(bin, false));
  if (!found) return null;
  const to = hashedNames(dist, bin, found);
  for (const kind of ['wasm', 'glue']) {
    if (found[kind] !== to[kind]) renameSync(join(dist, found[kind]), join(dist, to[kind]));
  }
  return { ...to, size: statSync(join(dist, to.wasm)).size };
}

/**
 * The inline script run in <head> before first paint, or null. It decides two things from the link:
 *  - preload: the map's shapes (on a link to the Map tab), the catalogue and the default dataset's
 *    latest year start downloading while the wasm does, when the link asks for that data (on 3G this saves two round trips before the headline
 *    cards; a link to another dataset or year preloads nothing, so no byte is wasted). With the
 *    lean first view in the build (`lean`), a link it shows gets no shapes preloaded: the lean
 *    responds first (the copy's paths painted, or hidden when they are the other boundary
 *    version's), then fetches the shapes for the zoom and the 34-province map (src/lean.rs); a
 *    preload would take their bytes before the lean's (stop 17: the bytes until the app responds
 *    on `?l=en&b=34&p=19` were 201 KB with them, over the 200 KB target);
 *  - when index.html carries the pre-rendered first view (scripts/prerender.mjs): whether the link
 *    asks for the default header, filters and cards — no key, or only `d`, `y`, `l` equal to the
 *    default dataset, its latest year and the page's language, each once, besides the tracking
 *    keys the engine ignores (`ignored_tracking_key` in src/engine/url_state.rs) and the keys of
 *    the tab area (`t` tab, `ch` chart, `i` indicator, `c` map classes), which change neither the
 *    header, the filters nor the cards (their notices, when a value is wrong, show in the tab
 *    area too). Only then it adds the class `prerendered` to <html>, which shows the copy
 *    (style/main.css); with a key of the tab area also `prerendered-no-panel`, which hides the
 *    copy's tab area (it holds the default map): a link to the Chart tab shows its cards as soon as the default link does. Any other link (a filter, `l=en`,
 *    `ld=`, `data=`, `embed`) never shows the copy's numbers, not even for a frame.
 * The dataset, year and language are read from the build (catalogue, engine default, index.html).
 */
export function firstViewScript(dist, html, { lean = false } = {}) {
  const view = defaultView(dist);
  if (!view) return null;
  const { dataset: id, year: latest, file, lang } = view;
  // Same URL, mode and credentials as the app's fetch (gloo-net: cors, same-origin), so the
  // browser hands the preloaded response to it. `y` is checked only when the file is per year;
  // a range (`y=2019-2024`, a trend) shows its last year, which is the file the app asks for first.
  const yearCheck = view.perYear ? `||(y&&y.split(/[-\\u2013]/).pop()!=='${latest}')` : '';
  const snapshot = html.includes(SNAPSHOT_START)
    ? `var w={d:'${id}',y:'${latest}',l:'${lang}'},s={},p=1,o=0;q.forEach(function(v,k){` +
      `if(/^utm_|^(fbclid|gclid|zarsrc|_gl|ref)$/.test(k))return;if(/^(t|ch|i|c)$/.test(k))o=1;` +
      `else if(w[k]!==v)p=0;if(s[k])p=0;s[k]=1});` +
      `if(p){var h=document.documentElement.classList;h.add('prerendered');if(o)h.add('prerendered-no-panel')}`
    : '';
  // The map's shapes too when the link opens on the Map tab (any dataset) and the Leptos app starts
  // at once: it draws the map, and lets the pre-rendered copy go, only once they are in; the lean
  // first view fetches them once it has responded (see above).
  return `(function(){try{var q=new URLSearchParams(location.search),d=q.get('d'),y=q.get('y'),t=q.get('t'),f=[];${snapshot}` +
    `if((!t||t==='map')${lean ? "&&(q.has('ld')||q.has('data')||q.has('embed'))" : ''})` +
    `f.push('geo/vn'+(q.get('b')==='34'?'34':'63')+'-svg.tsv');` +
    `if(!(q.has('ld')||q.has('data')||(d&&d!=='${id}')${yearCheck}))f.push('data/catalog.json','${file}');` +
    `f.forEach(function(h){var l=document.createElement('link');` +
    `l.rel='preload';l.as='fetch';l.crossOrigin='anonymous';l.href=h;document.head.appendChild(l)})}catch(e){}})();`;
}

/**
 * The wasm loader (an inline script in <head>, run before the start script, `startScript`, whose
 * `coopApp` and lean first view fetch their wasm through it). On 3G a wasm takes seconds to
 * arrive, and a first visit whose connection drops half-way would otherwise leave "đang tải…" on
 * screen for ever:
 *  - progress: a wasm is fetched by `coopLoad(url, size)` and read through a stream that counts
 *    its (decoded) bytes against `size`, the file's size in dist/; the percentage goes into
 *    `data-progress` on the loading lines (index.html's `#boot`, the copy's status), which CSS
 *    shows after their text (the text itself, read by tests and screen readers, stays as it is).
 *    On a link the lean first view shows, the lean's wasm is counted first, then the app's from 0;
 *  - failure: a refused or broken download (no connection, an HTTP error, a connection cut
 *    mid-file, a file that does not compile), or an app that stops while starting, makes
 *    `coopLoad.failed` add the class `load-failed` to <html> (style/main.css hides the loading
 *    lines) and show an alert in Vietnamese and English with a button that reloads the page.
 * The alert is built with DOM calls and its click handler attached in script: the CSP refuses
 * inline `onclick` attributes.
 */
export const LOADER_SCRIPT = `(function(){var shown=-1;
function lines(){return[].slice.call(document.querySelectorAll('#boot,#prerender>[role=status]'))}
function show(n,size){var p=Math.min(99,Math.floor(100*n/size));if(p===shown)return;shown=p;
lines().forEach(function(el){el.setAttribute('data-progress',p+'%')})}
function coopLoad(url,size){return fetch(url).then(function(r){if(!r.ok)throw new Error('HTTP '+r.status+' for '+url);
if(!r.body)return r;var rd=r.body.getReader(),got=0;
return new Response(new ReadableStream({pull:function(c){return rd.read().then(function(x){
if(x.done){c.close();return}got+=x.value.byteLength;show(got,size);c.enqueue(x.value)})}}),
{status:r.status,statusText:r.statusText,headers:r.headers})})}
coopLoad.failed=function(e){try{console.error('Coop Atlas did not start:',e)}catch(_){}
var h=document.documentElement;if(h.classList.contains('load-failed'))return;h.classList.add('load-failed');
var box=document.createElement('div');box.id='load-error';box.className='load-error';box.setAttribute('role','alert');
var p=document.createElement('p');p.textContent='Không tải được ứng dụng (mạng yếu hoặc mất kết nối). · The app could not be loaded (weak or no connection).';
var b=document.createElement('button');b.type='button';b.className='btn primary';b.textContent='Tải lại · Reload';
b.addEventListener('click',function(){location.reload()});box.appendChild(p);box.appendChild(b);document.body.appendChild(box);b.focus()};
window.coopLoad=coopLoad})();`;

/**
 * Trunk's module script that starts the Leptos app at once (Trunk 0.21.14's default initializer,
 * with `import_bindings`), possibly as an earlier version of this script rewrote its `init` call:
 *   import init, * as bindings from './coop-atlas-web-<hash>.js';
 *   const wasm = await init({ module_or_path: './coop-atlas-web-<hash>_bg.wasm' });
 *   window.wasmBindings = bindings;
 *   dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
 * and the `modulepreload` / `preload` links Trunk writes for the glue and the wasm.
 */
const TRUNK_SCRIPT = /<script type="module">([\s\S]*?)<\/script>/;
const TRUNK_SCRIPT_BODY = new RegExp([
  /^\s*import init, \* as bindings from '\.\/(coop-atlas-web-[0-9a-f]+\.js)';\s*/,
  /const wasm = await init\(\{ module_or_path: (?:coopLoad\()?'\.\/(coop-atlas-web-[0-9a-f]+_bg\.wasm)'(?:, \d+\))? \}\)(?:\.catch\(coopLoad\.failed\))?;\s*/,
  /window\.wasmBindings = bindings;\s*/,
  /dispatchEvent\(new CustomEvent\("TrunkApplicationStarted", \{detail: \{wasm\}\}\)\);\s*$/,
].map((r) => r.source).join(''));
const TRUNK_PRELOADS = /<link rel="(?:modulepreload|preload)" href="\.\/coop-atlas-web-[0-9a-f]+(?:\.js|_bg\.wasm)"[^>]*>/g;

/**
 * index.html without Trunk's start of the Leptos app (`TRUNK_SCRIPT`) and its preloads: the page
 * starts it through `window.coopApp()` (`startScript`), which does what Trunk's script did. Returns
 * `{ html, app: { glue, wasm, size } }` (`size`: the wasm's bytes, for the loader's progress). A rerun (index.html already started by `coopApp`) finds the glue
 * and wasm in dist/. Throws when Trunk's script has another shape than the one this script
 * replaces (the build must not ship a page that starts the app twice, or never).
 */
export function takeTrunkStart(html, dist) {
  const m = TRUNK_SCRIPT.exec(html);
  let app;
  if (m) {
    const body = TRUNK_SCRIPT_BODY.exec(m[1]);
    if (!body) throw new Error(`postbuild: Trunk's module script is not the one postbuild replaces by coopApp(): ${m[0]}`);
    app = { glue: body[1], wasm: body[2] };
    html = html.replace(TRUNK_SCRIPT, '');
  } else if (html.includes('window.coopApp=')) {
    const files = listFiles(dist).filter((f) => !f.includes('/') && !isCompressed(f));
    const one = (re, what) => {
      const c = files.filter((f) => re.test(f));
      if (c.length !== 1) throw new Error(`postbuild: expected one ${what} in ${dist}, found ${c.length} (${c.join(', ')})`);
      return c[0];
    };
    app = { glue: one(/^coop-atlas-web-[0-9a-f]+\.js$/, 'app glue'), wasm: one(/^coop-atlas-web-[0-9a-f]+_bg\.wasm$/, 'app wasm') };
  } else {
    throw new Error('postbuild: index.html has neither Trunk\'s module script nor an earlier run\'s coopApp(): nothing starts the app');
  }
  for (const f of [app.glue, app.wasm]) {
    if (!existsSync(join(dist, f))) throw new Error(`postbuild: index.html starts ${f}, which is not in ${dist}`);
  }
  // Without the blank lines Trunk leaves around its script.
  html = collapseBetweenTags(html.replace(TRUNK_PRELOADS, ''));
  return { html, app: { ...app, size: statSync(join(dist, app.wasm)).size } };
}

/**
 * The inline script that starts the page (after `LOADER_SCRIPT`, which defines `coopLoad`):
 *  - `window.coopApp()` starts the Leptos app as Trunk's module script did: the wasm is fetched
 *    through `coopLoad` (progress; `coopLoad.failed` shows the alert when the glue or the wasm
 *    cannot be loaded or the app stops while starting) while the glue is imported, so the two
 *    download side by side as Trunk's preloads made them; then `window.wasmBindings` and the
 *    `TrunkApplicationStarted` event. A second call does nothing (the lean calls it, and so does
 *    this script when the lean fails: both may happen).
 *  - with the lean first view in the build (`lean`: its hashed glue, wasm and size): a link the lean
 *    can show — any but `ld=` (a kept own dataset), `data=` (a dataset from another site) and
 *    `embed` (any value), which only the Leptos app handles — sets `window.coopLean = true`, starts
 *    the lean's wasm download (through `coopLoad`, for the progress) and inserts its glue as an async
 *    `<script>` (never blocks parsing or the copy's first paint); once the glue is in, its
 *    `wasm_bindgen` is given the wasm. The lean calls `coopApp()` once it has written the link's
 *    view; when the glue cannot be loaded, or the wasm cannot be loaded or started, this script
 *    calls it, and the Leptos app shows the link as it did before the lean existed. Every other
 *    link (and a build without the lean) calls `coopApp()` at once.
 * The wasm's download starts with the glue's, not after it: one round trip (400 ms on 3G) less.
 */
export function startScript(app, lean) {
  const start = "window.coopApp=function(){if(window.coopApp.started)return;window.coopApp.started=1;" +
    `var w=coopLoad('./${app.wasm}',${app.size});w.catch(function(){});` +
    `import('./${app.glue}').then(function(b){return b.default({module_or_path:w}).then(function(wasm){` +
    "window.wasmBindings=b;dispatchEvent(new CustomEvent('TrunkApplicationStarted',{detail:{wasm:wasm}}))})}).catch(coopLoad.failed)};";
  if (!lean) return `(function(){${start}coopApp()})();`;
  return `(function(){${start}try{var q=new URLSearchParams(location.search);` +
    "if(q.has('ld')||q.has('data')||q.has('embed'))return coopApp();window.coopLean=true;" +
    `var w=coopLoad('./${lean.wasm}',${lean.size}),s=document.createElement('script');w.catch(function(){});` +
    "var app=function(e){try{console.warn('Coop Atlas: the first view did not start; the app takes over.',e)}catch(_){}coopApp()};" +
    "s.addEventListener('load',function(){try{wasm_bindgen({module_or_path:w}).catch(app)}catch(e){app(e)}});" +
    `s.addEventListener('error',app);s.fetchPriority='high';s.src='./${lean.glue}';document.head.appendChild(s)}catch(e){coopApp()}})();`;
}

/** The files the service worker stores at install: everything but datasets (fetched when a view
 *  needs them, then kept), the manifest and its icons (used only to add the app to the home screen,
 *  which needs the network anyway: ~9 KB a first visit does not need), notices, the workbook worker
 *  (kept when first fetched: few users open a workbook), the service worker itself
 *  and precompressed copies. The favicon stays (the page asks for it on every load). */
export function precacheList(files) {
  // bench/ is the browser benchmark (scripts/bench-browser.mjs): never part of the app.
  return files.filter((f) => !isCompressed(f) && f !== 'sw.js' && !f.endsWith('.md') && !f.startsWith('bench/') &&
    f !== 'manifest.webmanifest' && (!f.startsWith('icons/') || f === 'icons/icon.svg') &&
    // The workbook worker: fetched (then kept) only by a user who opens a workbook.
    !f.startsWith('coop-atlas-workbook') &&
    (!f.startsWith('data/') || f === 'data/catalog.json'));
}

/** index.html without what an earlier run of this script wrote. */
function stripMarked(html) {
  return html.replace(new RegExp(`\\s*<(meta [^>]*${MARK}[^>]*>|script ${MARK}>[\\s\\S]*?</script>)`, 'g'), '');
}

/** `'sha256-…'` of every inline script (a `<script>` without src) in the HTML. */
export function inlineScriptHashes(html) {
  const out = [];
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
    out.push(`'sha256-${sha256(Buffer.from(m[1], 'utf8')).toString('base64')}'`);
  }
  return out;
}

export function contentSecurityPolicy(scriptHashes) {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data: blob:",
    // https: for `?data=<https URL>` (a dataset on another site, fetched on the user's request).
    "connect-src 'self' https:",
    // 'self': the service worker and the own-data worker (a same-origin script, no blob:).
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

/** The build version: a hash over every shipped file's name and content and the worker template. */
export function buildVersion(dist, files, htmlWithoutMarks, swTemplate) {
  const h = createHash('sha256');
  for (const f of files) {
    if (isCompressed(f) || f === 'sw.js' || f === 'index.html') continue;
    h.update(f + '\0' + sha256(readFileSync(join(dist, f))).toString('hex') + '\n');
  }
  h.update('index.html\0' + sha256(Buffer.from(htmlWithoutMarks)).toString('hex') + '\n');
  h.update('sw.js\0' + sha256(Buffer.from(swTemplate)).toString('hex') + '\n');
  return h.digest('hex').slice(0, 16);
}

/**
 * Minifies the app's JS glue and CSS with esbuild (Trunk 0.21's own JS minifier rejects
 * wasm-bindgen's output) and updates their Subresource Integrity hashes in index.html. The names
 * keep Trunk's content hash: minifying is deterministic, so a new name still means new content.
 * Worth ~4 KB brotli of the first view on 3G.
 */
const MINIFIED = { js: '//coop-atlas:minified\n', css: '/*coop-atlas:minified*/\n' };

export function minifyAssets(dist) {
  const htmlPath = join(dist, 'index.html');
  let html = readFileSync(htmlPath, 'utf8');
  for (const f of listFiles(dist)) {
    if (f.includes('/') || isCompressed(f)) continue;
    // The lean first view's glue is a classic script (wasm-bindgen's no-modules target) whose
    // top-level `wasm_bindgen` the page calls: minified without a module format, so that top-level
    // name is kept.
    const lean = /^coop-atlas-first(-[0-9a-f]{16})?\.js$/.test(f);
    const loader = lean || /^coop-atlas-web-[0-9a-f]+\.js$/.test(f) ? 'js' : /^main-[0-9a-f]+\.css$/.test(f) ? 'css' : null;
    if (!loader) continue;
    const path = join(dist, f);
    const source = readFileSync(path, 'utf8');
    // Idempotent: a file already minified by an earlier run (postbuild runs again on a published
    // dist to make a release) keeps its exact bytes, so one name never means two contents.
    const format = loader === 'js' && !lean ? 'esm' : undefined;
    const code = source.endsWith(MINIFIED[loader]) ? source
      : transformSync(source, { loader, minify: true, format, target: 'es2020', legalComments: 'none' }).code + MINIFIED[loader];
    writeFileSync(path, code);
    const sri = 'sha384-' + createHash('sha384').update(code).digest('base64');
    const esc = f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    html = html.replace(new RegExp(`(<link[^>]*href="\\./${esc}"[^>]*integrity=")sha384-[^"]+(")`, 'g'), `$1${sri}$2`);
  }
  writeFileSync(htmlPath, collapseBetweenTags(html));
}

/** index.html without whitespace between tags (Trunk leaves a blank line per removed link), never
 *  inside a script: the CSP hashes of inline scripts are taken from their exact text. */
function collapseBetweenTags(html) {
  return html.split(/(<script[\s\S]*?<\/script>)/).map((part, i) => (i % 2 ? part : part.replace(/>\s+</g, '><'))).join('');
}

// ---- short import names ------------------------------------------------------------------------

/** Reads an unsigned LEB128 at `i`: [value, next index]. */
function uleb(buf, i) {
  let v = 0, shift = 0, b;
  do {
    if (i >= buf.length) throw new Error('postbuild: wasm ends inside a number');
    b = buf[i++];
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [v, i];
}

function ulebBytes(v) {
  const out = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return Buffer.from(out);
}

const nameBytes = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([ulebBytes(b.length), b]); };

/** Index just after a value type or reference type at `i` (typed references carry a heap type). */
function skipValType(buf, i) {
  const t = buf[i++];
  if (t === 0x63 || t === 0x64) { while (buf[i++] & 0x80); }
  return i;
}

/** Index just after the limits of a table or memory at `i`. */
function skipLimits(buf, i) {
  const flags = buf[i++];
  [, i] = uleb(buf, i);
  if (flags & 1) [, i] = uleb(buf, i);
  return i;
}

/** The name of the n-th short import: `a` … `z`, `A` … `Z`, then two letters and so on. */
export function shortName(n) {
  const abc = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do { s = abc[n % abc.length] + s; n = Math.floor(n / abc.length) - 1; } while (n >= 0);
  return s;
}

/**
 * Gives every import of the app's wasm from its JS glue a short name, in the wasm's import section
 * and in the glue's import object alike. wasm-bindgen names each import after the JS function plus a
 * 16-hex-digit hash (`__wbg_getElementById_f827f0d6648718a8`): 232 of them, twice (wasm and JS), and
 * hashes do not compress: ≈ 4 KB brotli of the first view. The n-th import gets the n-th short name,
 * so a second run renames nothing (idempotent). Returns the new [wasm, js] contents, or throws naming
 * the import the glue does not define (the page would fail to instantiate the wasm).
 */
export function shortenImports(wasm, js) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('postbuild: not a wasm module');
  let i = 8;
  while (i < wasm.length) {
    const id = wasm[i];
    const [size, body] = uleb(wasm, i + 1);
    const end = body + size;
    if (id !== 2) { i = end; continue; }
    let [count, j] = uleb(wasm, body);
    const parts = [ulebBytes(count)];
    const renames = [];
    let renamed = 0;
    for (let n = 0; n < count; n++) {
      let len;
      [len, j] = uleb(wasm, j);
      const module = wasm.toString('utf8', j, j + len);
      j += len;
      [len, j] = uleb(wasm, j);
      const field = wasm.toString('utf8', j, j + len);
      j += len;
      const descStart = j;
      const kind = wasm[j++];
      if (kind === 0x00) [, j] = uleb(wasm, j); // function: type index
      else if (kind === 0x01) j = skipLimits(wasm, skipValType(wasm, j)); // table
      else if (kind === 0x02) j = skipLimits(wasm, j); // memory
      else if (kind === 0x03) j = skipValType(wasm, j) + 1; // global: type, mutability
      else if (kind === 0x04) [, j] = uleb(wasm, j + 1); // tag: attribute, type index
      else throw new Error(`postbuild: wasm import ${module}.${field} has an unknown kind ${kind}`);
      const glue = js.includes(`${JSON.stringify(module)}:`);
      const to = glue ? shortName(renamed++) : field;
      // A name already short (an earlier run) stays: only the hashed names are looked up in the JS.
      if (to !== field) renames.push([field, to]);
      parts.push(nameBytes(module), nameBytes(to), wasm.subarray(descStart, j));
    }
    if (j !== end) throw new Error('postbuild: wasm import section has trailing bytes');
    // The glue's import object is one literal: each name is a key (`,name:function` after
    // minification); exports are read as `wasm.name`, never as keys, so they are not touched.
    const keys = new Map(renames);
    let found = 0;
    const out = js.replace(/([{,])([A-Za-z_$][\w$]*):/g, (m, sep, key) => {
      if (!keys.has(key)) return m;
      found++;
      return sep + keys.get(key) + ':';
    });
    if (found !== renames.length) {
      const missing = renames.filter(([f]) => !new RegExp(`[{,]${f.replace(/\$/g, '\\$')}:`).test(js)).map(([f]) => f);
      throw new Error(`postbuild: the JS glue defines ${found} of the wasm's ${renames.length} imports (missing: ${missing.slice(0, 5).join(', ')})`);
    }
    const section = Buffer.concat(parts);
    return [Buffer.concat([wasm.subarray(0, i), Buffer.from([2]), ulebBytes(section.length), section, wasm.subarray(end)]), out];
  }
  return [wasm, js];
}

/** Applies `shortenImports` to the app's wasm and glue in dist/, and to the lean first view's
 *  (whose glue and wasm `hashLean` names apart: the one glue of its name), and updates their SRI
 *  hashes. */
export function shortenAppImports(dist) {
  const htmlPath = join(dist, 'index.html');
  let html = readFileSync(htmlPath, 'utf8');
  const files = listFiles(dist);
  for (const f of files) {
    const m = /^(coop-atlas-web-[0-9a-f]+|(coop-atlas-first)(?:-[0-9a-f]{16})?)_bg\.wasm$/.exec(f);
    if (!m) continue;
    const jsFile = m[2] ? findWorker(dist, m[2], workerFiles(m[2], false)).glue : `${m[1]}.js`;
    const [wasm, js] = shortenImports(readFileSync(join(dist, f)), readFileSync(join(dist, jsFile), 'utf8'));
    writeFileSync(join(dist, f), wasm);
    writeFileSync(join(dist, jsFile), js);
    html = withSri(html, f, wasm);
    html = withSri(html, jsFile, js);
  }
  writeFileSync(htmlPath, html);
}

/** `html` with the Subresource Integrity hash of every link to `file` set for `content`. */
function withSri(html, file, content) {
  const sri = 'sha384-' + createHash('sha384').update(content).digest('base64');
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return html.replace(new RegExp(`(<link[^>]*href="\\./${esc}"[^>]*integrity=")sha384-[^"]+(")`, 'g'), `$1${sri}$2`);
}

function finish(dist) {
  for (const f of listFiles(dist)) if (isCompressed(f)) unlinkSync(join(dist, f));
  minifyAssets(dist);
  shortenAppImports(dist);

  const echarts = hashEcharts(dist);
  const worker = hashWorker(dist);
  const workbook = hashWorker(dist, 'coop-atlas-workbook');
  const lean = hashLean(dist);
  const swTemplate = readFileSync(join(ROOT, 'public/sw.js'), 'utf8');
  const htmlPath = join(dist, 'index.html');
  const taken = takeTrunkStart(readFileSync(htmlPath, 'utf8'), dist);
  const html = stripMarked(taken.html);
  const app = taken.app;
  if (!/<meta charset="utf-8">/i.test(html)) throw new Error('postbuild: index.html has no <meta charset="utf-8">');

  const files = listFiles(dist);
  const preload = firstViewScript(dist, html, { lean: !!lean });
  // In this order: the loader defines `coopLoad`, which the start script's `coopApp` and lean use.
  const headScripts = `<script ${MARK}>${LOADER_SCRIPT}</script>` + (preload ? `<script ${MARK}>${preload}</script>` : '') +
    `<script ${MARK}>${startScript(app, lean)}</script>`;
  const csp = contentSecurityPolicy(inlineScriptHashes(html + headScripts));
  const precache = precacheList(files);
  if (!precache.includes('index.html')) precache.unshift('index.html');
  // Everything written below, but the version itself, is part of the version.
  const version = buildVersion(dist, files, [html, csp, headScripts, JSON.stringify(precache)].join('\n'), swTemplate);
  const metas = [
    // First in <head> after the charset: a CSP meta only governs what follows it.
    `<meta http-equiv="Content-Security-Policy" content="${csp}" ${MARK}>`,
    `<meta name="coop-atlas-version" content="${version}" ${MARK}>`,
    echarts && `<meta name="coop-atlas-echarts" content="${echarts}" ${MARK}>`,
    worker && `<meta name="coop-atlas-worker" content="${worker}" ${MARK}>`,
    workbook && `<meta name="coop-atlas-workbook" content="${workbook}" ${MARK}>`,
    headScripts,
  ].filter(Boolean).map((m) => '\n  ' + m).join('');
  writeFileSync(htmlPath, html.replace(/<meta charset="utf-8">/i, (m) => m + metas));

  const sw = swTemplate
    .replace("'__COOP_ATLAS_VERSION__'", JSON.stringify(version))
    .replace('__COOP_ATLAS_PRECACHE__', JSON.stringify(precache));
  if (sw.includes('__COOP_ATLAS_')) throw new Error('postbuild: public/sw.js placeholders not all filled');
  writeFileSync(join(dist, 'sw.js'), sw);

  for (const f of listFiles(dist)) {
    if (!COMPRESSIBLE.has(extname(f))) continue;
    const buf = readFileSync(join(dist, f));
    writeFileSync(join(dist, f + '.br'), brotliCompressSync(buf, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }));
    writeFileSync(join(dist, f + '.gz'), gzipSync(buf, { level: 9 }));
  }
  return { version, echarts, precache };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] || 'dist';
  if (!existsSync(dist) || !statSync(dist).isDirectory()) throw new Error(`${dist} is not a directory`);
  const { version, echarts, precache } = finish(dist);
  console.log(`postbuild: ${dist} version ${version}, ${echarts ?? 'no ECharts bundle'}, ` +
    `${precache.length} files precached by sw.js, precompressed`);
}
