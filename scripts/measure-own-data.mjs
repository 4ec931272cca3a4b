// Measures opening your own data in the release build, in headless Chromium: for a CSV with
// Vietnamese headers and a columnar JSON file of N rows, the time from picking the file to the
// dataset on screen, the longest the page stopped answering meanwhile (the largest gap between
// ticks of a 10 ms timer: what a tap on Cancel would wait), the longest main-thread task
// (PerformanceObserver "longtask": only tasks over 50 ms are reported, so "—" means none), and
// the page's wasm memory after the load (its peak: wasm memory never shrinks; the file is parsed
// in the own-data worker, whose memory goes when it is terminated).
// Usage: node scripts/measure-own-data.mjs [dist] [rows...]   (default: dist 100000 300000)
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, openPage, ROOT } from '../tests/e2e/harness.mjs';

const dist = process.argv[2] || join(ROOT, 'dist');
const sizes = process.argv.slice(3).map(Number).filter(Boolean);
const TMP = mkdtempSync(join(tmpdir(), 'coop-measure-'));
const PROVS = ['19', '06', '02', '10', '11', '04', '08', '15', '12', '14'];

function csv(n) {
  const out = ['Mã HTX;Tỉnh;Năm;Loại hình;Số lao động;Thu nhập bình quân;Doanh thu (triệu đồng);Ứng dụng công nghệ cao'];
  for (let i = 0; i < n; i++) {
    out.push(`M${i};${PROVS[i % 10]};${2019 + (i % 6)};${i % 3 ? 'HTX' : 'Tổ hợp tác'};${i % 40};${(4_000_000 + (i % 97) * 10_000).toLocaleString('de-DE')};${(i % 500) + 0.5};${i % 4 ? 'không' : 'có'}`.replace('.5;', ',5;'));
  }
  return out.join('\r\n');
}

function json(n) {
  const cols = { id: [], province: [], year: [], kind: [], workers: [], income: [] };
  for (let i = 0; i < n; i++) {
    cols.id.push(`J${i}`); cols.province.push(PROVS[i % 10]); cols.year.push(2019 + (i % 6));
    cols.kind.push(i % 3 ? 'htx' : 'tht'); cols.workers.push(i % 40); cols.income.push(4_000_000 + (i % 97) * 10_000);
  }
  return JSON.stringify({ format: 'coop-atlas/1', meta: { id: `measure-${n}`, title: 'Measure', source: { publisher: 'measure' }, boundary: 63 }, entities: cols });
}

const srv = await serve({ dir: dist });
const browser = await launch();
console.log(`own data, ${dist}`);
console.log('file'.padEnd(28) + 'MB'.padStart(8) + 'load ms'.padStart(10) + 'longest freeze ms'.padStart(20) +
  'longest task ms'.padStart(18) + 'page wasm MB'.padStart(15));
for (const n of sizes.length ? sizes : [100_000, 300_000]) {
  for (const [kind, text] of [['csv', csv(n)], ['json', json(n)]]) {
    const path = join(TMP, `rows-${n}.${kind}`);
    writeFileSync(path, text);
    const ctx = await browser.newContext();
    // The page's linear memory, from Trunk's start event (its detail carries the wasm exports).
    await ctx.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__appMemory = e.detail?.wasm?.memory; }));
    const page = await openPage(ctx, srv.url);
    await page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
        .observe({ type: 'longtask' });
      window.__gap = 0;
      let last = performance.now();
      window.__tick = setInterval(() => { const t = performance.now(); window.__gap = Math.max(window.__gap, t - last); last = t; }, 10);
    });
    const t0 = Date.now();
    await page.setInputFiles('[data-testid="file-input"]', path);
    await page.waitForSelector('[data-testid="file-accepted"], [data-testid="file-report"]', { timeout: 300000 });
    const ms = Date.now() - t0;
    const ok = await page.locator('[data-testid="file-accepted"]').count();
    // The dataset's first dashboard drawn: its cards carry the new figures.
    if (ok) await page.waitForFunction(() => new URL(location.href).searchParams.has('ld'));
    await page.waitForTimeout(500);
    const { gap, longest, memory } = await page.evaluate(() => ({
      gap: window.__gap, longest: window.__longest, memory: window.__appMemory?.buffer.byteLength ?? null,
    }));
    console.log(`${kind} ${n} rows${ok ? '' : ' (REFUSED)'}`.padEnd(28) + (text.length / 1e6).toFixed(1).padStart(8) + String(ms).padStart(10) + gap.toFixed(0).padStart(20) +
      (longest ? longest.toFixed(0) : '—').padStart(18) + (memory === null ? '—' : (memory / 1e6).toFixed(1)).padStart(15));
    await ctx.close();
  }
}
await browser.close();
srv.stop();
