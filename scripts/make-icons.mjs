// Draws the app icons (public/icons/*.png and icon.svg) from code, so they are reproducible and need
// no image tool: a rounded square in the brand green with three white bars rising (a cooperative's
// figures growing) over a baseline. PNGs are written with node's zlib (palette-free RGBA, filter 0),
// flat colours keep each one a few KB. `maskable` fills the whole square (the launcher crops it).
// Usage: node scripts/make-icons.mjs   (rewrites public/icons/)
import { writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const GREEN = [0x0b, 0x5d, 0x4b];
const GOLD = [0xf2, 0xc1, 0x4e];
const WHITE = [0xff, 0xff, 0xff];

/** The icon in unit coordinates: returns [r,g,b,a] at (x, y) in [0,1)². */
function shade(x, y, maskable) {
  const inset = maskable ? 0 : 0.04;
  const radius = maskable ? 0 : 0.18;
  const lo = inset, hi = 1 - inset;
  if (x < lo || x > hi || y < lo || y > hi) return [0, 0, 0, 0];
  const cx = Math.min(Math.max(x, lo + radius), hi - radius);
  const cy = Math.min(Math.max(y, lo + radius), hi - radius);
  if ((x - cx) ** 2 + (y - cy) ** 2 > radius ** 2) return [0, 0, 0, 0];
  // Content lives in the central 60 % so a maskable crop (safe zone: 80 % circle) keeps it.
  const bars = [[0.27, 0.62], [0.44, 0.48], [0.61, 0.33]];
  for (const [bx, top] of bars) if (x >= bx && x < bx + 0.12 && y >= top && y < 0.72) return [...WHITE, 255];
  if (x >= 0.24 && x < 0.76 && y >= 0.74 && y < 0.78) return [...GOLD, 255];
  return [...GREEN, 255];
}

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, maskable) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      // 2×2 supersampling smooths the rounded corners.
      const acc = [0, 0, 0, 0];
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const p = shade((x + dx) / size, (y + dy) / size, maskable);
        for (let i = 0; i < 3; i++) acc[i] += p[i] * p[3];
        acc[3] += p[3];
      }
      const a = acc[3] / 4;
      for (let i = 0; i < 3; i++) row[1 + x * 4 + i] = a ? Math.round(acc[i] / acc[3]) : 0;
      row[1 + x * 4 + 3] = Math.round(a);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect x="4" y="4" width="92" height="92" rx="18" fill="#0b5d4b"/><path fill="#fff" d="M27 62h12v10H27zM44 48h12v24H44zM61 33h12v39H61z"/><path fill="#f2c14e" d="M24 74h52v4H24z"/></svg>\n`;

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'icon.svg'), svg);
for (const size of [192, 512]) writeFileSync(join(OUT, `icon-${size}.png`), png(size, false));
writeFileSync(join(OUT, 'maskable-512.png'), png(512, true));
writeFileSync(join(OUT, 'apple-touch-icon.png'), png(180, true));
console.log(`icons written to ${OUT}`);
