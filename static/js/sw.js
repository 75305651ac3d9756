// Service worker: the officer's pages and our static files open without a network.
// Pages: network first (fresh numbers when online), the last copy when offline; a page never
// saved gets the offline page, which says so and lists what is saved.
// Static files: cache first, by their fingerprinted URLs (tracker/assets.py): a changed file
// has a new URL, so no stale copy is ever served. Writes are never cached: offline.js queues them.
// BUILD (the static build's id) and STATIC_FILES are written above this line by the /sw.js
// route (tracker/main/views.py): a new build changes this file, so phones install the new
// worker, whose caches are named after the new build, and the old caches go.
"use strict";
/* global BUILD, STATIC_FILES */
const SHELL = `shell-${BUILD}`;
// offline.js drops every cache whose name starts with "pages-" at sign-out: keep the prefix.
const PAGES = `pages-${BUILD}`;
const OFFLINE = "/offline";
const OFFLINE_PAGES = ["/", "/contacts/new", "/enrollments/new", OFFLINE];

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
    // Never another page under this address (Today once stood in for every page): the offline
    // page, which lists what is saved.
    return (await pages.match(url.pathname)) || (await pages.match(OFFLINE)) ||
      new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
}

async function staticFile(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}
