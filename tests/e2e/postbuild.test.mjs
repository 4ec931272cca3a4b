// scripts/postbuild.mjs, the short wasm import names (no browser): on a small hand-made module and
// its glue, every import of the glue's module gets the n-th short name in the wasm and in the glue's
// import object alike, nothing else changes, a second run changes nothing, and a glue that does
// not define an import stops the build. The whole app runs with them in every other e2e test.
// The own-data worker's files get content-hashed names, its loader names the hashed glue and
// wasm, and two builds whose worker differs share no worker file name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shortenImports, shortName, hashWorker, listFiles } from '../../scripts/postbuild.mjs';

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
