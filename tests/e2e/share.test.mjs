// End-to-end tests of sharing a view whose data exists only on this device (issue 15 item 6), in
// Chromium against the release build. The sender: Share on a dataset opened from a file says
// first that the data is only on this device, then offers the link with the file attached (the
// Web Share API, mocked with an init script since headless Chromium has none) or the file to
// download and send with the link. The receiver (a fresh context, no IndexedDB) opening the link
// sees one message naming the file to ask for, with a way to open it, and nothing half-loaded,
// in both languages and at phone and desktop widths; opening the file shows the view.
// COOP_DIST=/path serves another build (default dist/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useSite, openPage, kpi, ROOT } from './harness.mjs';

const FIX = join(ROOT, 'tests/fixtures');

const site = useSite();

/** A Web Share API level 2 that records what it was given; `files` says whether canShare accepts files. */
function mockShare(files) {
  return `(() => {
    window.__shared = [];
    navigator.canShare = (d) => ${files} && !!(d && d.files && d.files.length);
    navigator.share = async (d) => {
      const out = { url: d.url, title: d.title, files: [] };
      for (const f of d.files || []) out.files.push({ name: f.name, type: f.type, text: await f.text() });
      window.__shared.push(out);
    };
  })()`;
}

/** Opens the CSV fixture (dataset id own-good-vi) in `page` and waits until the view shows it. */
async function openOwnCsv(page) {
  await page.setInputFiles('[data-testid="file-input"]', join(FIX, 'own-good-vi.csv'));
  await page.waitForSelector('[data-testid="file-accepted"]', { timeout: 20000 });
  await page.waitForFunction(() => new URL(location.href).searchParams.get('ld') === 'own-good-vi');
  // Kept on the device (the list comes from IndexedDB once written).
  await page.waitForSelector('[data-testid="stored-list"] tr[data-stored="own-good-vi"]');
}

test('Share on a file-only dataset says so and shares the link with the file attached', async () => {
  const ctx = await site.browser.newContext();
  await ctx.addInitScript(mockShare(true));
  const page = await openPage(ctx, site.url);
  await openOwnCsv(page);
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-local"]');
  assert.equal(await page.getAttribute('[data-testid="share-local"]', 'role'), 'dialog');
  assert.match(await page.textContent('[data-testid="share-local"]'), /Dữ liệu này chỉ có trên thiết bị này/);
  assert.match(await page.textContent('[data-testid="share-device-only"]'), /không thấy số liệu/);
  // Nothing was copied silently: no "link copied" message.
  assert.equal(await page.locator('[data-testid="flash"]').count(), 0);
  await page.waitForSelector('[data-testid="share-with-file"]');
  await page.click('[data-testid="share-with-file"]');
  await page.waitForFunction(() => window.__shared.length === 1);
  const shared = await page.evaluate(() => window.__shared[0]);
  assert.equal(shared.files.length, 1);
  assert.equal(shared.files[0].name, 'own-good-vi.json', 'a CSV is sent in its checked JSON form');
  assert.equal(shared.files[0].type, 'application/json');
  const sent = JSON.parse(shared.files[0].text);
  assert.equal(sent.meta.id, 'own-good-vi', 'the file carries the id the link names');
  const link = new URL(shared.url);
  assert.equal(link.searchParams.get('ld'), 'own-good-vi');
  assert.equal(link.searchParams.get('ln'), 'own-good-vi.json');
  assert.ok(shared.title && shared.title.length > 0);
  await page.waitForSelector('[data-testid="flash"]');
  assert.match(await page.textContent('[data-testid="flash"]'), /Đã chia sẻ liên kết kèm tệp/);
  assert.equal(await page.locator('[data-testid="share-local"]').count(), 0, 'the dialog closes once shared');
  assert.deepEqual(page.errors, []);
  await ctx.close();
});

test('where files cannot be shared, Share offers the file to download with the link (vi and en)', async () => {
  const ctx = await site.browser.newContext({ acceptDownloads: true });
  await ctx.addInitScript(mockShare(false));
  const page = await openPage(ctx, site.url);
  await openOwnCsv(page);
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="share-download"]');
  assert.equal(await page.locator('[data-testid="share-with-file"]').count(), 0, 'no attach button where canShare refuses files');
  assert.match(await page.textContent('[data-testid="share-local"]'), /own-good-vi\.json/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="share-download"]')]);
  assert.equal(download.suggestedFilename(), 'own-good-vi.json');
  const body = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(body.meta.id, 'own-good-vi');
  assert.equal(body.format, 'coop-atlas/1');
  // The same dialog in English.
  await page.click('[data-testid="lang-toggle"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="share-local"]')?.textContent.includes('only on this device'));
  assert.match(await page.textContent('[data-testid="share-download"]'), /Download the file to send with the link/);
  await page.click('[data-testid="share-close"]');
  assert.equal(await page.locator('[data-testid="share-local"]').count(), 0);
  // A bundled dataset is shared as before: a link, no dialog.
  await page.selectOption('[data-testid="dataset-select"]', 'dtts-mn-minh-hoa');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('ld'));
  await page.click('[data-testid="share"]');
  await page.waitForSelector('[data-testid="flash"]');
  assert.equal(await page.locator('[data-testid="share-local"]').count(), 0);
  await ctx.close();
});

const NAME = 'Hợp tác xã Thái Nguyên 2024.json';
for (const lang of ['vi', 'en']) {
  for (const width of [360, 1280]) {
    test(`the receiver without the data sees one message naming the file (${lang}, ${width} px)`, async () => {
      const ctx = await site.browser.newContext({ viewport: { width, height: width < 600 ? 740 : 800 } });
      const url = `${site.url}?ld=own-good-vi&ln=${encodeURIComponent(NAME)}${lang === 'en' ? '&l=en' : ''}`;
      const page = await openPage(ctx, url, { waitFor: '[data-testid="missing-dataset"]' });
      const text = await page.textContent('[data-testid="missing-dataset"]');
      assert.match(text, lang === 'vi' ? /chỉ có trên thiết bị của người gửi/ : /only on the sender's device/);
      assert.ok(text.includes(`“${NAME}”`), text);
      assert.match(text, lang === 'vi' ? /Hãy xin người gửi tệp/ : /Ask the sender for the file/);
      assert.equal(await page.getAttribute('[data-testid="missing-dataset"]', 'role'), 'alert');
      // Give a half-loaded page time to show itself.
      await page.waitForTimeout(1500);
      assert.equal(await page.locator('[role="alert"]').count(), 1, 'one message');
      assert.equal(await page.locator('.status-line').count(), 0, 'no loading line');
      assert.equal(await page.locator('[role="tablist"], [data-testid="class-select"], [data-testid="map-download-png"]').count(), 0, 'no map toolbar or tabs');
      assert.equal(await page.locator('[data-testid="app-ready"], [data-testid="dataset-line"], [data-testid="illustrative-label"]').count(), 0);
      assert.equal(await page.inputValue('[data-testid="dataset-select"]'), 'local:own-good-vi');
      const shown = await page.$eval('[data-testid="dataset-select"]', (s) => s.options[s.selectedIndex].textContent);
      assert.ok(shown.includes(NAME), shown);
      assert.doesNotMatch(shown, /minh họa|illustrative|Dân tộc thiểu số/i);
      assert.match(await page.title(), lang === 'vi' ? /Atlas Kinh tế tập thể/ : /Coop Atlas/);
      // The way forward is on the message, and the message fits the screen.
      assert.equal(await page.locator('[data-testid="missing-dataset"] [data-testid="missing-file-input"]').count(), 1);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page scrolls sideways');
      assert.match(page.url(), /ld=own-good-vi/);
      assert.deepEqual(page.errors, []);
      await ctx.close();
    });
  }
}

test('the receiver opens the file from the message and sees the view the link describes', async () => {
  const ctx = await site.browser.newContext();
  const page = await openPage(ctx, `${site.url}?ld=own-good-vi&ln=own-good-vi.json&t=table`, { waitFor: '[data-testid="missing-dataset"]' });
  await page.setInputFiles('[data-testid="missing-file-input"]', join(FIX, 'own-good-vi.csv'));
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 30000 });
  assert.equal(await kpi(page, 'htx_count'), 20);
  assert.equal(await page.locator('[data-testid="missing-dataset"]').count(), 0);
  const q = new URL(page.url()).searchParams;
  assert.equal(q.get('ld'), 'own-good-vi');
  assert.equal(q.get('t'), 'table', 'the rest of the view is kept');
  await ctx.close();
});
