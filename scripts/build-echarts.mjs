// Builds the self-hosted ECharts bundle from the npm package (run by Trunk's pre_build hook and by
// scripts/setup.sh). Skips the work when the output is newer than its inputs.
import { build } from 'esbuild';
import { statSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'scripts/echarts-entry.js');
const out = join(root, 'public/vendor/echarts.min.js');
const pkg = join(root, 'node_modules/echarts/package.json');

const mtime = (p) => { try { return statSync(p).mtimeMs; } catch { return 0; } };
if (mtime(out) > Math.max(mtime(entry), mtime(pkg), mtime(fileURLToPath(import.meta.url)))) {
  process.exit(0);
}
mkdirSync(dirname(out), { recursive: true });
await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2019'],
  outfile: out,
  legalComments: 'none',
  banner: { js: '/*! Apache ECharts 6 (custom build for Coop Atlas), Apache License 2.0, https://echarts.apache.org */' },
  logLevel: 'warning',
});
console.log(`built ${out} (${statSync(out).size} bytes)`);
