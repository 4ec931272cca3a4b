// Issue 15: every figure means what it says. Zero is zero, counts have whole classes, the official
// view speaks plainly in the reader's language, empty views explain themselves, the page title and
// preview follow the view, and a phone's first screen shows figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSite, openPage, ROOT } from './harness.mjs';


const site = useSite();

const DATASETS = ['dtts-mn-minh-hoa', 'gso-chinh-thuc'];
const SIZES = [{ width: 360, height: 740 }, { width: 1280, height: 800 }];

async function go(page, q) {
  await page.goto(site.url + q);
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
}

// ---- item 1 and 2: zero is zero, whole classes ------------------------------------------------

test('a count of zero is 0 in the table and the ranking, and its legend has one whole class per value', async () => {
  for (const lang of ['vi', 'en']) {
    const ctx = await site.browser.newContext({ viewport: SIZES[1] });
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
  // A chart wraps "Thái Nguyên" over two lines: names are matched across line breaks.
  let t = text.replace(/https?:\/\/\S+/g, ' ').replace(/\s+/g, ' ');
  for (const p of PLACES) t = t.replaceAll(p, ' ');
  t = t.replace(/\d+\/(\d{4}\/)?[A-ZĐ][A-Za-zĐ-]*/g, ' '); // 02/2022/TT-UBDT, 353/QĐ-TTg
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
  const ctx = await site.browser.newContext({ viewport: SIZES[1] });
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

// ---- item 3: empty and ignored filters explain themselves ------------------------------------------

test('an empty region says why and offers the way out; uncovered regions are offered disabled', async () => {
  for (const [lang, size] of [['vi', SIZES[0]], ['en', SIZES[1]]]) {
    const ctx = await site.browser.newContext({ viewport: size });
    const page = await openPage(ctx, null);
    await go(page, `?r=dnb&t=chart&l=${lang}`);
    const msg = await page.textContent('[data-testid="explanation"]');
    assert.match(msg, lang === 'vi' ? /Đông Nam Bộ.*28 tỉnh/ : /South[- ]?East.*28 provinces/i, msg);
    assert.equal(await page.locator('[data-testid="way-out"]').count(), 2);
    // Uncovered regions are disabled in the picker (the chosen one stays selectable).
    const disabled = await page.$$eval('[data-testid="region-select"] option', (o) => o.filter((x) => x.disabled).map((x) => x.value));
    assert.ok(disabled.includes('dbsh') && !disabled.includes('tn') && !disabled.includes('dnb'), disabled.join(','));
    // The first way out clears the area: the explanation goes, the figures come.
    await page.click('[data-testid="way-out"] >> nth=0');
    await page.waitForFunction(() => !/[?&]r=/.test(location.search));
    assert.equal(await page.locator('[data-testid="explanation"]').count(), 0);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  }
});

test('on published figures the kind and sector filters are disabled with the reason; a linked one says "not applied"', async () => {
  for (const lang of ['vi', 'en']) {
    const ctx = await site.browser.newContext({ viewport: SIZES[1] });
    const page = await openPage(ctx, null);
    await go(page, `?d=gso-chinh-thuc&l=${lang}`);
    await page.waitForSelector('[data-testid="rows-not-filterable"]');
    assert.ok(await page.isDisabled('[data-testid="kind-htx"]'));
    assert.ok(await page.isDisabled('[data-testid="sector-select"]'));
    await go(page, `?d=gso-chinh-thuc&k=htx&l=${lang}`);
    const chip = await page.textContent('[data-testid="chip"]');
    assert.match(chip, lang === 'vi' ? /không áp dụng/ : /not applied/, chip);
    await page.waitForSelector('[data-testid="explanation"]');
    await page.click('[data-testid="way-out"]');
    await page.waitForFunction(() => !/[?&]k=/.test(location.search));
    // A province without published figures: no card claims the year of a figure it does not have.
    await go(page, `?d=gso-chinh-thuc&p=19&y=2020&l=${lang}`);
    const cards = await page.$$eval('[data-testid^="kpi-"]', (cs) => cs.map((c) => ({ v: c.getAttribute('data-value'), t: c.textContent })));
    const empty = cards.filter((c) => c.v === null || c.v === '');
    assert.ok(empty.length > 0, 'some card has no figure for Thái Nguyên');
    for (const c of empty) assert.doesNotMatch(c.t, /Số liệu năm|Figures for \d{4}/, c.t);
    assert.deepEqual(page.errors, []);
    await ctx.close();
  }
});

// ---- item 8: smaller things ----------------------------------------------------------------------

test('63 → 34 → 63 keeps the chosen provinces in their order', async () => {
  const ctx = await site.browser.newContext({ viewport: SIZES[1] });
  const page = await openPage(ctx, null);
  await go(page, '?p=19~06');
  await page.click('[data-testid="boundary-34"]');
  await page.waitForFunction(() => /[?&]b=34/.test(location.search));
  assert.match(page.url(), /[?&]p=19(&|$)/);
  await page.click('[data-testid="boundary-63"]');
  await page.waitForFunction(() => !/[?&]b=34/.test(location.search));
  assert.match(page.url(), /[?&]p=19~06(&|$)/, page.url());
  await ctx.close();
});

test('with one year of data the year slider and "play" are hidden', async () => {
  const ctx = await site.browser.newContext({ viewport: SIZES[1] });
  const body = readFileSync(join(ROOT, 'tests/fixtures/own-good.json'));
  await ctx.route('https://so-lieu.example.vn/**', (route) => route.fulfill({
    status: 200, body, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*' },
  }));
  const page = await openPage(ctx, site.url + '?data=https://so-lieu.example.vn/one-year.json', { waitFor: '[data-testid="remote-banner"]' });
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached' });
  await page.waitForFunction(() => document.querySelector('[data-testid="year-field"]')?.hidden === true);
  assert.equal(await page.isVisible('[data-testid="year-play"]'), false);
  assert.equal(await page.isVisible('[data-testid="year-range"]'), false);
  // Six years: shown.
  await go(page, '?l=vi');
  assert.equal(await page.isVisible('[data-testid="year-play"]'), true);
  await ctx.close();
});

test('the page title follows the view, and the page has static og: tags for link previews', async () => {
  const ctx = await site.browser.newContext({ viewport: SIZES[1] });
  const page = await openPage(ctx, null);
  await go(page, '?i=qtdnd_count&p=19&y=2023');
  await page.waitForFunction(() => document.title.startsWith('Số quỹ tín dụng nhân dân · Thái Nguyên · 2023 — '));
  assert.match(await page.title(), /dữ liệu minh họa.* · Atlas Kinh tế tập thể$/);
  await go(page, '?i=qtdnd_count&r=tn&l=en');
  await page.waitForFunction(() => document.title.startsWith("People's credit funds · Central Highlands · 2024 — "));
  const html = readFileSync(join(ROOT, 'dist/index.html'), 'utf8');
  for (const p of ['og:title', 'og:description', 'og:image', 'og:type']) {
    assert.match(html, new RegExp(`<meta property="${p}" content="[^"]+"`), p);
  }
  assert.match(readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8'), /## Link previews in chat apps/);
  await ctx.close();
});

// ---- item 5: a phone's first screen shows figures ---------------------------------------------------

test('at 360 × 740 the first screen shows the dataset, the illustrative label with a way to official figures, and headline figures', async () => {
  for (const lang of ['vi', 'en']) {
    const ctx = await site.browser.newContext({ viewport: SIZES[0], isMobile: true, hasTouch: true });
    const page = await openPage(ctx, null);
    await go(page, `?l=${lang}`);
    const box = async (sel) => page.locator(sel).first().boundingBox();
    const H = 740;
    const W = 360;
    const title = await box('[data-testid="dataset-line"] .dataset-title');
    assert.ok(title && title.y + title.height <= H, `dataset name on the first screen: ${JSON.stringify(title)}`);
    const badge = await box('[data-testid="illustrative-label"]');
    assert.ok(badge && badge.y + badge.height <= H);
    const select = await box('[data-testid="dataset-select"]');
    assert.ok(select && select.x >= 0 && select.x + select.width <= W + 0.5, `selector inside the page: ${JSON.stringify(select)}`);
    // At least two headline figures whole on the first screen.
    const cards = await page.$$eval('[data-testid^="kpi-"]', (cs) => cs.map((c) => { const r = c.getBoundingClientRect(); return r.bottom; }));
    assert.ok(cards.filter((b) => b <= H).length >= 2, `cards end at ${cards.slice(0, 4).join(', ')}`);
    // The way to the official figures.
    const see = await box('[data-testid="see-official"]');
    assert.ok(see && see.y + see.height <= H);
    await page.click('[data-testid="see-official"]');
    await page.waitForFunction(() => /[?&]d=gso-chinh-thuc/.test(location.search));
    await page.waitForFunction(() => !document.querySelector('[data-testid="illustrative-label"]'));
    assert.deepEqual(page.errors, []);
    await ctx.close();
  }
});
