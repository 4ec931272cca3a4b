// scripts/postbuild.mjs, the short wasm import names (no browser): on a small hand-made module and
// its glue, every import of the glue's module gets the n-th short name in the wasm and in the glue's
// import object alike, nothing else changes, a second run changes nothing, and a glue that does
// not define an import stops the build. The whole app runs with them in every other e2e test.
// The own-data worker's files get content-hashed names, its loader names the hashed glue and
// wasm, and two builds whose worker differs share no worker file name.
// How the page starts (issue 13, design 4): the lean first view's glue and wasm get content-hashed
// names; Trunk's module script and preloads give way to `coopApp()` and the start script (a Trunk
// script of another shape stops the build); on the release build (dist/) every inline script is
// in the CSP, the lean files are precached, a second run of postbuild changes no byte; and in
// Chromium, a link with `ld=`, `data=` or `embed` starts the Leptos app directly (no lean request),
// a lean link asks for the lean's files before the Leptos glue, and a lean that cannot be loaded
// still ends with the Leptos app showing the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, cpSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { shortenImports, shortName, hashWorker, hashLean, takeTrunkStart, startScript, firstViewScript, listFiles, inlineScriptHashes } from '../../scripts/postbuild.mjs';
import { runInNewContext } from 'node:vm';
import { ROOT, DIST, openPage, kpi, withSite } from './harness.mjs';

const str = (s) => [s.length, ...Buffer.from(s)];
const section = (id, bytes) => [id, bytes.length, ...bytes];

/** A module with a `() -> ()` type, three function imports and one export. */
function module() {
  const imports = [3,
    ...str('./x_bg.js'), ...str('__wbg_log_0123456789abcdef'), 0, 0,
    ...str('./x_bg.js'), ...str('__wbindgen_cast_fedcba9876543210'), 0, 0,
    ...str('env'), ...str('other'), 0, 0];
  return Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(2, imports),
    ...section(7, [1, ...str('__wbindgen_malloc'), 0, 0])]);
}

const GLUE = 'function g(){const i0={__proto__:null,__wbg_log_0123456789abcdef:function(){},' +
  '__wbindgen_cast_fedcba9876543210:function(e){return e}};return{__proto__:null,"./x_bg.js":i0,env:{other(){}}}}' +
  'const s={a:1,b:2};wasm.__wbindgen_malloc(1);';

test('short names: a … z, A … Z, then two letters', () => {
  assert.deepEqual([0, 1, 25, 26, 51, 52, 53, 52 + 52 * 52].map(shortName), ['a', 'b', 'z', 'A', 'Z', 'aa', 'ab', 'aaa']);
  const names = new Set(Array.from({ length: 3000 }, (_, i) => shortName(i)));
  assert.equal(names.size, 3000, 'every name differs');
});

test('the glue module\'s imports get short names in the wasm and the glue; nothing else changes', () => {
  const [wasm, js] = shortenImports(module(), GLUE);
  const m = new WebAssembly.Module(wasm);
  assert.deepEqual(WebAssembly.Module.imports(m), [
    { module: './x_bg.js', name: 'a', kind: 'function' },
    { module: './x_bg.js', name: 'b', kind: 'function' },
    { module: 'env', name: 'other', kind: 'function' },
  ]);
  assert.deepEqual(WebAssembly.Module.exports(m), [{ name: '__wbindgen_malloc', kind: 'function' }]);
  assert.equal(js, 'function g(){const i0={__proto__:null,a:function(){},b:function(e){return e}};' +
    'return{__proto__:null,"./x_bg.js":i0,env:{other(){}}}}const s={a:1,b:2};wasm.__wbindgen_malloc(1);');
  assert.ok(wasm.length < module().length);

  const [again, jsAgain] = shortenImports(wasm, js);
  assert.ok(again.equals(wasm), 'a second run changes the wasm');
  assert.equal(jsAgain, js, 'a second run changes the glue');
});

test('a glue that does not define an import stops the build, naming it', () => {
  const glue = GLUE.replace('__wbindgen_cast_fedcba9876543210:function(e){return e}', 'x:1');
  assert.throws(() => shortenImports(module(), glue), /defines 1 of the wasm's 2 imports \(missing: __wbindgen_cast_fedcba9876543210\)/);
  assert.throws(() => shortenImports(Buffer.from('not wasm'), GLUE), /not a wasm module/);
});

/** A dist/ holding the worker's files as Trunk names them (no hash, trunk #405). */
function trunkWorkerDist(wasm, glue = 'let wasm_bindgen;') {
  const dist = mkdtempSync(join(tmpdir(), 'coop-worker-dist-'));
  writeFileSync(join(dist, 'coop-atlas-worker_bg.wasm'), wasm);
  writeFileSync(join(dist, 'coop-atlas-worker.js'), glue);
  writeFileSync(join(dist, 'coop-atlas-worker_loader.js'), 'importScripts("./coop-atlas-worker.js");wasm_bindgen("./coop-atlas-worker_bg.wasm");');
  writeFileSync(join(dist, 'index.html'), '<html></html>');
  return dist;
}

test('the worker\'s loader, glue and wasm get content-hashed names, the loader naming the other two; a rerun renames nothing', () => {
  const dist = trunkWorkerDist(Buffer.from('\0asm one'));
  const loader = hashWorker(dist);
  assert.match(loader, /^coop-atlas-worker-loader-[0-9a-f]{16}\.js$/);
  const files = listFiles(dist);
  const wasm = files.find((f) => /^coop-atlas-worker-[0-9a-f]{16}_bg\.wasm$/.test(f));
  const glue = files.find((f) => /^coop-atlas-worker-[0-9a-f]{16}\.js$/.test(f));
  assert.ok(wasm && glue, files.join(' '));
  assert.deepEqual(files, [glue, wasm, loader, 'index.html'].sort(), 'no unhashed name left');
  assert.equal(readFileSync(join(dist, loader), 'utf8'), `importScripts("./${glue}");wasm_bindgen("./${wasm}");`);
  // The service worker serves these names cache-first: each matches its pattern for hashed files.
  const HASHED = /-[0-9a-f]{1,16}(_bg)?\.(wasm|js|css|svg)$/;
  for (const f of [wasm, glue, loader]) assert.match(f, HASHED);
  assert.equal(hashWorker(dist), loader);
  assert.deepEqual(listFiles(dist), files);
});

test('two builds whose worker code differs never share a worker file name', () => {
  const a = trunkWorkerDist(Buffer.from('\0asm one'));
  const b = trunkWorkerDist(Buffer.from('\0asm two'));
  hashWorker(a);
  hashWorker(b);
  const names = (d) => listFiles(d).filter((f) => f.startsWith('coop-atlas-worker'));
  assert.equal(names(a).length, 3);
  for (const f of names(a)) assert.ok(!names(b).includes(f), `${f} in both builds`);
  // Only the glue changed: the loader, which names it, changes too (the wasm keeps its name).
  const c = trunkWorkerDist(Buffer.from('\0asm one'), 'let wasm_bindgen; // changed');
  hashWorker(c);
  const shared = names(c).filter((f) => names(a).includes(f));
  assert.deepEqual(shared, names(a).filter((f) => f.endsWith('_bg.wasm')));
});

test('a build without the worker gets no worker name; one with a part missing stops the build', () => {
  const none = mkdtempSync(join(tmpdir(), 'coop-worker-dist-'));
  writeFileSync(join(none, 'index.html'), '');
  assert.equal(hashWorker(none), null);
  const broken = trunkWorkerDist(Buffer.from('x'));
  writeFileSync(join(broken, 'coop-atlas-worker_loader.js'), 'importScripts("./other.js");');
  assert.throws(() => hashWorker(broken), /does not name/);
});

/** A dist/ holding the lean first view's files as Trunk names them (a no-modules worker build: no
 *  hash, no loader shim). */
function trunkLeanDist(wasm, glue = 'let wasm_bindgen = (function(){})();') {
  const dist = mkdtempSync(join(tmpdir(), 'coop-lean-dist-'));
  writeFileSync(join(dist, 'coop-atlas-first_bg.wasm'), wasm);
  writeFileSync(join(dist, 'coop-atlas-first.js'), glue);
  writeFileSync(join(dist, 'index.html'), '<html></html>');
  return dist;
}

test('the lean first view\'s glue and wasm get content-hashed names; a rerun renames nothing; two builds share no name', () => {
  const dist = trunkLeanDist(Buffer.from('\0asm lean'));
  const lean = hashLean(dist);
  assert.match(lean.wasm, /^coop-atlas-first-[0-9a-f]{16}_bg\.wasm$/);
  assert.match(lean.glue, /^coop-atlas-first-[0-9a-f]{16}\.js$/);
  assert.equal(lean.size, Buffer.from('\0asm lean').length);
  assert.deepEqual(listFiles(dist), [lean.glue, lean.wasm, 'index.html'].sort(), 'no unhashed name left');
  const HASHED = /-[0-9a-f]{1,16}(_bg)?\.(wasm|js|css|svg)$/; // public/sw.js: cache-first
  for (const f of [lean.wasm, lean.glue]) assert.match(f, HASHED);
  assert.deepEqual(hashLean(dist), lean, 'a second run');
  assert.deepEqual(listFiles(dist), [lean.glue, lean.wasm, 'index.html'].sort());
  // Another wasm under the same glue: both names change (the glue's covers its wasm).
  const other = hashLean(trunkLeanDist(Buffer.from('\0asm lean 2')));
  assert.notEqual(other.wasm, lean.wasm);
  assert.notEqual(other.glue, lean.glue);
  // No lean in the build: null; half a lean: the build stops.
  assert.equal(hashLean(trunkWorkerDist(Buffer.from('x'))), null);
  const half = trunkLeanDist(Buffer.from('x'));
  rmSync(join(half, 'coop-atlas-first.js'));
  assert.throws(() => hashLean(half), /coop-atlas-first has no glue file/);
});

/** Trunk 0.21.14's start of the Leptos app, as it writes it into index.html. */
const TRUNK_HTML = (js, wasm) => '<html><head><meta charset="utf-8">\n  \n<script type="module">\n' +
  `import init, * as bindings from './${js}';\nconst wasm = await init({ module_or_path: './${wasm}' });\n\n\n` +
  'window.wasmBindings = bindings;\n\n\ndispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));\n\n</script>\n  \n' +
  `<link rel="stylesheet" href="./main-1.css"><link rel="modulepreload" href="./${js}" crossorigin="anonymous" integrity="sha384-x">` +
  `<link rel="preload" href="./${wasm}" crossorigin="anonymous" integrity="sha384-y" as="fetch" type="application/wasm"></head><body></body></html>`;

test('Trunk\'s start of the Leptos app and its preloads give way to coopApp(); another shape stops the build', () => {
  const dist = mkdtempSync(join(tmpdir(), 'coop-start-'));
  const [js, wasm] = ['coop-atlas-web-0123abcd.js', 'coop-atlas-web-0123abcd_bg.wasm'];
  writeFileSync(join(dist, js), 'export default function(){}');
  writeFileSync(join(dist, wasm), Buffer.alloc(1234));
  const { html, app } = takeTrunkStart(TRUNK_HTML(js, wasm), dist);
  assert.deepEqual(app, { glue: js, wasm, size: 1234 });
  assert.equal(html, '<html><head><meta charset="utf-8"><link rel="stylesheet" href="./main-1.css"></head><body></body></html>');
  // A rerun: no Trunk script any more, the names come from dist/.
  assert.deepEqual(takeTrunkStart(`${html}<script data-postbuild>${startScript(app, null)}</script>`, dist).app, app);
  // A start of another shape (Trunk changed it): nothing must start the app twice, or never.
  assert.throws(() => takeTrunkStart(TRUNK_HTML(js, wasm).replace('window.wasmBindings = bindings;', 'other();'), dist), /not the one postbuild replaces/);
  assert.throws(() => takeTrunkStart('<html><head></head></html>', dist), /nothing starts the app/);
  // The start scripts are valid JavaScript and name the files.
  const lean = { glue: 'coop-atlas-first-0123456789abcdef.js', wasm: 'coop-atlas-first-fedcba9876543210_bg.wasm', size: 99 };
  for (const script of [startScript(app, null), startScript(app, lean)]) {
    assert.doesNotThrow(() => new Function(script), script);
    assert.ok(script.includes(`coopLoad('./${wasm}',1234)`) && script.includes(`import('./${js}')`), script);
  }
  assert.ok(startScript(app, lean).includes(`coopLoad('./${lean.wasm}',99)`) && startScript(app, lean).includes(`s.src='./${lean.glue}'`));
  assert.ok(!startScript(app, null).includes('coopLean'), 'no lean in the build: the app starts at once');
});

test('the release build: no Trunk start left, every inline script in the CSP, the lean hashed and precached', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const files = listFiles(DIST);
  assert.ok(!/<script type="module">/.test(html) && !/rel="(modulepreload|preload)" href="\.\/coop-atlas-web/.test(html), 'Trunk\'s start of Leptos is gone');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)[1];
  const hashes = inlineScriptHashes(html);
  assert.equal(hashes.length, 3, 'the loader, the first-view script and the start script');
  for (const h of hashes) assert.ok(csp.includes(h), `${h} not in the CSP`);
  assert.match(csp, /script-src 'self' /);
  // The loader runs first (it defines coopLoad), the start script last.
  const scripts = [...html.matchAll(/<script data-postbuild>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.match(scripts[0], /window\.coopLoad=coopLoad/);
  assert.match(scripts[2], /window\.coopApp=function/);
  const lean = files.filter((f) => f.startsWith('coop-atlas-first') && !/\.(br|gz)$/.test(f));
  assert.deepEqual(lean.map((f) => f.replace(/[0-9a-f]{16}/, 'H')).sort(), ['coop-atlas-first-H.js', 'coop-atlas-first-H_bg.wasm']);
  const glue = lean.find((f) => f.endsWith('.js'));
  const wasm = lean.find((f) => f.endsWith('.wasm'));
  assert.ok(scripts[2].includes(`s.src='./${glue}'`) && scripts[2].includes(`coopLoad('./${wasm}',${statSync(join(DIST, wasm)).size})`));
  // Content-hashed: the wasm's name is its bytes' hash.
  assert.equal(wasm, `coop-atlas-first-${createHash('sha256').update(readFileSync(join(DIST, wasm))).digest('hex').slice(0, 16)}_bg.wasm`);
  assert.ok(readFileSync(join(DIST, glue), 'utf8').endsWith('//coop-atlas:minified\n'), 'the lean glue is minified');
  const precache = JSON.parse(/const PRECACHE = (\[[^\]]*\]);/.exec(readFileSync(join(DIST, 'sw.js'), 'utf8'))[1]);
  assert.ok(precache.includes(glue) && precache.includes(wasm), 'the lean is precached (the first view offline)');
  for (const f of [glue, wasm]) assert.ok(files.includes(f + '.br') && files.includes(f + '.gz'), `${f} precompressed`);
});

test('postbuild run again on the finished build changes no byte', { timeout: 120000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'coop-postbuild-'));
  try {
    const again = join(dir, 'dist');
    cpSync(DIST, again, { recursive: true });
    execFileSync('node', [join(ROOT, 'scripts/postbuild.mjs'), again], { stdio: 'pipe' });
    const names = listFiles(DIST);
    assert.deepEqual(listFiles(again), names);
    for (const f of names.filter((n) => !/\.(br|gz)$/.test(n) && !n.startsWith('data/') && !n.startsWith('bench/'))) {
      assert.ok(readFileSync(join(again, f)).equals(readFileSync(join(DIST, f))), `${f} changed`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The app files a page asked for, in order: `lean-js`, `lean-wasm`, `app-js`, `app-wasm`. */
function recordStarts(page) {
  const seen = [];
  page.on('request', (r) => {
    const f = new URL(r.url()).pathname.split('/').pop();
    const m = /^coop-atlas-(first|web)-[0-9a-f]+(_bg\.wasm|\.js)$/.exec(f);
    if (m) seen.push(`${m[1] === 'first' ? 'lean' : 'app'}-${m[2] === '.js' ? 'js' : 'wasm'}`);
  });
  return seen;
}

test('a link with ld=, data= or embed starts the Leptos app directly: no request for the lean', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    for (const q of ['?ld=abc', '?data=https%3A%2F%2Fexample.org%2Fd.json', '?embed=1', '?embed=', '?k=htx&embed=0']) {
      const context = await browser.newContext();
      await context.route(/^https:\/\/example\.org\//, (route) => route.abort());
      const page = await openPage(context, null);
      const seen = recordStarts(page);
      await page.goto(url + q);
      await page.waitForFunction(() => window.wasmBindings, null, { timeout: 30000 });
      assert.deepEqual([...new Set(seen)].sort(), ['app-js', 'app-wasm'], `${q}: ${seen}`);
      assert.equal(await page.evaluate(() => window.coopLean ?? null), null, `${q}: coopLean set`);
      await context.close();
    }
  });
});

test('a lean link asks for the lean first view\'s files before the Leptos glue, and the app takes over', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    for (const q of ['', '?k=htx', '?l=en&b=34&p=19', '?t=chart&ch=trend&y=2019-2024']) {
      const context = await browser.newContext();
      const page = await openPage(context, null);
      const seen = recordStarts(page);
      await page.goto(url + q);
      await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
      assert.equal(await page.evaluate(() => window.coopLean), true, `${q}: coopLean`);
      assert.ok(seen.includes('lean-js') && seen.includes('lean-wasm'), `${q}: ${seen}`);
      assert.ok(seen.indexOf('app-js') > seen.indexOf('lean-js') && seen.indexOf('app-js') > seen.indexOf('lean-wasm'), `${q}: ${seen}`);
      assert.equal(seen.filter((x) => x === 'app-js').length, 1, `${q}: the app started once: ${seen}`);
      assert.ok((await kpi(page, 'htx_count')) > 0, `${q}: the live cards`);
      assert.deepEqual(page.errors, [], q);
      await context.close();
    }
  });
});

test('the lean first view cannot be loaded (its glue or its wasm): the Leptos app shows the link', { timeout: 120000 }, async () => {
  await withSite(async ({ url, browser }) => {
    for (const [what, re] of [['both', /coop-atlas-first-[0-9a-f]+(_bg\.wasm|\.js)$/], ['glue', /coop-atlas-first-[0-9a-f]+\.js$/],
      ['wasm', /coop-atlas-first-[0-9a-f]+_bg\.wasm$/]]) {
      const context = await browser.newContext();
      await context.route(re, (route) => route.abort());
      const page = await openPage(context, null);
      const seen = recordStarts(page);
      await page.goto(url + '?k=htx&r=tdmnpb');
      await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
      assert.ok(seen.includes('lean-js') || seen.includes('lean-wasm'), `${what}: the lean was asked for: ${seen}`);
      assert.ok((await kpi(page, 'htx_count')) > 0, `${what}: the live cards`);
      assert.equal(await page.inputValue('[data-testid="region-select"]'), 'tdmnpb', `${what}: the link's region`);
      assert.equal(await page.locator('#load-error').count(), 0, `${what}: the load-failure alert showed`);
      assert.equal(await page.locator('#prerender').count(), 0, `${what}: the copy is left`);
      // Only the refused requests' own messages.
      assert.deepEqual(page.errors.filter((e) => !/Failed to load resource|ERR_FAILED/.test(e)), [], `${what}: ${page.errors}`);
      await context.close();
    }
  });
});

/** What the first-view script preloads for `query`: runs it against a minimal page. */
function preloadsFor(script, query) {
  const links = [];
  const page = {
    location: { search: query },
    URLSearchParams,
    document: {
      documentElement: { classList: { add() {} } },
      createElement: () => ({}),
      head: { appendChild: (l) => links.push(l.href) },
    },
  };
  runInNewContext(script, page);
  return links;
}

test('the first-view script preloads the shapes a link\'s first view needs: with the lean, none (it responds first, then fetches them)', () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const lean = firstViewScript(DIST, html, { lean: true });
  const plain = firstViewScript(DIST, html);
  const shapes = (script, q) => preloadsFor(script, q).filter((h) => h.startsWith('geo/'));
  // The lean paints the copy's 63 paths and fetches the shapes once live; for another boundary
  // version or a zoom too (the map follows a moment later: its bytes must not come before the
  // lean's, the bytes until the app responds would pass 200 KB).
  for (const q of ['', '?k=htx', '?l=en', '?t=map', '?b=63', '?l=en&b=34&p=19', '?r=tdmnpb', '?p=19']) assert.deepEqual(shapes(lean, q), [], q);
  // Links the Leptos app starts on at once: it draws the map with its wasm.
  for (const q of ['?embed=1', '?ld=abc', '?data=https%3A%2F%2Fexample.org%2Fd.json']) assert.deepEqual(shapes(lean, q), ['geo/vn63-svg.tsv'], q);
  // Another tab: no map, no shapes.
  for (const q of ['?t=table&r=tdmnpb', '?t=chart&b=34']) assert.deepEqual(shapes(lean, q), [], q);
  // Without the lean in the build, every map link preloads them, as before.
  assert.deepEqual(shapes(plain, ''), ['geo/vn63-svg.tsv']);
  assert.deepEqual(shapes(plain, '?b=34'), ['geo/vn34-svg.tsv']);
  // The catalogue and the default year, as before.
  const view = /data\/[^']+\.pack/.exec(lean)[0];
  assert.deepEqual(preloadsFor(lean, '?k=htx').filter((h) => !h.startsWith('geo/')), ['data/catalog.json', view]);
  assert.deepEqual(preloadsFor(lean, '?ld=abc').filter((h) => !h.startsWith('geo/')), []);
  // The release build's page carries the lean's version of the script.
  assert.ok(html.includes(`<script data-postbuild>${lean}</script>`));
});
