// Keeps the tips page's own files so the page opens without a network (what is typed is
// kept by the page itself). Network first, the copy when offline; API calls other than the
// gazetteer are never cached.
'use strict';
const CACHE = 'tw-tips-1';
const FILES = ['/tips/', '/tips/tips.js', '/tips/tips.css', '/api/tips/places'];
self.addEventListener('install', (e) => e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).catch(() => {})));
self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin) return;
  if (!(url.pathname.startsWith('/tips') || url.pathname === '/api/tips/places')) return;
  e.respondWith(fetch(e.request).then((r) => {
    if (r.ok) { const copy = r.clone(); caches.open(CACHE).then((c) => c.put(url.pathname === '/tips' ? '/tips/' : e.request, copy)); }
    return r;
  }).catch(() => caches.match(url.pathname === '/tips' ? '/tips/' : e.request, { ignoreSearch: true })));
});
