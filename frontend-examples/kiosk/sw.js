// The kiosk's Service Worker: the shell is precached and served from the
// network when it answers, from the cache when it does not (a reload while
// the network is down still boots); verified assets (cached by sync.js
// after their SHA-256 check) are served cache-first. Bundles, keys, events
// and heartbeats are not touched: sync.js keeps the last verified bundle
// itself and re-verifies it on boot.
const SHELL = 'mosaic-kiosk-shell-v1';
const ASSETS = 'mosaic-kiosk-assets-v1';
const KEEP = [SHELL, ASSETS, 'mosaic-kiosk-data-v1'];
const FILES = ['./', 'index.html', 'kiosk.js', 'budget.js', 'sync.js', 'live.js', 'style.css'];
const scope = new URL(self.registration.scope);
const shellPaths = new Set(FILES.map((f) => new URL(f, scope).pathname));

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(SHELL).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('mosaic-kiosk-') && !KEEP.includes(name)) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function shell(req) {
  const url = new URL(req.url);
  const key = url.pathname === scope.pathname ? new URL('./', scope).href : url.origin + url.pathname;
  try {
    const res = await fetch(req, { cache: 'no-cache' });
    if (res.ok) {
      const copy = res.clone();
      caches.open(SHELL).then((c) => c.put(key, copy)).catch(() => {});
      return res;
    }
    const hit = await caches.match(key, { cacheName: SHELL });
    return hit ?? res;
  } catch (err) {
    const hit = await caches.match(key, { cacheName: SHELL });
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener('fetch', (e) => {
  const req = e.request;
  // sync.js's own requests (no-store: verifying prefetches) go to the network.
  if (req.method !== 'GET' || req.cache === 'no-store') return;
  const url = new URL(req.url);
  if (url.origin === scope.origin && (req.mode === 'navigate' || shellPaths.has(url.pathname))) {
    e.respondWith(shell(req));
    return;
  }
  // Manifest assets: /assets/ URLs, or any media a page element loads.
  if (url.pathname.startsWith('/assets/') || ['image', 'video', 'audio'].includes(req.destination)) {
    e.respondWith(caches.match(req.url, { cacheName: ASSETS }).then((hit) => hit ?? fetch(req)));
  }
});
