// After `trunk build --release`, before scripts/postbuild.mjs (issue 6, "headline cards in ≤ 5 s on
// 3G"): opens the built app in headless Chromium on the default link, waits until the headline cards
// show numbers, and copies the first view the app rendered — header, filters, headline cards — into
// dist/index.html, so a phone shows the cards with their numbers, sources and the illustrative-data
// label as soon as the HTML and the CSS arrive, while the ~350 KB of wasm are still on their way.
//
// The copy includes the default tab's panel, the map: its toolbar, title, legend, source and notes as
// the app renders them, and, where the app's ECharts draws, a picture of that map (the map needs the
// wasm, ECharts and the shapes: ≈ 13 s on 3G). Once the live map is drawn, its option and the
// registered shapes are re-rendered with ECharts' SVG renderer (same version, in a blank page), the
// SVG is shrunk (shrinkSvg) and written as `prerender-map-<hash>.svg`, precached by the worker like
// every file; an <img> of the chart's size shows it, loaded only when the copy is shown. The app
// moves the picture over its own chart when it takes over, until ECharts draws (src/ui/web.rs).
//
// The copy is the app's own DOM, serialised, with only what a copy needs changed:
//  - form controls keep what they show: a value, a checked box or a selected option set as a
//    property by the app is written as an attribute;
//  - ids, test ids and form control names get the prefix `pre-` (and the attributes naming them
//    follow), so the live app never finds two elements with one id, nor joins the copy's radio
//    group, while both exist; comments are dropped;
//  - it is wrapped in `<div id="prerender" hidden>` holding an `inert` copy (it does not react yet)
//    and the app's own "Đang tải…" status (role=status), captured while the app was loading.
// It is shown only when postbuild's inline script (step 3, before first paint) finds the link asks
// for the default view (or another tab, chart, indicator or classes of it: then without its tab
// area), by adding the class `prerendered` to <html> (style/main.css shows the copy
// and hides the live app under it); the app removes the copy once its own cards have numbers or it
// has an error to show (src/ui/app.rs, `web::retire_prerender`).
//
// Deterministic for a given build: the previous years are held back while the copy is taken (the
// cards then show what the live app shows when it takes over: no change from the previous year yet),
// ECharts and the shapes until the cards have numbers (as on a slow link), no service worker runs,
// and the same first view is rendered a second time from a link naming the default dataset, year and
// language explicitly: both must give the same markup and the same picture, or the build stops (it
// then names the first difference).
//
// Idempotent: an earlier copy in index.html is removed before the app is opened, then replaced.
// Usage: node scripts/prerender.mjs [dist]
import { readFileSync, writeFileSync, existsSync, statSync, rmSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the copy starts and ends in index.html (comments, so a rerun finds and replaces it). */
export const SNAPSHOT_START = '<!--prerender-->';
export const SNAPSHOT_END = '<!--/prerender-->';

/** index.html without a copy written by an earlier run. */
export function stripSnapshot(html) {
  return html.replace(/<!--prerender-->[\s\S]*?<!--\/prerender-->/g, '');
}

/** The default dataset id: the engine's `DEFAULT_DATASET` (src/engine/url_state.rs), else the
 *  catalogue's first dataset. */
export function defaultDatasetId(catalog) {
  try {
    const src = readFileSync(join(ROOT, 'src/engine/url_state.rs'), 'utf8');
    const m = /pub const DEFAULT_DATASET: &str = "([a-z0-9-]+)";/.exec(src);
    if (m && catalog.datasets.some((d) => d.id === m[1])) return m[1];
  } catch (_) { /* fall through */ }
  return catalog.datasets[0]?.id;
}

/**
 * What the default link shows, from the build's catalogue and index.html: the dataset, its latest
 * year and that year's file, and the page's language. `null` when dist/ has no catalogue or the
 * default dataset is missing from it.
 */
export function defaultView(dist) {
  const path = join(dist, 'data/catalog.json');
  if (!existsSync(path)) return null;
  const catalog = JSON.parse(readFileSync(path, 'utf8'));
  const id = defaultDatasetId(catalog);
  const entry = catalog.datasets.find((d) => d.id === id);
  if (!entry || !Array.isArray(entry.years) || entry.years.length === 0) return null;
  const year = Math.max(...entry.years);
  const json = entry.files.all ?? entry.files[String(year)];
  if (!json) return null;
  // The page fetches the packed form the build writes next to each JSON (src/catalog.rs packed_path).
  const file = json.replace(/\.json$/, '') + '.pack';
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const lang = /<html[^>]*\blang="([a-z]{2})"/i.exec(html)?.[1] ?? null;
  if (!lang) throw new Error(`prerender: ${dist}/index.html has no <html lang="…">; expected the default view's language`);
  return { dataset: id, year, file, perYear: !entry.files.all, lang };
}

/**
 * Runs in the page once the cards have numbers: the first view's markup, serialised. `pre` is the
 * prefix for ids and test ids. Returns { markup, problems } — problems are what the copy cannot
 * carry (e.g. a `style` attribute, which the page's CSP would refuse).
 */
function captureFirstView([pre, src, MAP_PICTURE_SCRIPT]) {
  const problems = [];
  const header = document.querySelector('body > header.app-header');
  const main = document.querySelector('body > main#main');
  if (!header) problems.push('no <header class="app-header"> under <body>');
  if (!main) problems.push('no <main id="main"> under <body>');
  if (problems.length) return { markup: '', problems };
  const content = main.querySelector('.content');
  if (!content || !content.querySelector('[data-testid="kpis"]')) problems.push('no headline cards ([data-testid="kpis"]) in main .content');
  if (problems.length) return { markup: '', problems };

  const copy = [header.cloneNode(true), main.cloneNode(true)];
  // Form state set as properties (Leptos `prop:value`) is not in the markup: write it there.
  const sync = (from, to) => {
    const a = [...from.querySelectorAll('input, select, option')];
    const b = [...to.querySelectorAll('input, select, option')];
    a.forEach((el, i) => {
      const c = b[i];
      if (el.tagName === 'INPUT') {
        if (el.type === 'checkbox' || el.type === 'radio') c.toggleAttribute('checked', el.checked);
        else if (el.type !== 'file') c.setAttribute('value', el.value);
      } else if (el.tagName === 'OPTION') {
        c.toggleAttribute('selected', el.selected);
      }
    });
  };
  sync(header, copy[0]);
  sync(main, copy[1]);
  // The first view is the filters, the cards and the default tab's panel (the map, as a picture):
  // the own-data panel and the app's ready marker come with the live app.
  const keep = copy[1].querySelector('.content');
  for (const child of [...keep.children]) {
    const isChips = child.matches('[data-testid="chips"], .chips, .chip-row');
    const isCards = child.matches('[data-testid="kpis"]');
    const isTabs = child.matches('.tabs');
    if (!isChips && !isCards && !isTabs) child.remove();
  }
  // The live map is a <div> ECharts draws into (canvas, inline styles): the copy shows an <img> of
  // the same size instead, whose file the build writes (MAP_PICTURE_SRC is replaced by its name).
  const liveChart = main.querySelector('.content .tabs [data-testid="map-chart"]');
  const chart = copy[1].querySelector('.content .tabs [data-testid="map-chart"]');
  if (!liveChart || !chart) problems.push('no map ([data-testid="map-chart"]) in the default tab\'s panel');
  else {
    const img = document.createElement('img');
    img.id = 'map-picture';
    img.className = `${chart.className} chart-picture`;
    img.setAttribute('data-testid', 'map-picture');
    // No `src` in the markup: the script right after the <img> sets it when the link shows the
    // copy (postbuild's inline script decided, in <head>), so a link to another view never
    // downloads the picture. A parser-inserted script runs once the stylesheet is in: the picture
    // never competes with the CSS for the first paint (it does with the wasm: a few KB).
    img.setAttribute('data-src', src);
    img.setAttribute('width', String(liveChart.clientWidth));
    img.setAttribute('height', String(liveChart.clientHeight));
    img.setAttribute('alt', liveChart.getAttribute('aria-label') || '');
    if (!img.getAttribute('alt')) problems.push('the map has no aria-label (the picture\'s alt text)');
    img.setAttribute('decoding', 'async');
    img.setAttribute('fetchpriority', 'high');
    const script = document.createElement('script');
    script.textContent = MAP_PICTURE_SCRIPT;
    chart.replaceWith(img, script);
  }
  // Legend swatches are coloured by an inline style (the CSP refuses one in markup): an SVG square
  // filled by an attribute shows the same colour.
  for (const sw of copy[1].querySelectorAll('.legend .swatch[style]')) {
    const color = sw.style.backgroundColor;
    sw.removeAttribute('style');
    if (!color) { problems.push('a legend swatch has no colour'); continue; }
    sw.innerHTML = `<svg viewBox="0 0 1 1" aria-hidden="true" focusable="false"><rect width="1" height="1" fill="${color}"></rect></svg>`;
  }
  const refAttrs = ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'list'];
  for (const root of copy) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
    const comments = [];
    while (walker.nextNode()) comments.push(walker.currentNode);
    comments.forEach((c) => c.remove());
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (el.hasAttribute('style')) problems.push(`<${el.tagName.toLowerCase()}> has a style attribute (the CSP refuses inline styles)`);
      if (el.id) el.id = pre + el.id;
      const testid = el.getAttribute('data-testid');
      if (testid) el.setAttribute('data-testid', pre + testid);
      // A radio group spans the document: the live app's checked radio would uncheck the copy's.
      const name = el.getAttribute('name');
      if (name && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) el.setAttribute('name', pre + name);
      for (const a of refAttrs) {
        const v = el.getAttribute(a);
        if (v) el.setAttribute(a, v.split(/\s+/).map((x) => pre + x).join(' '));
      }
      const href = el.getAttribute('href');
      if (href && href.startsWith('#') && href.length > 1) el.setAttribute('href', '#' + pre + href.slice(1));
    }
  }
  return { markup: copy.map((n) => n.outerHTML).join(''), problems };
}

/** Where the picture's file name goes in the copy's markup until the file is written. */
const MAP_PICTURE_SRC = 'prerender-map.svg';
/** Right after the picture's <img> in the copy: loads it only when the copy is shown (CSP: postbuild
 *  allows every inline script of index.html by its hash). */
export const MAP_PICTURE_SCRIPT = "(function(i,h){if(h.contains('prerendered')&&!h.contains('prerendered-no-panel'))" +
  "i.src=i.getAttribute('data-src')})(document.currentScript.previousElementSibling,document.documentElement.classList)";
/** The picture's file in dist/: content-hashed (cached for a year, precached by the worker). */
const MAP_PICTURE_FILE = /^prerender-map-[0-9a-f]{16}\.svg(\.br|\.gz)?$/;

/** How far (px) a simplified outline may stray from ECharts' one: under half the white border
 *  ECharts strokes between provinces (0.6 px), so no gap or bump shows. */
const MAP_TOLERANCE_PX = 0.2;

/** Douglas–Peucker on `pts` (integer tenths of a px), keeping both ends; `tol` in the same unit. */
function simplifyLine(pts, tol) {
  if (pts.length < 3) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = 1;
  keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = pts[a];
    const [bx, by] = pts[b];
    const dx = bx - ax, dy = by - ay;
    const len = Math.hypot(dx, dy);
    let far = -1, farD = tol;
    for (let i = a + 1; i < b; i++) {
      const [x, y] = pts[i];
      const d = len === 0 ? Math.hypot(x - ax, y - ay) : Math.abs(dy * (x - ax) - dx * (y - ay)) / len;
      if (d > farD) { far = i; farD = d; }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([a, far], [far, b]);
    }
  }
  return pts.filter((_, i) => keep[i]);
}

/** A closed ring simplified: split at the point farthest from its first, each half simplified. */
function simplifyRing(pts, tol) {
  if (pts.length < 4) return pts;
  let far = 0, farD = -1;
  for (let i = 1; i < pts.length; i++) {
    const d = Math.hypot(pts[i][0] - pts[0][0], pts[i][1] - pts[0][1]);
    if (d > farD) { far = i; farD = d; }
  }
  const a = simplifyLine(pts.slice(0, far + 1), tol);
  const b = simplifyLine([...pts.slice(far), pts[0]], tol);
  return [...a, ...b.slice(1, -1)];
}

/**
 * Shrinks ECharts' SVG without changing what it shows at its size: path outlines simplified within
 * MAP_TOLERANCE_PX, their coordinates rounded to 0.1 px and written relative (short numbers that
 * compress well); other numbers rounded to 2 decimals; what an <img> never uses dropped (ECharts'
 * interaction metadata and hover style, the transparent background rectangle, the xlink
 * namespace). A path with a command other than M, L, Z (none in a map) keeps its outline, only its
 * numbers rounded.
 */
export function shrinkSvg(svg) {
  const num = (v, d) => {
    const r = Number(v.toFixed(d));
    return (Object.is(r, -0) ? 0 : r).toString().replace(/^(-?)0\./, '$1.');
  };
  const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?/g;
  const path = (d) => {
    const tokens = d.match(/[MLZmlz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?/g) || [];
    const rounded = () => d.replace(NUMBER, (n) => num(Number(n), 1));
    if (tokens.join('').length !== d.replace(/[\s,]/g, '').length) return rounded();
    // Subpaths of absolute points in tenths of a px, and whether each is closed.
    const subs = [];
    let cur = null;
    let x = 0, y = 0;
    for (let i = 0; i < tokens.length;) {
      const t = tokens[i];
      if (t === 'Z' || t === 'z') {
        if (cur) { cur.closed = true; [x, y] = cur.pts[0].map((v) => v / 10); }
        cur = null;
        i++;
        continue;
      }
      const nx = Number(tokens[i + 1]), ny = Number(tokens[i + 2]);
      if (!/[MLml]/.test(t) || !Number.isFinite(nx) || !Number.isFinite(ny)) return rounded();
      const rel = t === 'm' || t === 'l';
      x = rel ? x + nx : nx;
      y = rel ? y + ny : ny;
      i += 3;
      const q = [Math.round(x * 10), Math.round(y * 10)];
      if (t === 'M' || t === 'm' || !cur) {
        cur = { pts: [q], closed: false };
        subs.push(cur);
      } else {
        const last = cur.pts[cur.pts.length - 1];
        if (last[0] !== q[0] || last[1] !== q[1]) cur.pts.push(q);
      }
    }
    let out = '';
    let px = 0, py = 0;
    for (const sub of subs) {
      let pts = sub.closed ? simplifyRing(sub.pts, MAP_TOLERANCE_PX * 10) : simplifyLine(sub.pts, MAP_TOLERANCE_PX * 10);
      if (sub.closed && pts.length > 1 && pts[pts.length - 1][0] === pts[0][0] && pts[pts.length - 1][1] === pts[0][1]) pts = pts.slice(0, -1);
      pts.forEach(([qx, qy], i) => {
        const dx = qx - px, dy = qy - py;
        const pair = `${num(dx / 10, 1)}${dy < 0 ? '' : ' '}${num(dy / 10, 1)}`;
        out += (i === 0 ? 'm' : i === 1 ? 'l' : dx < 0 ? '' : ' ') + pair;
        px = qx; py = qy;
      });
      if (sub.closed) { out += 'z'; [px, py] = pts[0]; }
    }
    return out;
  };
  return svg
    .replace(/ d="([^"]*)"/g, (_, d) => ` d="${path(d)}"`)
    .replace(/ (x|y|width|height|transform|stroke-width|font-size|x1|x2|y1|y2|r|cx|cy)="([^"]*)"/g,
      (_, k, v) => ` ${k}="${v.replace(/-?\d+\.\d{3,}/g, (n) => num(Number(n), 2))}"`)
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/<style[^>]*><!\[CDATA\[[^\]]*:hover[^\]]*\]\]><\/style>/g, '')
    .replace(/<rect width="[\d.]+" height="[\d.]+" x="0" y="0" fill="none"><\/rect>/, '')
    .replace(/ xmlns:xlink="[^"]*"(?![\s\S]*xlink:)/, '')
    .replace(/ version="1\.1" baseProfile="full"/, '')
    .replace(/\n\s*/g, '');
}

/** The first difference between two strings, with some context, for the error message. */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at character ${i}: …${a.slice(Math.max(0, i - 60), i + 60)}… vs …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/**
 * Opens `url` and returns { markup, status, map }: the first view once the cards have numbers and
 * the map is drawn (its picture's file name still MAP_PICTURE_SRC), the app's loading status text,
 * read while the default year's file is held back, and what the map was drawn from (mapState).
 */
async function renderFirstView(browser, url, view) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The default year's file waits until the loading status was read; ECharts and the shapes wait
    // until the cards have numbers (as on a slow link); what the first view does not need (other
    // years) never arrives while the copy is taken.
    let release;
    const released = new Promise((r) => { release = r; });
    let releaseMap;
    const mapReleased = new Promise((r) => { releaseMap = r; });
    await context.route('**/*', async (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^\/+/, '');
      if (path === view.file) {
        await released;
        return route.continue();
      }
      if (path.startsWith('data/') && path !== 'data/catalog.json') return; // held: never answered
      if (path.startsWith('vendor/') || path.startsWith('geo/')) {
        await mapReleased;
        return route.continue();
      }
      return route.continue();
    });
    await page.goto(url);
    const statusSel = 'main [role="status"]';
    await page.waitForSelector(statusSel, { timeout: 60000 });
    const status = (await page.textContent(statusSel)).trim();
    release();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid^="kpi-"][data-value]')]
      .some((el) => el.getAttribute('data-value') !== '' && Number.isFinite(Number(el.getAttribute('data-value')))),
    null, { timeout: 60000, polling: 'raf' });
    // Then the map: ECharts and the shapes, until the map series is drawn with its data.
    releaseMap();
    await page.waitForFunction(() => {
      const el = document.querySelector('main .tabs [data-testid="map-chart"]');
      const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
      const opt = inst && inst.getOption();
      return !!(opt && (opt.series || []).some((s) => s.type === 'map' && (s.data || []).length > 0));
    }, null, { timeout: 60000, polling: 'raf' });
    // One more frame: every reactive update caused by the data has been applied.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const { markup, problems } = await page.evaluate(captureFirstView, ['pre-', MAP_PICTURE_SRC, MAP_PICTURE_SCRIPT]);
    const map = await page.evaluate(mapState);
    if (!map) problems.push('the map drawn has no ECharts option or registered shapes');
    if (errors.length) problems.push(`page errors: ${errors.join(' | ')}`);
    if (problems.length) throw new Error(`prerender: ${url}: ${problems.join('; ')}`);
    if (!status) throw new Error(`prerender: ${url}: the loading status (${statusSel}) has no text`);
    return { markup, status, map };
  } finally {
    await context.close();
  }
}

/** Runs in the page once the map is drawn: what ECharts draws it from — the option as the chart
 *  holds it, the shapes registered under the series' map name — and the chart's size in CSS px. */
function mapState() {
  const el = document.querySelector('main .tabs [data-testid="map-chart"]');
  const inst = el && globalThis.echarts && globalThis.echarts.getInstanceByDom(el);
  if (!inst) return null;
  const option = inst.getOption();
  const name = (option.series || []).find((s) => s.type === 'map')?.map;
  const registered = name && globalThis.echarts.getMap(name);
  const geoJSON = registered && (registered.geoJSON || registered.geoJson);
  if (!geoJSON) return null;
  return { option, name, geoJSON, specialAreas: registered.specialAreas || {}, width: el.clientWidth, height: el.clientHeight };
}

/**
 * The map as the app's ECharts draws it, re-rendered by the same ECharts version
 * (node_modules/echarts, which scripts/build-echarts.mjs bundles) with its SVG renderer, in a blank
 * Chromium page (text measured like in the app's page). Returns the SVG markup, shrunk.
 */
async function mapPicture(browser, map) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: join(ROOT, 'node_modules/echarts/dist/echarts.min.js') });
    const svg = await page.evaluate((m) => {
      const echarts = globalThis.echarts;
      echarts.registerMap(m.name, m.geoJSON, m.specialAreas);
      const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: m.width, height: m.height });
      chart.setOption({ ...m.option, animation: false });
      const out = chart.renderToSVGString();
      chart.dispose();
      return out;
    }, map);
    return shrinkSvg(svg);
  } finally {
    await context.close();
  }
}

/** The labels the map's option shows on areas of their own (Hoàng Sa, Trường Sa). */
function labelsOf(map) {
  const series = (map.option.series || []).filter((s) => s.type === 'map');
  return series.flatMap((s) => (s.data || []).filter((d) => d?.label?.show && typeof d.label.formatter === 'string').map((d) => d.label.formatter));
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** The block written into index.html right after <body>. */
export function snapshotBlock(markup, status) {
  return `${SNAPSHOT_START}<div id="prerender" hidden>` +
    `<p class="status-line prerender-status" role="status">${escapeHtml(status)}</p>` +
    `<div class="prerender-copy" inert>${markup}</div></div>${SNAPSHOT_END}`;
}

export async function prerender(dist) {
  const view = defaultView(dist);
  if (!view) throw new Error(`prerender: ${dist}/data/catalog.json is missing or has no default dataset with a year file`);
  const htmlPath = join(dist, 'index.html');
  const html = stripSnapshot(readFileSync(htmlPath, 'utf8'));
  writeFileSync(htmlPath, html);
  // A finished dist/ (a rerun) has compressed copies of the old page, which scripts/serve.py would
  // send instead; postbuild writes them again.
  for (const f of ['index.html.br', 'index.html.gz']) rmSync(join(dist, f), { force: true });
  // The picture of an earlier run (its name changes with its content).
  for (const f of readdirSync(dist)) if (MAP_PICTURE_FILE.test(f)) rmSync(join(dist, f), { force: true });
  const { serve, launch } = await import(join(ROOT, 'tests/e2e/harness.mjs'));
  const srv = await serve({ dir: dist });
  const browser = await launch();
  try {
    const first = await renderFirstView(browser, srv.url, view);
    // Every key postbuild's inline script accepts as "the default view", with its value.
    const explicit = `${srv.url}?d=${encodeURIComponent(view.dataset)}&y=${view.year}&l=${view.lang}`;
    const second = await renderFirstView(browser, explicit, view);
    if (first.markup !== second.markup) {
      throw new Error(`prerender: the default link and ${explicit} render different first views ` +
        `(so the copy would be wrong for one of them) ${firstDifference(first.markup, second.markup)}`);
    }
    const svg = await mapPicture(browser, first.map);
    const svg2 = await mapPicture(browser, second.map);
    if (svg !== svg2) {
      throw new Error(`prerender: the map of the default link and of ${explicit} differ ${firstDifference(svg, svg2)}`);
    }
    for (const label of labelsOf(first.map)) {
      if (!svg.includes(`>${escapeHtml(label)}<`)) throw new Error(`prerender: the map picture lacks the label "${label}" the app draws`);
    }
    const file = `prerender-map-${createHash('sha256').update(svg).digest('hex').slice(0, 16)}.svg`;
    writeFileSync(join(dist, file), svg);
    const markup = first.markup.replace(`data-src="${MAP_PICTURE_SRC}"`, `data-src="${file}"`);
    if (markup === first.markup) throw new Error('prerender: the copy has no map picture to point at its file');
    const block = snapshotBlock(markup, first.status);
    if (!/<body[^>]*>/i.test(html)) throw new Error(`prerender: ${htmlPath} has no <body>`);
    writeFileSync(htmlPath, html.replace(/<body[^>]*>/i, (m) => m + block));
    return { view, bytes: Buffer.byteLength(block), picture: { file, bytes: Buffer.byteLength(svg) } };
  } finally {
    await browser.close();
    srv.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] || 'dist';
  if (!existsSync(dist) || !statSync(dist).isDirectory()) throw new Error(`${dist} is not a directory`);
  const { view, bytes, picture } = await prerender(dist);
  console.log(`prerender: ${dist}/index.html carries the first view of ${view.dataset} ${view.year} (${view.lang}), ${bytes} bytes; ` +
    `the map picture ${picture.file}, ${picture.bytes} bytes`);
}
