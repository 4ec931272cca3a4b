// Prints raw, gzip and brotli bytes of every file in dist/ and the totals, then checks the budgets in
// tests/size-budget.json (first view, and everything a first visit fetches). Exits 1 when over.
// Usage: node scripts/size-report.mjs [dist]
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { listFiles } from './postbuild.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Sizes of every served file in dist (precompressed siblings are not counted twice). */
export function measure(dist) {
  return listFiles(dist)
    .filter((f) => !f.endsWith('.br') && !f.endsWith('.gz'))
    .map((f) => {
      const buf = readFileSync(join(dist, f));
      return {
        file: f,
        raw: buf.length,
        gzip: gzipSync(buf, { level: 9 }).length,
        brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    });
}

/** Checks each budget; returns [{ name, files, brotli, max, ok }]. */
export function checkBudgets(rows, budget = JSON.parse(readFileSync(join(ROOT, 'tests/size-budget.json'), 'utf8'))) {
  return Object.entries(budget).filter(([k]) => !k.startsWith('_')).map(([name, b]) => {
    const res = b.files.map((p) => new RegExp(p));
    const files = rows.filter((r) => res.some((re) => re.test(r.file)));
    const missing = res.filter((re) => !rows.some((r) => re.test(r.file))).map(String);
    const brotli = files.reduce((s, r) => s + r.brotli, 0);
    return {
      name, why: b.why || '', enforced: b.enforced !== false, files: files.map((r) => r.file), missing, brotli,
      max: b.max_brotli_bytes, ok: brotli <= b.max_brotli_bytes && missing.length === 0,
    };
  });
}

const kb = (n) => (n / 1024).toFixed(1).padStart(8) + ' KB';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] || join(ROOT, 'dist');
  const rows = measure(dist);
  console.log('size report: ' + dist);
  console.log('file'.padEnd(52) + 'raw'.padStart(11) + 'gzip'.padStart(11) + 'brotli'.padStart(11));
  for (const r of rows) console.log(r.file.padEnd(52) + kb(r.raw) + kb(r.gzip) + kb(r.brotli));
  const t = rows.reduce((s, r) => ({ raw: s.raw + r.raw, gzip: s.gzip + r.gzip, brotli: s.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  console.log('TOTAL'.padEnd(52) + kb(t.raw) + kb(t.gzip) + kb(t.brotli));
  let failed = false;
  for (const b of checkBudgets(rows)) {
    const verdict = b.ok ? 'OK' : b.enforced ? 'OVER BUDGET' : `NOT MET (target, ${kb(b.brotli - b.max).trim()} over; not enforced)`;
    console.log(`budget ${b.name}: ${kb(b.brotli).trim()} brotli of ${kb(b.max).trim()} allowed — ${verdict}` +
      (b.missing.length ? ` (missing files: ${b.missing.join(', ')})` : '') + (b.why ? `\n    ${b.why}` : ''));
    failed ||= b.enforced && !b.ok;
  }
  process.exit(failed ? 1 : 0);
}
