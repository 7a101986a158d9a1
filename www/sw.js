// The service worker: keeps one build of the site on the device so that every
// article, search and shared link works with no network.
//
// `cargo xtask build` writes the build's id and the list of its files, with
// their SHA-256, in place of the placeholder below; that list is the only one
// (no hand-kept list). Each build has its own cache, filled in full at install
// and checked against those hashes, so a new deploy installs beside the old
// one; it takes over when the reader accepts it (the page offers
// "Nouvelle version disponible — recharger"), and then the old caches go.
//
//   fingerprinted files (name.HASH.ext)  cache first: their content never changes
//   pages (navigations)                  network first, offline the cached page of the
//                                        address (a folder's index.html; 404.html for an
//                                        address the site does not have)
//   index.bin                            cached copy if the page asks for this
//                                        build's index (X-Lecteur-Build), else network
//   anything else                        network, untouched

const PRECACHE = /* LECTEUR_PRECACHE */ { build: 'dev', files: [] };

/** The folder the site lives in, e.g. `/lecteur/sous-dossier/`. */
const SCOPE = new URL(self.registration.scope).pathname;
/**
 * This site's caches, one per build, named by the site's folder: two copies of the reader
 * under two folders of one host keep their own, and one never deletes the other's.
 */
const CACHE_PREFIX = `lecteur:${SCOPE}:`;
const CACHE = CACHE_PREFIX + PRECACHE.build;
const FILES = new Map(PRECACHE.files.map((file) => [file.path, file]));

async function sha256(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Fetches every file of the build past the HTTP cache and keeps it if its hash matches. */
async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(
    PRECACHE.files.map(async (file) => {
      const response = await fetch(new Request(file.path, { cache: 'reload' }));
      if (!response.ok) throw new Error(`${file.path}: ${response.status}`);
      const body = await response.clone().arrayBuffer();
      if ((await sha256(body)) !== file.sha256) {
        // Half of a deploy: try again at the next update check.
        throw new Error(`${file.path} is not the file of build ${PRECACHE.build}`);
      }
      await cache.put(file.path, response);
    }),
  );
}

self.addEventListener('install', (event) => event.waitUntil(precache()));

// No clients.claim(): a page that loaded without the worker already holds all it needs, and
// the next navigation is the worker's anyway. Once active, the other builds' caches go.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      ),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'activer') self.skipWaiting();
});

/** The page that answers the address `path` (relative to the site's root) of a navigation. */
function pageOf(path) {
  const asked = path === '' || path.endsWith('/') ? `${path}index.html` : path;
  if (FILES.has(asked)) return asked;
  if (FILES.has(`${path}/index.html`)) return `${path}/index.html`;
  return '404.html';
}

async function cached(path) {
  const cache = await caches.open(CACHE);
  return cache.match(path);
}

async function cacheFirst(request, path) {
  return (await cached(path)) || fetch(request);
}

async function networkFirst(request, path) {
  try {
    return await fetch(request);
  } catch (offline) {
    const copy = await cached(path);
    if (copy) return copy;
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith(SCOPE)) return;
  const path = url.pathname.slice(SCOPE.length);
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, pageOf(path)));
    return;
  }
  const file = FILES.get(path);
  if (!file) return;
  if (path === 'index.bin') {
    const mine = request.headers.get('X-Lecteur-Build') === PRECACHE.build;
    event.respondWith(mine ? cacheFirst(request, path) : fetch(request));
  } else if (file.fingerprinted) {
    event.respondWith(cacheFirst(request, path));
  } else {
    event.respondWith(networkFirst(request, path));
  }
});
