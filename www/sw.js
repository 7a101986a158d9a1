// The service worker: keeps one build of the site on the device so that every
// article, search and shared link works with no network.
//
// `cargo xtask build` writes the build's id and the list of its files, with
// the first 16 hex digits of their SHA-256 and their size, in place of the
// placeholder below; that list is the only one (no hand-kept list). Each build
// has its own caches (several for a large one: see FILES_PER_CACHE), checked
// against those hashes, so a new deploy installs beside the old one; it takes over when
// the reader accepts it (the page offers "Nouvelle version disponible —
// recharger"), and then the old caches go.
//
// The install fills the cache with the files the list marks `install`: all of
// them, unless the site is an archive (xtask/src/fingerprint.rs decides), whose
// articles and index are kept as they are used (an article read, the index of a
// first search), or all at once when the reader asks for the whole archive (the
// page's "Télécharger l'archive pour la lecture hors ligne", through
// www/main.js: see "The archive's download" below).
//
//   fingerprinted files (name.HASH.ext)  cache first: their content never changes
//   pages (navigations)                  network first, offline the cached page of the
//                                        address (a folder's index.html; 404.html for an
//                                        address the site does not have)
//   index.bin, a/SLUG/texte.json,        cached copy if the engine asks for this
//   i/N.bin, l/N.json (an archive's      build's (X-Lecteur-Build), else network
//   index parts and list's excerpts)
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
/**
 * Files per cache at most. Chromium refuses to list a cache of about 20,000 entries
 * (`keys()`: "Operation too large"), which an archive of 10,000 articles (a page and a text
 * each) reaches; so a large build's copy is spread over several caches, a file's cache chosen
 * by a hash of its path. The first is named by the build alone: a smaller site has only it.
 */
const FILES_PER_CACHE = 5000;
const CACHES = Array.from(
  { length: Math.max(1, Math.ceil(PRECACHE.files.length / FILES_PER_CACHE)) },
  (_, shard) => (shard === 0 ? CACHE : `${CACHE}:${shard}`),
);

/** The cache of this build that holds `path` (FNV-1a of the path, among `CACHES`). */
function cacheOf(path) {
  let hash = 0x811c9dc5;
  for (const char of path) hash = Math.imul(hash ^ char.codePointAt(0), 0x01000193) >>> 0;
  return caches.open(CACHES[hash % CACHES.length]);
}

async function sha256(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * An error of the archive's download, with the code the page explains it by
 * (core/src/offline.rs); not `code`, which a DOMException has too.
 */
function failure(code, message) {
  return Object.assign(new Error(message), { failure: code });
}

/**
 * Keeps `response` as the cached copy of `file` if it is the file of this build (its hash
 * matches); a response of another deploy (the server was updated meanwhile) is refused.
 */
async function keep(file, response) {
  const body = await response.clone().arrayBuffer();
  // The list carries the first digits of each hash (xtask/src/fingerprint.rs, LIST_HASH_LEN).
  if (!(await sha256(body)).startsWith(file.sha256)) {
    throw failure('version', `${file.path} is not the file of build ${PRECACHE.build}`);
  }
  try {
    await (await cacheOf(file.path)).put(file.path, response);
  } catch (error) {
    throw error?.name === 'QuotaExceededError' ? failure('place', error.message) : error;
  }
  stored?.add(file.path);
}

/**
 * Downloads `file` and keeps it: past the HTTP cache (`reload`), from it if it has the file
 * (`reuse`: what the page has just fetched, which a host without conditional requests would
 * send again whole; a copy of another build fails the hash and is fetched afresh), or else
 * revalidating what it has.
 */
async function download(file, { reload = false, reuse = false, signal } = {}) {
  let response;
  const mode = reload ? 'reload' : reuse ? 'force-cache' : 'no-cache';
  try {
    response = await fetch(new Request(file.path, { cache: mode, signal }));
  } catch (error) {
    throw signal?.aborted ? error : failure('reseau', `${file.path}: ${error.message}`);
  }
  if (!response.ok) throw failure('serveur', `${file.path}: ${response.status}`);
  try {
    await keep(file, response);
  } catch (error) {
    if (reuse && error.failure === 'version') return download(file, { signal });
    throw error;
  }
}

/**
 * Fetches the install's files of the build past the HTTP cache (half of a deploy fails it: the
 * install is tried again at the next update check).
 */
async function precache() {
  await Promise.all(
    PRECACHE.files.filter((file) => file.install).map((file) => download(file, { reload: true })),
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
            .filter((key) => key.startsWith(CACHE_PREFIX) && !CACHES.includes(key))
            .map((key) => caches.delete(key)),
        ),
      ),
  );
});

// ## The archive's download
//
// The page asks `{ archive: 'etat' }` (how much of the build is on this device),
// `{ archive: 'telecharger' }` (download the rest), `{ archive: 'annuler' }`, and
// `{ archive: 'garder', address }` (keep the article shown, or the index searched); every
// window of the site hears `{ archive: { files, storedFiles, bytes, storedBytes, state,
// error } }` after each change (at most every REPORT_MS while downloading). The download
// skips what the cache holds, so a cancelled or interrupted one resumes where it stopped.
// It runs while the page keeps asking (www/main.js asks every little while): a service
// worker is stopped when no event keeps it, and no event may last for long.

/** How many files are downloaded at once. */
const PARALLEL = 6;
/** The longest between two reports of a running download. */
const REPORT_MS = 250;
/** How long one message from the page keeps the worker running a download. */
const KEEP_ALIVE_MS = 60 * 1000;

/** The paths this build's cache holds, once read (kept up to date by `keep`). */
let stored = null;
/** The download under way: its abort controller and the promise of its end. */
let running = null;
/** How the last download ended: 'idle' (none yet), 'done', 'cancelled' or 'failed'. */
let ended = 'idle';
/** The code of the last download's failure. */
let endedWith = null;
let lastReport = 0;

async function storedPaths() {
  if (!stored) {
    const lists = await Promise.all(
      CACHES.map(async (name) => (await caches.open(name)).keys()),
    );
    const paths = lists.flat().map((request) => new URL(request.url).pathname.slice(SCOPE.length));
    stored ??= new Set(paths);
  }
  return stored;
}

async function state() {
  const have = await storedPaths();
  const copy = { files: 0, storedFiles: 0, bytes: 0, storedBytes: 0 };
  for (const file of PRECACHE.files) {
    copy.files += 1;
    copy.bytes += file.size;
    if (have.has(file.path)) {
      copy.storedFiles += 1;
      copy.storedBytes += file.size;
    }
  }
  return {
    archive: PRECACHE.archive,
    ...copy,
    state: running ? 'running' : ended,
    error: running ? null : endedWith,
  };
}

/** Tells every window of the site (those the worker does not control yet too) where the copy is. */
async function report() {
  lastReport = Date.now();
  const archive = await state();
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) {
    client.postMessage({ archive });
  }
}

function downloadRest() {
  if (running) return running.done;
  const controller = new AbortController();
  const work = async () => {
    const have = await storedPaths();
    const missing = PRECACHE.files.filter((file) => !have.has(file.path));
    let next = 0;
    const one = async () => {
      while (next < missing.length && !controller.signal.aborted) {
        await download(missing[next++], { signal: controller.signal });
        if (Date.now() - lastReport >= REPORT_MS) report();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, one));
  };
  running = { controller };
  ended = 'idle';
  endedWith = null;
  running.done = work()
    .then(
      () => {
        ended = controller.signal.aborted ? 'cancelled' : 'done';
      },
      (error) => {
        const cancelled = controller.signal.aborted && !error.failure;
        controller.abort();
        ended = cancelled ? 'cancelled' : 'failed';
        endedWith = cancelled ? null : (error.failure ?? 'reseau');
        if (!cancelled) console.warn('lecteur: download stopped', error);
      },
    )
    .finally(() => {
      running = null;
      return report().catch(() => {});
    });
  report();
  return running.done;
}

/**
 * Keeps the file at `address` if it is one kept on demand and not kept yet: the page of an
 * article the page shows (opened from a list or a search, with no navigation the worker would
 * have seen), or the index a first visit searched before the worker ran.
 */
async function keepAsked(address) {
  if (!URL.canParse(address)) return;
  const url = new URL(address);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  const path = pageOf(url.pathname.slice(SCOPE.length));
  const file = FILES.get(path);
  if (!file || file.install || (await storedPaths()).has(path)) return;
  await download(file, { reuse: true }).catch((error) =>
    console.warn('lecteur: not kept offline', path, error.message),
  );
}

/** Keeps the worker running while a download is, for a while. */
function keepAlive(event) {
  if (running) {
    event.waitUntil(
      Promise.race([running.done, new Promise((resolve) => setTimeout(resolve, KEEP_ALIVE_MS))]),
    );
  }
}

self.addEventListener('message', (event) => {
  if (event.data === 'activer') {
    self.skipWaiting();
    return;
  }
  switch (event.data?.archive) {
    case 'etat':
      event.waitUntil(report());
      break;
    case 'telecharger':
      downloadRest();
      break;
    case 'annuler':
      if (running) running.controller.abort();
      break;
    case 'garder':
      event.waitUntil(keepAsked(event.data.address));
      break;
    default:
      return;
  }
  keepAlive(event);
});

/** The page that answers the address `path` (relative to the site's root) of a navigation. */
function pageOf(path) {
  const asked = path === '' || path.endsWith('/') ? `${path}index.html` : path;
  if (FILES.has(asked)) return asked;
  if (FILES.has(`${path}/index.html`)) return `${path}/index.html`;
  return '404.html';
}

async function cached(path) {
  return (await cacheOf(path)).match(path);
}

async function cacheFirst(request, path) {
  return (await cached(path)) || fetch(request);
}

/**
 * The copy of `path` the cache does not hold yet, kept from the response the page gets: what an
 * archive's reader has read and searched stays available offline. Kept only if it is this
 * build's file (`keep` checks), and never at the cost of the answer.
 */
function keepUsed(event, path, response) {
  const file = FILES.get(path);
  if (!file || file.install || !response.ok || response.status !== 200) return;
  // Now: the page reads the body as soon as it has the response.
  const copy = response.clone();
  event.waitUntil(
    (async () => {
      if ((await storedPaths()).has(path)) return;
      await keep(file, copy);
    })().catch((error) => console.warn('lecteur: not kept offline', path, error.message)),
  );
}

/** What an archive's article not kept yet is answered with, offline: a page that says so. */
const NOT_KEPT = 'hors-ligne.html';

/**
 * The network's answer, else the cached copy of `path`; else, for an archive's article not kept
 * yet, the page that says so (web/src/prerender, `not_kept`).
 */
async function networkFirst(event, path) {
  let response;
  try {
    response = await fetch(event.request);
  } catch (offline) {
    const copy =
      (await cached(path)) ??
      (event.request.mode === 'navigate' && FILES.get(path)?.install === false
        ? await cached(NOT_KEPT)
        : undefined);
    if (copy) return copy;
    throw offline;
  }
  keepUsed(event, path, response);
  return response;
}

async function cacheFirstKept(event, path) {
  const copy = await cached(path);
  if (copy) return copy;
  const response = await fetch(event.request);
  keepUsed(event, path, response);
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (!url.pathname.startsWith(SCOPE)) return;
  const path = url.pathname.slice(SCOPE.length);
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(event, pageOf(path)));
    return;
  }
  const file = FILES.get(path);
  if (!file) return;
  if (request.headers.has('X-Lecteur-Build')) {
    // The engine asks for the index and an archive's articles' texts for one build: this
    // build's cached copy answers, else the network's is kept; another build's goes by.
    const mine = request.headers.get('X-Lecteur-Build') === PRECACHE.build;
    event.respondWith(mine ? cacheFirstKept(event, path) : fetch(request));
  } else if (file.fingerprinted) {
    event.respondWith(cacheFirst(request, path));
  } else {
    event.respondWith(networkFirst(event, path));
  }
});
