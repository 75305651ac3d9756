// Service worker: the officer's pages and our static files open without a network.
// Pages: network first (fresh numbers when online), the last copy when offline.
// Static files: cache first. Writes are never cached: offline.js queues them instead.
"use strict";
const VERSION = "v3";  // bump when a cached static file changes (v3: offline.js, page purge)
const SHELL = `shell-${VERSION}`;
// offline.js drops every cache whose name starts with "pages-" at sign-out: keep the prefix.
const PAGES = `pages-${VERSION}`;
const STATIC_FILES = [
  "/static/vendor/bootstrap/bootstrap.min.css",
  "/static/vendor/bootstrap/bootstrap.bundle.min.js",
  "/static/css/app.css",
  "/static/js/app.js",
  "/static/js/fieldwork.js",
  "/static/js/offline.js",
  "/static/img/icon.svg",
  "/static/img/icon-192.png",
  "/manifest.webmanifest",
];
const OFFLINE_PAGES = ["/", "/contacts/new", "/enrollments/new"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL);
    await shell.addAll(STATIC_FILES);
    const pages = await caches.open(PAGES);
    await Promise.all(OFFLINE_PAGES.map(async (path) => {
      try {
        const response = await fetch(path, { credentials: "same-origin" });
        if (response.ok && !response.redirected) await pages.put(path, response);
      } catch (error) { /* offline at install: pages are cached as they are visited */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== SHELL && key !== PAGES) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(staticFile(request));
  }
});

async function page(request, url) {
  const pages = await caches.open(PAGES);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected && OFFLINE_PAGES.includes(url.pathname)) {
      await pages.put(url.pathname, response.clone());
    }
    if (response.redirected && new URL(response.url).pathname === "/login") {
      // signed out: no page of the previous user stays cached
      for (const key of await pages.keys()) await pages.delete(key);
    }
    return response;
  } catch (error) {
    return (await pages.match(url.pathname)) || (await pages.match("/")) ||
      new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function staticFile(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}
