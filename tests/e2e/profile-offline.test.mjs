// The Profile view offline (issue 16 §1: "works offline like every view; the link restores it
// exactly"), with the network cut by `context.setOffline(true)` as offline.test.mjs does:
//  - after one online visit of the plain first page (the service worker keeps the data a view
//    fetched: the shown year and the one before), each profile link opened cold — a province's
//    (`p=`), a region's (`r=`), the whole dataset's — shows every section (figures, small trends
//    drawn, the composition drawn, the map locating the place, coverage, sources, the illustrative
//    label) with the online figures, and says which years it could not load instead of reading
//    "years with figures: 2023–2024" for a dataset of 2019–2024;
//  - after one online visit of a profile (every year fetched), each link offline is the profile
//    online, exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, withSite } from './harness.mjs';

const ROW = '[data-testid="profile-figures"] [data-testid="profile-row-htx_count"]';
const SECTIONS = ['profile-figures', 'profile-trends', 'profile-composition', 'profile-map', 'profile-coverage', 'profile-sources'];

/** Every section of the profile shown, drawn and filled; returns what a reader compares.
 *  `complete`: every year is there (the change since the first year is waited for). */
async function sections(page, query, complete = true) {
  await page.waitForSelector('[data-testid="app-ready"]', { state: 'attached', timeout: 20000 });
  await page.waitForSelector(complete ? `${ROW} [data-testid="profile-since-first"]` : '[data-testid="profile-unloaded"]', { timeout: 20000 });
  for (const s of SECTIONS) assert.ok(await page.$(`[data-testid="${s}"]`), `${query}: section ${s}`);
  // The charts are drawn (ECharts comes from the worker's cache too): a canvas with pixels.
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('[data-testid^="profile-trend-"], [data-testid="profile-composition-chart"]')];
    return charts.length >= 2 && charts.every((el) => {
      const c = el.querySelector('canvas');
      if (!c || c.width === 0) return false;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4 * 97) if (d[i] !== 0) return true;
      return false;
    });
  }, null, { timeout: 20000 });
  await page.waitForSelector('[data-testid="profile-map"] svg path.area', { timeout: 20000 });
  return page.evaluate(() => ({
    place: document.querySelector('[data-testid="profile-place"]').textContent,
    value: document.querySelector('[data-testid="profile-figures"] [data-testid="profile-row-htx_count"]').dataset.value,
    unloaded: document.querySelector('[data-testid="profile-unloaded"]')?.textContent ?? null,
    figures: [...document.querySelectorAll('[data-testid="profile-figures"] .profile-row')].map((r) => r.textContent),
    pressed: [...document.querySelectorAll('[data-testid="profile-map"] path[aria-pressed="true"]')].map((p) => p.dataset.code),
    coverage: document.querySelector('[data-testid="profile-coverage"]').textContent,
    sources: document.querySelector('[data-testid="profile-sources"]').textContent,
    illustrative: !!document.querySelector('[data-testid="profile-illustrative"]'),
  }));
}

test('a province, a region and the whole dataset: every section of the profile offline, as online', { timeout: 240000 }, async () => {
  await withSite(async ({ url, browser }) => {
    const links = ['?t=profile&p=19', '?t=profile&r=tdmnpb&l=en', '?t=profile'];
    // What each link shows online, in a context of its own (nothing of it in the other's cache).
    const online = {};
    {
      const ctx = await browser.newContext();
      const page = await openPage(ctx, null);
      for (const q of links) {
        await page.goto(url + q);
        online[q] = await sections(page, q);
      }
      await ctx.close();
    }

    const context = await browser.newContext();
    const page = await openPage(context, url);
    await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 60000 });
    // The worker installed (its precache is done before it controls the page); give it a moment
    // to store what the page fetched after that.
    await page.waitForTimeout(1500);
    await context.setOffline(true);
    for (const q of links) {
      await page.goto(url + q);
      const off = await sections(page, q, false);
      assert.equal(await page.isVisible('[data-testid="offline-badge"]'), true, `${q}: offline badge`);
      assert.equal(off.place, online[q].place, q);
      assert.equal(off.value, online[q].value, `${q}: the figure of the shown year`);
      assert.deepEqual(off.pressed, online[q].pressed, q);
      assert.equal(off.sources, online[q].sources, q);
      assert.match(off.unloaded, q.includes('l=en') ? /^The figures for 2019–2022 could not be loaded/ : /^Chưa tải được số liệu năm 2019–2022 /, q);
    }

    // Online again, one profile opened (every year fetched and kept), then offline: every link
    // restores its profile exactly.
    await context.setOffline(false);
    await page.goto(url + '?t=profile');
    await sections(page, 'online');
    await page.waitForTimeout(1500);
    await context.setOffline(true);
    for (const q of links) {
      await page.goto(url + q);
      assert.deepEqual(await sections(page, q), online[q], `${q}: the profile offline is the profile online`);
    }
    assert.match(online[links[0]].place, /Thái Nguyên/);
    assert.deepEqual(online[links[0]].pressed, ['19']);
    assert.match(online[links[1]].place, /Northern Midlands and Mountains/);
    assert.match(online[links[2]].place, /Toàn bộ dữ liệu/);
    for (const q of links) assert.ok(online[q].illustrative && online[q].figures.length >= 5 && online[q].unloaded === null, q);
    assert.deepEqual(page.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  });
});
