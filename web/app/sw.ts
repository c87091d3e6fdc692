/// <reference lib="webworker" />
/**
 * The app shell, kept on the device: the page, its scripts and styles, so the app opens in the
 * field without a network. API calls are never cached here (the app keeps the day's data in
 * IndexedDB, per user); a page load tries the network first so an update reaches the user the
 * next time they are online.
 */
export {};
declare const self: ServiceWorkerGlobalScope;
declare const __BUILD__: string;

const SHELL = `staff-shell-${__BUILD__}`;

interface ManifestChunk {
  file: string;
  css?: string[];
  assets?: string[];
}

async function shellFiles(): Promise<string[]> {
  const files = new Set(["/", "/app.webmanifest"]);
  const response = await fetch("/manifest.json", { cache: "no-store" });
  const manifest = (await response.json()) as Record<string, ManifestChunk>;
  for (const chunk of Object.values(manifest)) {
    if (chunk.file !== "sw.js") files.add(`/${chunk.file}`);
    for (const file of [...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(`/${file}`);
  }
  return [...files];
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(await shellFiles());
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/config.json") return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match("/", { cacheName: SHELL })) ?? Response.error()),
    );
    return;
  }
  event.respondWith(
    (async () => (await caches.match(request, { cacheName: SHELL })) ?? fetch(request))(),
  );
});
