// Issue 15: every figure means what it says. Zero is zero, counts have whole classes, the official
// view speaks plainly in the reader's language, empty views explain themselves, the page title and
// preview follow the view, and a phone's first screen shows figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve, launch, openPage, ROOT } from './harness.mjs';

let srv;
let browser;

before(async () => {
  srv = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  srv?.stop();
});

const DATASETS = ['dtts-mn-minh-hoa', 'gso-chinh-thuc'];
const SIZES = [{ width: 360, height: 740 }, { width: 1280, height: 800 }];

async function go(page, q) {
  await page.goto(srv.url + q);
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
}

// ---- item 1 and 2: zero is zero, whole classes ------------------------------------------------

test('a count of zero is 0 in the table and the ranking, and its legend has one whole class per value', async () => {
  for (const lang of ['vi', 'en']) {
    const ctx = await browser.newContext({ viewport: SIZES[1] });
    const page = await openPage(ctx, null);
    await go(page, `?i=qtdnd_count&l=${lang}`);
    await page.waitForSelector('[data-testid="map-legend"] li');
    const legend = await page.$$eval('[data-testid="map-legend"] li', (li) => li.map((l) => l.textContent.trim()));
    const noData = lang === 'vi' ? 'Không có số liệu' : 'No data';
    const classes = legend.filter((t) => !t.includes(noData));
    // Values are whole numbers: no "1,2" / "1.2" bound, no range when each value is its own class.
    assert.ok(classes.length >= 2, legend.join(' | '));
    for (const c of classes) assert.match(c, /^\d+$/, `a class of a count names one whole value: ${legend.join(' | ')}`);
    assert.equal(classes[0], '0', `zero is the lowest class: ${legend.join(' | ')}`);
    // The table: every province the dataset covers has a figure; the ones without a fund read 0.
    await page.click('[data-testid="tab-table"]');
    await page.waitForSelector('[data-testid="data-table"] tbody tr');
    const cells = await page.$$eval('[data-testid="data-table"] thead th', (ths) => ths.map((t) => t.getAttribute('data-col')));
    const col = cells.indexOf('qtdnd_count');
    assert.ok(col > 0, cells.join(','));
    const texts = await page.$$eval('[data-testid="data-table"] tbody tr', (rows, col) =>
      rows.map((r) => r.children[col].textContent.trim()), col);
    assert.equal(texts.length, 28, 'the 28 provinces of the dataset');
    assert.ok(texts.includes('0'), texts.join(','));
    assert.ok(!texts.includes(noData), `no covered province reads "${noData}": ${texts.join(',')}`);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  }
});

// ---- item 4: each language speaks only itself -----------------------------------------------------

/** Province names (63 and 34), the archipelagos: proper nouns an English text may carry. */
function placeNames() {
  const csv = readFileSync(join(ROOT, 'src/engine/data/province_crosswalk_2025.csv'), 'utf8').trim().split('\n').slice(1);
  const names = new Set(['Hoàng Sa', 'Trường Sa', 'Việt Nam']);
  for (const line of csv) {
    const f = line.split(',');
    names.add(f[1]);
    names.add(f[3]);
  }
  // Both accent placements ("Hoà Bình" / "Hòa Bình").
  const swaps = [['oà', 'òa'], ['oá', 'óa'], ['oả', 'ỏa'], ['uỳ', 'ùy'], ['uý', 'úy'], ['oạ', 'ọa']];
  for (const n of [...names]) {
    for (const [a, b] of swaps) {
      if (n.includes(a)) names.add(n.replaceAll(a, b));
      if (n.includes(b)) names.add(n.replaceAll(b, a));
    }
  }
  return [...names].sort((a, b) => b.length - a.length);
}

const PLACES = placeNames();
const EN_WORDS = ['the', 'of', 'and', 'with', 'from', 'via', 'found', 'expected', 'confidence', 'source', 'scrape',
  'records', 'count', 'class', 'kind', 'share', 'workers', 'income', 'members', 'figures', 'data', 'not', 'for',
  'province', 'provinces', 'cooperative', 'cooperatives', 'year', 'true', 'false', 'sum'];
const VI_MARKS = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐ]/i;
const VI_ABBREV = /\b(HTX|THT|QTDND|KTTT|TCTK|SXKD|DTTS|NTM)\b/;

/** What in `text` (a Vietnamese page's) is English, a file path or a field id. */
export function englishInVi(text) {
  const t = text.replace(/https?:\/\/\S+/g, ' ');
  const bad = [];
  for (const m of t.matchAll(/[\p{L}\p{N}_./-]+/gu)) {
    const w = m[0].replace(/^[./-]+|[./-]+$/g, '');
    if (EN_WORDS.includes(w.toLowerCase())) bad.push(w);
    else if (/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(w)) bad.push(w);
    else if (/\.(rs|csv|json|py|mjs)$/.test(w)) bad.push(w);
  }
  return bad;
}

/** What in `text` (an English page's) is Vietnamese, place names and legal document numbers aside. */
export function vietnameseInEn(text) {
  let t = text.replace(/https?:\/\/\S+/g, ' ');
  for (const p of PLACES) t = t.replaceAll(p, ' ');
  t = t.replace(/\b\d+\/(\d{4}\/)?[A-ZĐ]+(-[A-ZĐ]+)*\b/g, ' '); // 02/2022/TT-UBDT, 353/QĐ-TTg
  const bad = [];
  for (const m of t.matchAll(/[\p{L}\p{N}&]+/gu)) {
    if (VI_MARKS.test(m[0]) || VI_ABBREV.test(m[0])) bad.push(m[0]);
  }
  return bad;
}

test('the language check finds what issue 15 saw, and spares place names', () => {
  assert.deepEqual(englishInVi('Nguồn: GSO PX-Web via third-party scrape: github …/final.csv (confidence: medium)'),
    ['via', 'scrape', 'final.csv', 'confidence']);
  assert.deepEqual(englishInVi('Đếm bản ghi loại htx; src/synth/illustrative.rs'), ['src/synth/illustrative.rs']);
  assert.deepEqual(englishInVi('cách chia lớp không hợp lệ (class count: found "20")'), ['class', 'count', 'found']);
  assert.deepEqual(englishInVi('Σ(income × workers)'), ['income', 'workers']);
  assert.deepEqual(englishInVi('Tổng cục Thống kê, Hà Nội 1.187 HTX — https://pxweb.gso.gov.vn/a_b.csv'), []);
  assert.deepEqual(vietnameseInEn('Cooperatives in Hà Nội, Đắk Lắk and Hòa Bình (Decision 353/QĐ-TTg)'), []);
  assert.deepEqual(vietnameseInEn('Source: Tổng cục Thống kê (confidence: medium)'), ['Tổng', 'cục', 'Thống', 'kê']);
  assert.deepEqual(vietnameseInEn('Number of HTX in the selection'), ['HTX']);
});

/** The text a reader sees: the page, minus identifiers (code), text marked as another language,
 * and citations quoted verbatim; plus the texts ECharts draws into its canvases. */
async function visibleText(page) {
  return page.evaluate(() => {
    const lang = document.documentElement.lang;
    const root = document.querySelector('main') || document.body;
    const clone = document.body.cloneNode(true);
    for (const el of clone.querySelectorAll('code, [data-verbatim], script, style, noscript, [hidden]')) el.remove();
    for (const el of clone.querySelectorAll('[lang]')) if (!el.getAttribute('lang').startsWith(lang)) el.remove();
    // Closed <details> content is one step further, but it too must be in the reader's language.
    const parts = [clone.innerText || clone.textContent];
    for (const el of clone.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (el.getAttribute(a)) parts.push(el.getAttribute(a));
    }
    for (const div of document.querySelectorAll('[_echarts_instance_]')) {
      const inst = globalThis.echarts?.getInstanceByDom(div);
      if (!inst) continue;
      for (const e of inst.getZr().storage.getDisplayList()) if (e.style && e.style.text) parts.push(String(e.style.text));
    }
    void root;
    return parts.join('\n');
  });
}

test('every tab of every bundled dataset speaks only the reader\'s language (no English, path or field id in Vietnamese, no Vietnamese in English)', async () => {
  const ctx = await browser.newContext({ viewport: SIZES[1] });
  const page = await openPage(ctx, null);
  const problems = [];
  const views = ['t=map', 't=chart&ch=rank', 't=chart&ch=trend', 't=chart&ch=mix', 't=chart&ch=compare', 't=table', 't=sources'];
  for (const d of DATASETS) {
    for (const lang of ['vi', 'en']) {
      for (const v of [...views, 't=map&c=eq20', 't=map&r=dnb']) {
        await go(page, `?d=${d}&l=${lang}&${v}`);
        await page.waitForTimeout(400); // charts draw after the first frame
        const text = await visibleText(page);
        const bad = lang === 'vi' ? englishInVi(text) : vietnameseInEn(text);
        if (bad.length) problems.push(`${d} ${lang} ${v}: ${[...new Set(bad)].slice(0, 12).join(', ')}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  await ctx.close();
});
