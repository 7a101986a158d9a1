// Requests the index, loads the reader's WebAssembly (which index.html has
// already asked for) and starts it with the pending index. If that fails (an
// old browser, a missing file), the reader says so in the page instead of
// staying blank.
//
// Once the page shows what was asked for, it runs the service worker that
// keeps the site readable offline, and tells the page (window events, see
// web/src/app.rs) when a new version is installed and waiting. `cargo xtask build` fills in the build id and the
// fingerprinted file names; the single-file edition (`cargo xtask dist`)
// inlines this script and carries the wasm and the index in the document.
import init, { start } from './lecteur.js';

/** The id of this build; the index must carry the same one. */
const BUILD = '__LECTEUR_BUILD_ID__';
const INDEX_URL = 'index.bin';
/** How often an open page asks whether a new version was published. */
const UPDATE_CHECK_MS = 30 * 60 * 1000;

function showFailure(reason) {
  const app = document.getElementById('app');
  const section = document.createElement('section');
  section.className = 'message';
  section.setAttribute('data-testid', 'error');
  section.setAttribute('role', 'alert');
  const title = document.createElement('h1');
  title.textContent = 'Le lecteur n’a pas pu démarrer';
  const text = document.createElement('p');
  text.textContent = `Votre navigateur n’a pas pu charger le programme du lecteur (${reason}). ` +
    'Rechargez la page ; si le problème persiste, essayez un navigateur récent.';
  section.append(title, text);
  const main = document.createElement('main');
  main.append(section);
  app.replaceChildren(main);
}

/** The bytes a `<script type="application/octet-stream">` of the single file carries. */
function embedded(id) {
  const element = document.getElementById(id);
  if (!element) return undefined;
  const text = element.textContent.trim();
  return Uint8Array.fromBase64
    ? Uint8Array.fromBase64(text)
    : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** The installed version waiting for the reader's go-ahead, if any. */
let waitingWorker;

/** Tells the page a new version waits. */
function offerUpdate(worker) {
  if (waitingWorker === worker) return;
  waitingWorker = worker;
  document.documentElement.setAttribute('data-nouvelle-version', '');
  window.dispatchEvent(new Event('lecteur:nouvelle-version'));
}

// The reader asked for the new version: activate it, then reload into it.
window.addEventListener('lecteur:recharger', () => {
  if (!waitingWorker) return;
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
  waitingWorker.postMessage('activer');
});

/** Waits for `worker` to finish installing; offers it if it replaces a running version. */
function watch(worker) {
  if (!worker) return;
  const check = () => {
    // With no controller this is the first install, not an update.
    if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(worker);
  };
  worker.addEventListener('statechange', check);
  check();
}

async function runServiceWorker() {
  // Service workers need http(s); the single file opened from disk has none.
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  // Relative to the page, so the site works under any path prefix.
  const registration = await navigator.serviceWorker.register('sw.js');
  if (registration.waiting && navigator.serviceWorker.controller) {
    offerUpdate(registration.waiting);
  }
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
  // Offline, the check fails; that is expected and not worth a console error.
  const checkForUpdate = () => registration.update().catch(() => {});
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') checkForUpdate();
  });
  window.addEventListener('online', checkForUpdate);
  setInterval(checkForUpdate, UPDATE_CHECK_MS);
}

/**
 * Requests the index at once, so that it downloads while the program does, for this build:
 * the service worker answers from its cache only the build it keeps (www/sw.js). The page
 * reads the response, or says why there is none.
 */
function requestIndex() {
  const response = fetch(INDEX_URL, { headers: { 'X-Lecteur-Build': BUILD } });
  // Handled by the page once the program runs; not an unhandled rejection meanwhile.
  response.catch(() => {});
  return response;
}

// The worker's first install downloads every file of the build: only once the page has what
// the reader asked for (web/src/app.rs sends `lecteur:pret`), or knows it cannot start.
window.addEventListener(
  'lecteur:pret',
  () => runServiceWorker().catch((error) => console.warn('lecteur: no offline copy', error)),
  { once: true },
);

try {
  const index = embedded('lecteur-index') ?? requestIndex();
  const wasm = embedded('lecteur-wasm');
  await init(wasm ? { module_or_path: wasm } : undefined);
  start(BUILD, INDEX_URL, index);
} catch (error) {
  console.warn('lecteur: start failed', error);
  showFailure(error && error.message ? error.message : String(error));
  window.dispatchEvent(new Event('lecteur:pret'));
}
