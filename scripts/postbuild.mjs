// After `trunk build --release`: finishes dist/ for a static host.
//  1. Writes the brotli (.br) and gzip (.gz) file next to every compressible file, so a host (or
//     scripts/serve.py) sends phones the smallest bytes without compressing on the fly.
// Usage: node scripts/postbuild.mjs [dist]
import { readdirSync, readFileSync, writeFileSync, statSync, unlinkSync } from 'node:fs';
import { join, relative, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dist = process.argv[2] || 'dist';
const COMPRESSIBLE = new Set(['.wasm', '.js', '.css', '.html', '.json', '.svg', '.webmanifest', '.csv', '.md']);

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

function compressAll() {
  for (const f of listFiles(dist)) {
    if (f.endsWith('.br') || f.endsWith('.gz')) { unlinkSync(join(dist, f)); continue; }
  }
  for (const f of listFiles(dist)) {
    if (!COMPRESSIBLE.has(extname(f))) continue;
    const buf = readFileSync(join(dist, f));
    writeFileSync(join(dist, f + '.br'), brotliCompressSync(buf, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }));
    writeFileSync(join(dist, f + '.gz'), gzipSync(buf, { level: 9 }));
  }
}

if (!statSync(dist).isDirectory()) throw new Error(`${dist} is not a directory`);
compressAll();
console.log(`postbuild: ${dist} precompressed`);
