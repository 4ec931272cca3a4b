// After `trunk build --release`: finishes dist/ for a static host. Idempotent: running it again on
// the same dist/ (or on a dist/ whose files were edited, as the update test does) yields the same
// result as running it once on a fresh build.
//  1. Gives the ECharts bundle a content hash in its name (`vendor/echarts-<16 hex>.js`) so it can be
//     cached for a year and served cache-first by the service worker; the page learns the name from
//     `<meta name="coop-atlas-echarts">` (read by src/ui/offline.rs), since the wasm is built before.
//  2. Computes the build VERSION from every file's content, writes it into index.html
//     (`<meta name="coop-atlas-version">`), and writes dist/sw.js from the template public/sw.js with
//     that version and the precache list — nothing is listed by hand.
//  3. Adds a tiny inline script that preloads the catalogue and the default dataset's latest year
//     while the wasm downloads, when the link asks for the default view of them (on 3G this saves
//     two round trips before the headline cards; a link to another dataset or year preloads nothing,
//     so no byte is wasted). The dataset and year are read from the build's catalogue and the
//     engine's default, never listed by hand.
//  4. Adds a Content-Security-Policy meta allowing the app's own files, 'wasm-unsafe-eval', https
//     fetches (the `?data=` link of the own-data feature) and no inline script but Trunk's init
//     script, by its sha256.
//  5. Writes the brotli (.br) and gzip (.gz) file next to every compressible file, so a host (or
//     scripts/serve.py) sends phones the smallest bytes without compressing on the fly.
// Usage: node scripts/postbuild.mjs [dist]
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync, renameSync, existsSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { join, relative, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.html', '.json', '.svg', '.webmanifest', '.csv', '.md']);
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

/** The default dataset id: the engine's `DEFAULT_DATASET` (src/engine/url_state.rs), else the
 *  catalogue's first dataset. */
function defaultDatasetId(catalog) {
  try {
    const src = readFileSync(join(ROOT, 'src/engine/url_state.rs'), 'utf8');
    const m = /pub const DEFAULT_DATASET: &str = "([a-z0-9-]+)";/.exec(src);
    if (m && catalog.datasets.some((d) => d.id === m[1])) return m[1];
  } catch (_) { /* fall through */ }
  return catalog.datasets[0]?.id;
}

/** The inline script preloading what the first view of the default dataset needs, or null. */
export function firstViewPreload(dist) {
  const path = join(dist, 'data/catalog.json');
  if (!existsSync(path)) return null;
  const catalog = JSON.parse(readFileSync(path, 'utf8'));
  const id = defaultDatasetId(catalog);
  const entry = catalog.datasets.find((d) => d.id === id);
  if (!entry) return null;
  const latest = Math.max(...entry.years);
  const file = entry.files.all ?? entry.files[String(latest)];
  if (!file) return null;
  // Same URL, mode and credentials as the app's fetch (gloo-net: cors, same-origin), so the
  // browser hands the preloaded response to it. `y` is checked only when the file is per year.
  const yearCheck = entry.files.all ? '' : `||(y&&y!=='${latest}')`;
  return `(function(){try{var q=new URLSearchParams(location.search),d=q.get('d'),y=q.get('y');` +
    `if(q.has('ld')||q.has('data')||(d&&d!=='${id}')${yearCheck})return;` +
    `['data/catalog.json','${file}'].forEach(function(h){var l=document.createElement('link');` +
    `l.rel='preload';l.as='fetch';l.crossOrigin='anonymous';l.href=h;document.head.appendChild(l)})}catch(e){}})();`;
}

/** The files the service worker stores at install: everything but datasets (fetched when a view
 *  needs them, then kept), the manifest and its icons (used only to add the app to the home screen,
 *  which needs the network anyway: ~9 KB a first visit does not need), notices, the worker itself
 *  and precompressed copies. The favicon stays (the page asks for it on every load). */
export function precacheList(files) {
  // bench/ is the browser benchmark (scripts/bench-browser.mjs): never part of the app.
  return files.filter((f) => !isCompressed(f) && f !== 'sw.js' && !f.endsWith('.md') && !f.startsWith('bench/') &&
    f !== 'manifest.webmanifest' && (!f.startsWith('icons/') || f === 'icons/icon.svg') &&
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
    const loader = /^coop-atlas-web-[0-9a-f]+\.js$/.test(f) ? 'js' : /^main-[0-9a-f]+\.css$/.test(f) ? 'css' : null;
    if (!loader) continue;
    const path = join(dist, f);
    const source = readFileSync(path, 'utf8');
    // Idempotent: a file already minified by an earlier run (postbuild runs again on a published
    // dist to make a release) keeps its exact bytes, so one name never means two contents.
    const code = source.endsWith(MINIFIED[loader]) ? source
      : transformSync(source, { loader, minify: true, format: loader === 'js' ? 'esm' : undefined, target: 'es2020', legalComments: 'none' }).code + MINIFIED[loader];
    writeFileSync(path, code);
    const sri = 'sha384-' + createHash('sha384').update(code).digest('base64');
    const esc = f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    html = html.replace(new RegExp(`(<link[^>]*href="\\./${esc}"[^>]*integrity=")sha384-[^"]+(")`, 'g'), `$1${sri}$2`);
  }
  // Whitespace between tags (Trunk leaves a blank line per removed link), never inside a script:
  // the CSP hashes of inline scripts are taken from their exact text.
  html = html.split(/(<script[\s\S]*?<\/script>)/).map((part, i) => (i % 2 ? part : part.replace(/>\s+</g, '><'))).join('');
  writeFileSync(htmlPath, html);
}

function finish(dist) {
  for (const f of listFiles(dist)) if (isCompressed(f)) unlinkSync(join(dist, f));
  minifyAssets(dist);

  const echarts = hashEcharts(dist);
  const swTemplate = readFileSync(join(ROOT, 'public/sw.js'), 'utf8');
  const htmlPath = join(dist, 'index.html');
  const html = stripMarked(readFileSync(htmlPath, 'utf8'));
  if (!/<meta charset="utf-8">/i.test(html)) throw new Error('postbuild: index.html has no <meta charset="utf-8">');

  const files = listFiles(dist);
  const preload = firstViewPreload(dist);
  const preloadTag = preload ? `<script ${MARK}>${preload}</script>` : null;
  const csp = contentSecurityPolicy(inlineScriptHashes(html + (preloadTag ?? '')));
  const precache = precacheList(files);
  if (!precache.includes('index.html')) precache.unshift('index.html');
  // Everything written below, but the version itself, is part of the version.
  const version = buildVersion(dist, files, [html, csp, preloadTag ?? '', JSON.stringify(precache)].join('\n'), swTemplate);
  const metas = [
    // First in <head> after the charset: a CSP meta only governs what follows it.
    `<meta http-equiv="Content-Security-Policy" content="${csp}" ${MARK}>`,
    `<meta name="coop-atlas-version" content="${version}" ${MARK}>`,
    echarts && `<meta name="coop-atlas-echarts" content="${echarts}" ${MARK}>`,
    preloadTag,
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
