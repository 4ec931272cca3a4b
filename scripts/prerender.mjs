// After `trunk build --release`, before scripts/postbuild.mjs (issue 6, "headline cards in ≤ 5 s on
// 3G"): opens the built app in headless Chromium on the default link, waits until the headline cards
// show numbers, and copies the first view the app rendered — header, filters, headline cards — into
// dist/index.html, so a phone shows the cards with their numbers, sources and the illustrative-data
// label as soon as the HTML and the CSS arrive, while the ~350 KB of wasm are still on their way.
//
// The copy includes the default tab's panel, the map: its toolbar, title, the map itself — the
// app's inline SVG (src/ui/svg_map.rs: one path per province, filled by class, the archipelagos
// labelled) —, legend, source and notes as the app renders them. The live app draws the very same
// SVG when it takes over, so the map does not jump (same view box, same paths).
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
// ECharts until the cards have numbers (as on a slow link), no service worker runs, and the same
// first view is rendered a second time from a link naming the default dataset, year and language
// explicitly: both must give the same markup, or the build stops (it then names the first
// difference).
//
// The same first view in English (`?l=en`, taken the same way and checked the same way against
// `?d=…&y=…&l=en`) is written right after the copy as `<template id="prerender-en"
// data-status="<the app's English loading text>">`: inert markup the browser never shows, which
// the lean first view (issue 13, design 4: src/bin/coop-atlas-first.rs) swaps in for the copy's
// content on an `l=en` link. Its ids are those of the copy (`pre-…`): a template's content is not
// part of the document, so no id is there twice.
//
// The copy is always taken from the Leptos app: this script runs on Trunk's output, whose page
// starts Leptos at once (postbuild, which replaces that start by the lean first view, runs after
// it); on a finished build (a rerun) the lean's files are refused, so the page starts Leptos
// directly, as it does whenever the lean cannot be loaded.
//
// Idempotent: an earlier copy in index.html is removed before the app is opened, then replaced.
// Usage: node scripts/prerender.mjs [dist]
import { readFileSync, writeFileSync, existsSync, statSync, rmSync, readdirSync } from 'node:fs';
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
function captureFirstView([pre]) {
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
  // The first view is the filters, the cards and the default tab's panel (the map):
  // the own-data panel and the app's ready marker come with the live app.
  const keep = copy[1].querySelector('.content');
  for (const child of [...keep.children]) {
    const isChips = child.matches('[data-testid="chips"], .chips, .chip-row');
    const isCards = child.matches('[data-testid="kpis"]');
    const isTabs = child.matches('.tabs');
    if (!isChips && !isCards && !isTabs) child.remove();
  }
  // The map is the app's inline SVG, copied as it is: every province drawn, the archipelagos labelled.
  const svg = copy[1].querySelector('.content .tabs svg[data-testid="map-chart"]');
  if (!svg) problems.push('no map (svg[data-testid="map-chart"]) in the default tab\'s panel');
  else {
    if (!svg.querySelector('path.area')) problems.push('the map has no provinces');
    for (const code of ['hs', 'ts']) {
      const label = svg.querySelector(`[data-testid="island-${code}"]`);
      if (!label || !label.textContent.trim()) problems.push(`the map lacks the ${code.toUpperCase()} archipelago's label`);
    }
    if (!svg.getAttribute('aria-label')) problems.push('the map has no aria-label');
    if (!svg.getAttribute('viewBox')) problems.push('the map has no viewBox');
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

/** The first difference between two strings, with some context, for the error message. */
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at character ${i}: …${a.slice(Math.max(0, i - 60), i + 60)}… vs …${b.slice(Math.max(0, i - 60), i + 60)}…`;
}

/**
 * Opens `url` and returns { markup, status }: the first view once the cards have numbers and the
 * map is drawn, and the app's loading status text, read while the default year's file is held back.
 */
async function renderFirstView(browser, url, view) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 390, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The default year's file waits until the loading status was read; ECharts waits until the
    // cards have numbers (as on a slow link); what the first view does not need (other years)
    // never arrives while the copy is taken.
    let release;
    const released = new Promise((r) => { release = r; });
    let releaseCharts;
    const chartsReleased = new Promise((r) => { releaseCharts = r; });
    await context.route('**/*', async (route) => {
      const path = new URL(route.request().url()).pathname.replace(/^\/+/, '');
      if (path === view.file) {
        await released;
        return route.continue();
      }
      if (path.startsWith('data/') && path !== 'data/catalog.json') return; // held: never answered
      if (path.startsWith('vendor/')) {
        await chartsReleased;
        return route.continue();
      }
      // The lean first view (a finished build): the copy is the Leptos app's, never the lean's.
      if (path.startsWith('coop-atlas-first')) return route.abort();
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
    releaseCharts();
    // The map: its provinces filled (the shapes came alongside the dataset).
    await page.waitForFunction(() => {
      const svg = document.querySelector('main .tabs svg[data-testid="map-chart"]');
      return !!(svg && svg.querySelector('path.area') && svg.getAttribute('viewBox'));
    }, null, { timeout: 60000, polling: 'raf' });
    // One more frame: every reactive update caused by the data has been applied.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    const { markup, problems } = await page.evaluate(captureFirstView, ['pre-']);
    if (errors.length) problems.push(`page errors: ${errors.join(' | ')}`);
    if (problems.length) throw new Error(`prerender: ${url}: ${problems.join('; ')}`);
    if (!status) throw new Error(`prerender: ${url}: the loading status (${statusSel}) has no text`);
    return { markup, status };
  } finally {
    await context.close();
  }
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** The block written into index.html right after <body>: the copy, then (with `en`) the English
 *  first view as a template for the lean first view, with the app's English loading text. */
export function snapshotBlock(markup, status, en = null) {
  return `${SNAPSHOT_START}<div id="prerender" hidden>` +
    `<p class="status-line prerender-status" role="status">${escapeHtml(status)}</p>` +
    `<div class="prerender-copy" inert>${markup}</div></div>` +
    (en ? `<template id="prerender-en" data-status="${escapeHtml(en.status)}">${en.markup}</template>` : '') +
    SNAPSHOT_END;
}

/** The first view of `query` (the default view's keys, e.g. `?l=en`), taken twice: from `query`
 *  and from the same keys with the default dataset, year and `lang` written out; both must match. */
async function renderChecked(browser, url, view, query, lang) {
  const first = await renderFirstView(browser, url + query, view);
  const explicit = `${url}?d=${encodeURIComponent(view.dataset)}&y=${view.year}&l=${lang}`;
  const second = await renderFirstView(browser, explicit, view);
  if (first.markup !== second.markup) {
    throw new Error(`prerender: ${url + query} and ${explicit} render different first views ` +
      `(so the copy would be wrong for one of them) ${firstDifference(first.markup, second.markup)}`);
  }
  return first;
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
  // The map picture of a build before the map was inline SVG.
  for (const f of readdirSync(dist)) if (/^prerender-map-[0-9a-f]{16}\.svg(\.br|\.gz)?$/.test(f)) rmSync(join(dist, f), { force: true });
  const { serve, launch } = await import(join(ROOT, 'tests/e2e/harness.mjs'));
  const srv = await serve({ dir: dist });
  const browser = await launch();
  try {
    // Every key postbuild's inline script accepts as "the default view", with its value.
    const first = await renderChecked(browser, srv.url, view, '', view.lang);
    // The other language, for the lean first view's `l=en` links.
    if (view.lang === 'en') throw new Error(`prerender: ${htmlPath} is in English; the English template assumes a Vietnamese page`);
    const en = await renderChecked(browser, srv.url, view, '?l=en', 'en');
    if (en.markup === first.markup) throw new Error('prerender: the ?l=en first view is the Vietnamese one');
    const block = snapshotBlock(first.markup, first.status, en);
    if (!/<body[^>]*>/i.test(html)) throw new Error(`prerender: ${htmlPath} has no <body>`);
    writeFileSync(htmlPath, html.replace(/<body[^>]*>/i, (m) => m + block));
    return { view, bytes: Buffer.byteLength(block), enBytes: Buffer.byteLength(en.markup) };
  } finally {
    await browser.close();
    srv.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] || 'dist';
  if (!existsSync(dist) || !statSync(dist).isDirectory()) throw new Error(`${dist} is not a directory`);
  const { view, bytes, enBytes } = await prerender(dist);
  console.log(`prerender: ${dist}/index.html carries the first view of ${view.dataset} ${view.year} (${view.lang}), ${bytes} bytes, ` +
    `of which ${enBytes} the English template`);
}
