// Coop Atlas service worker, written for this app (no Workbox). This file is a template:
// scripts/postbuild.mjs writes dist/sw.js from it with the build's VERSION and the PRECACHE list
// (every hashed build file, the HTML, the catalogue, the shapes, the manifest and icons), so
// nothing here is listed by hand and a new build always yields a new worker byte for byte — which
// is how the browser notices a new release.
//
// Strategy, and why:
// - install: fetch PRECACHE into the cache of this VERSION. Hashed files never change under their
//   name, so they are cache-first forever. Dataset files the previous version had cached are copied
//   over by fetching them again (best effort): a user who fetched a year keeps it offline after an
//   update, and the new cache never holds a file of the old version.
// - activate: delete every other Coop Atlas cache (older versions), then take control of open pages
//   (on a first visit this lets the page's later fetches — other years, the other map — be cached).
//   A waiting worker activates only when the page asks (the "new version is ready" prompt) or when
//   every page of the old version is closed, so an open page never gets files of two versions.
// - fetch: hashed files cache-first; the HTML (the app's page, whatever its query string: shared
//   links) and datasets/shapes stale-while-revalidate. A revalidated HTML whose version differs from
//   this worker's is not stored; it means a release is out, so the worker asks for an update instead.
'use strict';

const VERSION = '__COOP_ATLAS_VERSION__';
const PRECACHE = __COOP_ATLAS_PRECACHE__;
const PREFIX = 'coop-atlas-';
const CACHE = PREFIX + VERSION;
/** Header added to every stored response: when it came from the network ("data last refreshed"). */
const STORED_AT = 'x-coop-stored-at';

const scopeUrl = new URL(self.registration.scope);
const HTML_KEY = new URL('index.html', scopeUrl).href;
// Trunk writes its content hash as a u64 in hex without leading zeros: 1 to 16 digits. The map's
// picture in the pre-rendered first view (scripts/prerender.mjs) is `prerender-map-<hash>.svg`.
const HASHED = /-[0-9a-f]{1,16}(_bg)?\.(wasm|js|css|svg)$/;

/** Same-origin path relative to the scope, or null when the URL is outside this app. */
function relPath(url) {
  if (url.origin !== scopeUrl.origin || !url.pathname.startsWith(scopeUrl.pathname)) return null;
  return url.pathname.slice(scopeUrl.pathname.length);
}

/** A copy of `response` that carries the time it was stored. */
async function stamp(response) {
  const headers = new Headers(response.headers);
  headers.set(STORED_AT, String(Date.now()));
  const body = await response.arrayBuffer();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** The version written into an HTML page by the build, or null. */
function htmlVersion(text) {
  const m = /<meta name="coop-atlas-version" content="([0-9a-f]+)"/.exec(text);
  return m ? m[1] : null;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // `no-cache` for the unhashed files: revalidated with the server (a 304 costs a few hundred
    // bytes), so the new cache never stores the HTTP cache's copy of the previous release.
    // The page itself is asked for at the scope's own URL (`./`), the address the browser just
    // loaded it from: the revalidation is then a 304 against that copy in the HTTP cache, not
    // the whole page again under the name `index.html` (≈ 4.6 KB of a first visit on 3G).
    await Promise.all(PRECACHE.map(async (path) => {
      const url = new URL(path, scopeUrl).href;
      const from = path === 'index.html' ? scopeUrl.href : url;
      const response = await fetch(from, { cache: HASHED.test(path) ? 'default' : 'no-cache' });
      if (!response.ok) throw new Error(`precache ${path}: HTTP ${response.status}`);
      if (path === 'index.html') {
        const text = await response.clone().text();
        if (htmlVersion(text) !== VERSION) throw new Error(`precache index.html: version ${htmlVersion(text)}, expected ${VERSION}`);
      }
      await cache.put(url, await stamp(response));
    }));
    // Carry over what the user fetched with the previous version (dataset years, the other map).
    const listed = new Set(PRECACHE.map((p) => new URL(p, scopeUrl).href));
    for (const name of await caches.keys()) {
      if (!name.startsWith(PREFIX) || name === CACHE) continue;
      const old = await caches.open(name);
      for (const request of await old.keys()) {
        const rel = relPath(new URL(request.url));
        if (rel === null || listed.has(request.url) || HASHED.test(rel)) continue;
        try {
          const response = await fetch(request.url, { cache: 'no-cache' });
          if (response.ok) await cache.put(request.url, await stamp(response));
        } catch (_) { /* offline mid-install: that file is simply fetched again when next needed */ }
      }
    }
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const msg = event.data || {};
  if (msg.type === 'skip-waiting') {
    // The user chose "reload" on the update prompt: activate now; the page reloads on controllerchange.
    self.skipWaiting();
  } else if (msg.type === 'cache-urls' && Array.isArray(msg.urls)) {
    // Files the page fetched before this worker controlled it (first visit): store them so they
    // work offline. Revalidated, so an unchanged file costs a 304.
    event.waitUntil(cacheUrls(msg.urls));
  }
});

async function cacheUrls(urls) {
  const cache = await caches.open(CACHE);
  for (const u of urls) {
    let url;
    try { url = new URL(u, scopeUrl); } catch (_) { continue; }
    const rel = relPath(url);
    if (rel === null || !/^(data|geo)\//.test(rel)) continue;
    url.search = '';
    if (await cache.match(url.href)) continue;
    // The page fetched these moments ago, so the browser's HTTP cache has them: `force-cache`
    // takes them from there, with no request at all. Revalidating instead would fail when the
    // connection has just dropped (common on 3G), and the data on screen would then be missing
    // offline.
    try {
      const response = await fetch(url.href, { cache: 'force-cache' });
      if (response.ok) await cache.put(url.href, await stamp(response));
    } catch (_) { /* neither cached nor reachable: fetched again when next needed */ }
  }
}

/** What the browser's own HTTP cache holds for `key`, without the network (rejects when nothing). */
async function fromHttpCache(key) {
  const response = await fetch(key, { cache: 'only-if-cached', mode: 'same-origin' });
  if (!response.ok) throw new Error(`${key}: not in the HTTP cache`);
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const rel = relPath(url);
  if (rel === null) return; // other sites (a `?data=` link): the network, never stored
  if (rel === '' || rel === 'index.html') {
    // The app's page, whatever its query string (a shared link is `./?d=…&y=…`).
    event.respondWith(html(event));
  } else if (HASHED.test(rel) || /^vendor\//.test(rel)) {
    event.respondWith(cacheFirst(url.href));
  } else if (/^(data|geo|icons)\//.test(rel) || rel === 'manifest.webmanifest') {
    url.search = '';
    event.respondWith(staleWhileRevalidate(event, url.href));
  }
});

async function cacheFirst(key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  if (hit) return hit;
  const response = await fetch(key);
  if (response.ok) await cache.put(key, await stamp(response.clone()));
  return response;
}

async function staleWhileRevalidate(event, key) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(key);
  const refresh = fetch(key, { cache: 'no-cache' }).then(async (response) => {
    if (response.ok) await cache.put(key, await stamp(response.clone()));
    return response;
  });
  if (hit) {
    event.waitUntil(refresh.catch(() => {}));
    return hit;
  }
  // Not stored yet and no network (the worker took over a moment before the connection dropped,
  // before the page handed it what it had fetched): the copy the browser's HTTP cache still holds
  // is the file the page showed, so serve and keep it.
  return refresh.catch(async (error) => {
    const cached = await fromHttpCache(key).catch(() => { throw error; });
    await cache.put(key, await stamp(cached.clone()));
    return cached;
  });
}

async function html(event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(HTML_KEY);
  // Revalidated at the scope's own URL, as at install (a 304 against the browser's copy), and
  // stored under HTML_KEY.
  const refresh = fetch(scopeUrl.href, { cache: 'no-cache' }).then(async (response) => {
    if (!response.ok) return response;
    const text = await response.clone().text();
    if (htmlVersion(text) === VERSION) {
      await cache.put(HTML_KEY, await stamp(response.clone()));
    } else {
      // A new release is on the server: let the browser install its worker (the page then offers
      // to reload). Never store or serve that HTML from this version's cache.
      await self.registration.update().catch(() => {});
    }
    return response;
  });
  if (hit) {
    event.waitUntil(refresh.catch(() => {}));
    return hit;
  }
  return refresh;
}
