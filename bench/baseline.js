// The baseline of issue 8: the same operations as the engine, written the way a competent
// competitor would write them in plain JavaScript — `JSON.parse`, then one typed array per field and
// straight loops. No validation (the engine validates every cell and checks duplicate ids; this
// code trusts the file), no indexes, no workers. It computes the same figures as the engine so the
// benchmark can check both agree (tests/e2e/bench.test.mjs).

const KINDS = ['htx', 'tht', 'qtdnd', 'lhhtx', 'dn', 'hkd'];
const SECTORS = ['nn', 'cn', 'xd', 'tm', 'vt', 'td', 'khac'];
const NTM = ['none', 'ntm', 'advanced', 'model'];
const STAGES = ['input', 'output', 'both'];

function codes(list, values, n) {
  const out = new Uint8Array(n).fill(255);
  if (!values) return out;
  const index = new Map(list.map((c, i) => [c, i]));
  for (let i = 0; i < n; i++) {
    const v = index.get(values[i]);
    if (v !== undefined) out[i] = v;
  }
  return out;
}

function numbers(values, n) {
  const out = new Float64Array(n).fill(NaN);
  if (!values) return out;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null) out[i] = v;
  }
  return out;
}

function bools(values, n) {
  const out = new Int8Array(n).fill(-1);
  if (!values) return out;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== null) out[i] = v === true || v === 1 ? 1 : 0;
  }
  return out;
}

/** Bytes → typed columns. `provinces63` lists the 63 province codes in index order. Returns the
 *  table and the time JSON.parse alone took. */
export function parse(bytes, provinces63) {
  const t0 = performance.now();
  const text = new TextDecoder().decode(bytes);
  const doc = JSON.parse(text);
  const jsonMs = performance.now() - t0;
  const e = doc.entities;
  const n = e.id.length;
  const table = {
    n,
    id: e.id,
    province: codes(provinces63, e.province, n),
    year: Uint16Array.from(e.year),
    kind: codes(KINDS, e.kind, n),
    sector: codes(SECTORS, e.sector, n),
    ntm: codes(NTM, e.ntm, n),
    stage: codes(STAGES, e.stage, n),
    members: numbers(e.members, n),
    workers: numbers(e.workers, n),
    income: numbers(e.income, n),
    revenue: numbers(e.revenue, n),
    ocopStar: numbers(e.ocop_star, n),
    ocop5: numbers(e.ocop_5star, n),
    highTech: bools(e.high_tech, n),
    valueChain: bools(e.value_chain, n),
    trademark: bools(e.trademark, n),
  };
  return { table, jsonMs };
}

/** Every built-in indicator's total for one year (0: all years), in the engine's order, as
 *  `[n, num, den, value]` each — the same fused pass the engine makes. */
export function computeAll(t, year) {
  const kind = [0, 0, 0, 0, 0, 0];
  const ocopKind = [0, 0, 0, 0, 0, 0];
  let workersSum = 0, workersN = 0, workersMissing = 0, incNum = 0, incDen = 0, incN = 0;
  let memSum = 0, htYes = 0, htKnown = 0, vcYes = 0, vcKnown = 0, coll = 0, htxNtm = 0;
  let ocop5Sum = 0, ocop5N = 0, stageKnown = 0, stageOut = 0, tmYes = 0, tmKnown = 0;
  const mem = [];
  for (let i = 0; i < t.n; i++) {
    if (year !== 0 && t.year[i] !== year) continue;
    const k = t.kind[i];
    if (k < 6) kind[k]++;
    if (k < 4) {
      coll++;
      const w = t.workers[i];
      if (w === w) {
        workersSum += w; workersN++;
        const inc = t.income[i];
        if (inc === inc) { incNum += inc * w; incDen += w; incN++; }
      } else workersMissing++;
      const vc = t.valueChain[i];
      if (vc >= 0) { vcKnown++; if (vc === 1) vcYes++; }
    }
    if (k === 0) {
      const m = t.members[i];
      if (m === m) { memSum += m; mem.push(m); }
      const ht = t.highTech[i];
      if (ht >= 0) { htKnown++; if (ht === 1) htYes++; }
      const tm = t.trademark[i];
      if (tm >= 0) { tmKnown++; if (tm === 1) tmYes++; }
      const nt = t.ntm[i];
      if (nt !== 255 && nt !== 0) htxNtm++;
      const st = t.stage[i];
      if (st !== 255) { stageKnown++; if (st !== 0) stageOut++; }
    }
    const star = t.ocopStar[i];
    if (star >= 3 && k < 6) ocopKind[k]++;
    const o5 = t.ocop5[i];
    if (o5 === o5) { ocop5Sum += o5; ocop5N++; }
  }
  const count = (c) => [c, c, c, c];
  const ratio = (num, den, n) => [n, num, den, den > 0 ? num / den : NaN];
  const share = (yes, known) => ratio(yes, known, known);
  mem.sort((a, b) => a - b);
  const h = mem.length >> 1;
  const median = mem.length === 0 ? NaN : mem.length % 2 ? mem[h] : (mem[h - 1] + mem[h]) / 2;
  const ocopTotal = ocopKind.reduce((a, b) => a + b, 0);
  return [
    count(kind[0]), count(kind[1]), count(kind[2]),
    [workersN, workersSum, workersN, workersSum],
    ratio(incNum, incDen, incN),
    ratio(memSum, mem.length, mem.length),
    [mem.length, memSum, mem.length, median],
    count(htYes), share(htYes, htKnown), count(vcYes), share(vcYes, vcKnown), count(htxNtm),
    count(ocopTotal), [ocop5N, ocop5Sum, ocop5N, ocop5Sum],
    share(ocopKind[0], ocopTotal), share(ocopKind[4], ocopTotal), share(ocopKind[5], ocopTotal),
    share(ocopKind[1], ocopTotal), share(stageOut, stageKnown), share(tmYes, tmKnown),
  ].flat();
}

/** The filtered group-by: one year, one kind (index), a set of province indices; by province:
 *  count, Σ workers, weighted mean income, high-tech share, plus the parts the regroup needs. */
export function groupBy(t, year, kind, provinces) {
  const sel = new Uint8Array(256);
  for (const p of provinces) sel[p] = 1;
  const cnt = new Float64Array(64), wsum = new Float64Array(64), num = new Float64Array(64);
  const den = new Float64Array(64), yes = new Float64Array(64), known = new Float64Array(64);
  for (let i = 0; i < t.n; i++) {
    if (t.year[i] !== year || t.kind[i] !== kind) continue;
    const p = t.province[i];
    if (sel[p] === 0) continue;
    cnt[p]++;
    const w = t.workers[i];
    if (w === w) {
      wsum[p] += w;
      const inc = t.income[i];
      if (inc === inc) { num[p] += inc * w; den[p] += w; }
    }
    const ht = t.highTech[i];
    if (ht >= 0) { known[p]++; if (ht === 1) yes[p]++; }
  }
  return { cnt, wsum, num, den, yes, known, size: 64 };
}

/** The benchmark's filtered group-by as the engine's `group_by` is asked it: province codes and a
 *  kind code in, the final table out (`flatten`: count, Σ workers, income mean, high-tech share per
 *  province), so both sides are timed for the same work. `provinces63` lists the codes by index. */
export function groupByCodes(t, year, kindCode, codes, provinces63) {
  const idx = codes.map((c) => provinces63.indexOf(c)).filter((i) => i >= 0);
  return flatten(groupBy(t, year, KINDS.indexOf(kindCode), idx));
}

/** Regroups a by-province result through the crosswalk (`to34[p63]` = index of the 34-province):
 *  counts and sums added, the mean and the share recomputed from their summed parts. */
export function regroup(g, to34) {
  const out = { cnt: new Float64Array(34), wsum: new Float64Array(34), num: new Float64Array(34),
    den: new Float64Array(34), yes: new Float64Array(34), known: new Float64Array(34), size: 34 };
  for (let p = 0; p < g.size; p++) {
    if (g.cnt[p] === 0) continue;
    const q = to34[p];
    out.cnt[q] += g.cnt[p]; out.wsum[q] += g.wsum[p]; out.num[q] += g.num[p];
    out.den[q] += g.den[p]; out.yes[q] += g.yes[p]; out.known[q] += g.known[p];
  }
  return out;
}

/** The engine's flat layout: `[index, count, Σ workers, income mean, high-tech share]` per group. */
export function flatten(g) {
  const out = [];
  for (let p = 0; p < g.size; p++) {
    if (g.cnt[p] === 0) continue;
    out.push(p, g.cnt[p], g.wsum[p], g.den[p] > 0 ? g.num[p] / g.den[p] : NaN,
      g.known[p] > 0 ? g.yes[p] / g.known[p] : NaN);
  }
  return out;
}
