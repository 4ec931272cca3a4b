// The browser benchmark (issue 8): generates N columnar rows in a Worker, then times the engine's
// exports (coop-atlas-bench wasm) and the plain-JavaScript baseline (baseline.js) over the same
// bytes, checks both compute the same figures, and reports medians and the wasm memory.
//
// `window.benchRun({ rows, runs, mode })` returns the results (scripts/bench-browser.mjs and
// tests/e2e/bench.test.mjs call it); the Run button does the same by hand.
// mode "whole": one `parse_dataset` call per load (the engine's own speed).
// mode "sliced": the app's sliced parser (engine::incremental) driven in slices of ≤ 30 ms of
// work as src/ui/own_data.rs does, reporting its longest single step (a main-thread task). As in
// the app, the file's bytes stay in a JavaScript Uint8Array (not copied into wasm memory): the
// parser copies in the chunk it scans or the batch it parses.
import * as baseline from './baseline.js';

const SEED = 42;
const YEAR = 2024;
const SLICE_BUDGET = 1 << 20;

const wasmReady = new Promise((resolve) => {
  if (window.wasmBindings) resolve(window.wasmBindings);
  else addEventListener('TrunkApplicationStarted', () => resolve(window.wasmBindings), { once: true });
});

function generateInWorker(rows) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./gen-worker.js', import.meta.url), { type: 'module' });
    w.onmessage = (e) => {
      w.terminate();
      if (e.data.error) reject(new Error(e.data.error));
      else resolve(e.data.bytes);
    };
    w.onerror = (e) => { w.terminate(); reject(new Error(e.message)); };
    w.postMessage({ rows, seed: SEED });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/** Median over `samples` of the mean time of one call (several calls per sample when a call is
 *  shorter than the timer's resolution), after one warm-up call. */
function timeIt(fn, samples) {
  fn();
  let t = performance.now();
  fn();
  const est = Math.max(performance.now() - t, 0.001);
  const reps = Math.min(2000, Math.max(1, Math.ceil(20 / est)));
  const out = [];
  for (let s = 0; s < samples; s++) {
    t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    out.push((performance.now() - t) / reps);
  }
  return { ms: median(out), reps, samples };
}

/** Whether two flat float lists agree: same length, same NaNs, values within a relative 1e-6
 *  (the engine keeps income as f32: a relative error below 6e-8 per value). */
function agree(a, b) {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return `item ${i}: ${x} vs ${y}`;
      continue;
    }
    if (Math.abs(x - y) > 1e-6 * Math.max(1, Math.abs(x), Math.abs(y))) return `item ${i}: ${x} vs ${y}`;
  }
  return null;
}

async function loadSliced(w, bytes) {
  // The same kind of array the app reads a File into (ui::own_data::read_file).
  if (!(bytes instanceof Uint8Array)) throw new Error('sliced load: the file must be a Uint8Array');
  w.sliced_start(bytes);
  let longest = 0;
  let steps = 0;
  for (;;) {
    // One task: steps until ~30 ms have passed, as the app's own-data loader does.
    const t = performance.now();
    let done;
    do {
      done = w.sliced_step(SLICE_BUDGET);
    } while (done < 1 && performance.now() - t < 30);
    longest = Math.max(longest, performance.now() - t);
    steps++;
    if (done >= 1) break;
    await new Promise((r) => setTimeout(r, 0));
  }
  return { longest, steps };
}

export async function run({ rows = 100000, runs = 5, mode = 'whole' } = {}) {
  const w = await wasmReady;
  const memory = w.wasm_memory();
  const res = { rows, runs, mode, userAgent: navigator.userAgent };
  let t = performance.now();
  const bytes = await generateInWorker(rows);
  res.generateMs = performance.now() - t;
  res.fileBytes = bytes.length;
  res.memoryBeforeLoad = memory.buffer.byteLength;

  // Engine: parse + validate. Whole: the bytes are copied into wasm memory, parsed, validated,
  // freed. Sliced: the bytes stay in JavaScript, as in the app.
  const loads = [];
  if (mode === 'sliced') {
    t = performance.now();
    const s = await loadSliced(w, bytes);
    res.sliced = { totalMs: performance.now() - t, longestTaskMs: s.longest, tasks: s.steps };
    res.memoryAfterLoad = memory.buffer.byteLength;
  } else {
    for (let r = 0; r <= runs; r++) {
      t = performance.now();
      const n = w.load(bytes);
      loads.push(performance.now() - t);
      if (n !== rows) throw new Error(`engine loaded ${n} rows, expected ${rows}`);
      if (r === 0) res.memoryAfterLoad = memory.buffer.byteLength;
    }
    res.engineParseMs = median(loads.slice(1));
    res.memoryAfterRuns = memory.buffer.byteLength;
  }

  // Baseline parse: decode + JSON.parse + typed arrays.
  const provinces63 = w.crosswalk_codes().map((s) => s.split('>')[0]);
  const baseTimes = [];
  const jsonTimes = [];
  let table;
  for (let r = 0; r <= runs; r++) {
    table = null;
    t = performance.now();
    const p = baseline.parse(bytes, provinces63);
    baseTimes.push(performance.now() - t);
    jsonTimes.push(p.jsonMs);
    table = p.table;
  }
  res.baselineParseMs = median(baseTimes.slice(1));
  res.baselineJsonParseMs = median(jsonTimes.slice(1));

  // Every built-in indicator for one filter state (the app's default: the latest year) and for
  // all years.
  const samples = Math.max(runs, 5);
  res.engineComputeAllYearMs = timeIt(() => w.compute_all_totals(YEAR), samples).ms;
  res.engineComputeAllMs = timeIt(() => w.compute_all_totals(0), samples).ms;
  res.baselineComputeAllYearMs = timeIt(() => baseline.computeAll(table, YEAR), samples).ms;
  res.baselineComputeAllMs = timeIt(() => baseline.computeAll(table, 0), samples).ms;

  // The filtered group-by and the regroup into 34 provinces.
  const codes = w.bench_provinces();
  const idx = codes.map((c) => provinces63.indexOf(c));
  // Both sides get the province codes and the kind code and return the final table.
  res.engineGroupByMs = timeIt(() => w.group_by(YEAR, 'htx', codes), samples).ms;
  res.baselineGroupByMs = timeIt(() => baseline.groupByCodes(table, YEAR, 'htx', codes, provinces63), samples).ms;
  const codes34 = w.codes_34();
  const to34 = w.crosswalk_codes().map((s) => codes34.indexOf(s.split('>')[1]));
  w.group_by(YEAR, 'htx', codes);
  res.engineRegroupMs = timeIt(() => w.regroup_34(), samples).ms;
  const g = baseline.groupBy(table, YEAR, 0, idx);
  res.baselineRegroupMs = timeIt(() => baseline.regroup(g, to34), samples).ms;

  // Same figures?
  const checks = {
    computeAllYear: agree(Array.from(w.compute_all_totals(YEAR)), baseline.computeAll(table, YEAR)),
    computeAll: agree(Array.from(w.compute_all_totals(0)), baseline.computeAll(table, 0)),
    groupBy: agree(Array.from(w.group_by(YEAR, 'htx', codes)), baseline.groupByCodes(table, YEAR, 'htx', codes, provinces63)),
    regroup: agree(Array.from(w.regroup_34()), baseline.flatten(baseline.regroup(g, to34))),
  };
  res.groups = w.group_by(YEAR, 'htx', codes).length / 5;
  res.groups34 = w.regroup_34().length / 5;
  res.mismatches = Object.fromEntries(Object.entries(checks).filter(([, v]) => v !== null));
  res.agree = Object.keys(res.mismatches).length === 0;
  res.memoryAtEnd = memory.buffer.byteLength;
  return res;
}

window.benchRun = run;
wasmReady.then(() => {
  const status = document.getElementById('status');
  status.textContent = 'ready';
  document.body.dataset.ready = '1';
  document.getElementById('run').addEventListener('click', async () => {
    const q = new URLSearchParams(location.search);
    status.textContent = 'running…';
    try {
      const r = await run({ rows: Number(q.get('rows') || 100000), runs: Number(q.get('runs') || 5), mode: q.get('mode') || 'whole' });
      document.getElementById('out').textContent = JSON.stringify(r, null, 2);
      status.textContent = 'done';
    } catch (e) {
      status.textContent = 'failed: ' + e;
    }
  });
});
