// Takes over the page the build rendered (or, in the single-file edition, the one the
// document carries): requests the index, loads the reader's WebAssembly and starts it with the
// pending index, once the page has painted. The page reads without any of this; if the program
// cannot start (an old browser, a missing file), the page says so, and the articles stay.
//
// The build inlines this script into every page's head, so that it needs no request of its
// own and runs as the head is read: on a search link, whose page has nothing to show but what
// the engine finds, it requests the engine at once, which the first paint does not wait on
// either (nothing here blocks rendering).
//
// Once the engine is open, it runs the service worker that keeps the site readable offline,
// and tells the page (window events, see web/src/app.rs) when a new version is installed and
// waiting. `cargo xtask build` fills in the build id and the fingerprinted file names; the
// single-file edition (`cargo xtask dist`) carries the glue, the wasm and the index in the
// document.
(() => {
  /** The id of this build; the index must carry the same one. */
  const BUILD = '__LECTEUR_BUILD_ID__';
  /**
   * The site's root: the folder of the web app manifest, which every page links to (this
   * script is inlined into pages at any depth); the document's own folder in the single file.
   */
  const ROOT = new URL('./', document.querySelector('link[rel="manifest"]')?.href ?? location.href);
  const INDEX_FILE = 'index.bin';
  const WASM_FILE = 'lecteur_bg.wasm';
  /** How often an open page asks whether a new version was published. */
  const UPDATE_CHECK_MS = 30 * 60 * 1000;
  /** The longest the program waits for a first paint that does not come (a hidden tab). */
  const PAINT_WAIT_MS = 500;
  const root = document.documentElement;

  /** The program: its glue module, or the one the single-file edition carries in the document. */
  const loadProgram = () => globalThis.lecteurProgramme ?? import(new URL('lecteur.js', ROOT).href);

  /**
   * Says in the page, in French, that the program did not start or stopped, with a way to
   * reload; above the page's content, which stays readable (a page with none gets this alone).
   * Once: a stop seen twice (the program's own report, then its trap) is said once.
   */
  function showFailure(title, detail) {
    if (root.hasAttribute('data-arret')) return;
    root.setAttribute('data-arret', '');
    root.removeAttribute('data-recherche');
    const main = document.querySelector('#app main');
    const section = document.createElement('section');
    section.className = 'message';
    section.setAttribute('data-testid', 'error');
    section.setAttribute('role', 'alert');
    const heading = document.createElement(main ? 'h2' : 'h1');
    heading.textContent = title;
    const text = document.createElement('p');
    text.textContent = detail;
    const reload = document.createElement('button');
    reload.type = 'button';
    reload.className = 'button';
    reload.textContent = 'Recharger la page';
    reload.addEventListener('click', () => location.reload());
    section.append(heading, text, reload);
    if (main) {
      main.prepend(section);
    } else {
      const alone = document.createElement('main');
      alone.append(section);
      document.getElementById('app').replaceChildren(alone);
    }
  }

  /** The program could not start (an old browser, a missing file). */
  function failedToStart(reason) {
    showFailure(
      'Le lecteur n’a pas pu démarrer',
      `Votre navigateur n’a pas pu charger le programme du lecteur (${reason}). ` +
        (document.querySelector('#app main')
          ? 'Les articles restent lisibles ; la recherche a besoin du programme. '
          : '') +
        'Rechargez la page ; si le problème persiste, essayez un navigateur récent.',
    );
  }

  /**
   * The program stopped while running (a panic it reported, a trap, no memory left): the
   * reader is told in French, the details go to the console.
   */
  function stopped(reason) {
    console.warn('lecteur: the program stopped', reason);
    showFailure(
      'Le lecteur s’est arrêté',
      'Le programme du lecteur s’est arrêté sur une erreur interne. ' +
        'Les articles restent lisibles ; rechargez la page pour relancer la recherche.',
    );
  }

  // Whatever goes wrong inside the program once it runs ends in the message above, never in a
  // page that waits forever: its panics (the program calls this before it stops), and the
  // errors that come out of it, from its wasm or its glue, in an event handler or a promise.
  globalThis.lecteurArret = (message) => stopped(message);
  const fromProgram = (error) =>
    error instanceof WebAssembly.RuntimeError ||
    /wasm-function|\/lecteur(_bg)?\.[0-9a-f]+\.(js|wasm)/.test(error?.stack ?? '');
  const describe = (error) => (error && error.message ? error.message : String(error));
  window.addEventListener('error', (event) => {
    if (fromProgram(event.error)) stopped(describe(event.error));
  });
  window.addEventListener('unhandledrejection', (event) => {
    if (fromProgram(event.reason)) stopped(describe(event.reason));
  });

  /** The bytes a `<script type="application/octet-stream">` of the single file carries. */
  function embedded(id) {
    const element = document.getElementById(id);
    if (!element) return undefined;
    const text = element.textContent.trim();
    return Uint8Array.fromBase64
      ? Uint8Array.fromBase64(text)
      : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }

  /** Resolves once the whole document is parsed (this script runs from the head, before). */
  function parsed() {
    if (document.readyState !== 'loading') return Promise.resolve();
    return new Promise((resolve) =>
      document.addEventListener('DOMContentLoaded', resolve, { once: true }),
    );
  }

  /** Resolves once the page has painted what its HTML brought (or after a while, unpainted). */
  function afterFirstPaint() {
    return new Promise((resolve) => {
      const painted = (entries) => entries.some((entry) => entry.name === 'first-contentful-paint');
      if (painted(performance.getEntriesByType('paint'))) return resolve();
      try {
        new PerformanceObserver((list, observer) => {
          if (!painted(list.getEntries())) return;
          observer.disconnect();
          resolve();
        }).observe({ type: 'paint', buffered: true });
      } catch {
        requestAnimationFrame(() => setTimeout(resolve, 0)); // no paint timing: the next frame
      }
      setTimeout(resolve, PAINT_WAIT_MS);
    });
  }

  /** The installed version waiting for the reader's go-ahead, if any. */
  let waitingWorker;

  /** Tells the page a new version waits. */
  function offerUpdate(worker) {
    if (waitingWorker === worker) return;
    waitingWorker = worker;
    root.setAttribute('data-nouvelle-version', '');
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

  /**
   * The one script address the page hands the browser itself, its service worker's: the pages'
   * policy requires Trusted Types, and this, their only policy, accepts nothing else.
   */
  const WORKER = new URL('sw.js', ROOT).href;
  const scriptAddresses = globalThis.trustedTypes?.createPolicy('lecteur', {
    createScriptURL(address) {
      if (address !== WORKER) throw new TypeError(`lecteur: script address refused: ${address}`);
      return address;
    },
  });

  async function runServiceWorker() {
    // Service workers need http(s); the single file opened from disk has none.
    if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
    // At the site's root, so that it serves every page of the site, under any path prefix.
    const registration = await navigator.serviceWorker.register(
      scriptAddresses ? scriptAddresses.createScriptURL(WORKER) : WORKER,
    );
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
   * Requests the index for this build: the service worker answers from its cache only the
   * build it keeps (www/sw.js). The page reads the response, or says why there is none.
   */
  function requestIndex() {
    const response = fetch(new URL(INDEX_FILE, ROOT), { headers: { 'X-Lecteur-Build': BUILD } });
    // Handled by the page once the program runs; not an unhandled rejection meanwhile.
    response.catch(() => {});
    return response;
  }

  async function start() {
    // The single file carries the program and the index at its end: read once it is parsed.
    if (root.hasAttribute('data-fichier-unique')) await parsed();
    const wasm = embedded('lecteur-wasm');
    const index = embedded('lecteur-index');
    // Everything else is on the network, and must not compete with the page's first paint;
    // but a search link's page shows nothing until the engine answers (its list stays out of
    // sight), so there the engine is what it waits for.
    if (!wasm && !root.hasAttribute('data-recherche')) await afterFirstPaint();
    // The index, the wasm and the glue that runs it are requested together.
    const pending = index ?? requestIndex();
    const program = wasm ?? fetch(new URL(WASM_FILE, ROOT));
    const { default: init, start: takeOver } = await loadProgram();
    await init({ module_or_path: program });
    await parsed();
    // Once the program runs, following a link changes the document's address, against which
    // the browser resolves the head's relative addresses again (the icon, the manifest): they
    // are made absolute now that the engine has arrived (done earlier, it refetches them).
    for (const link of document.head.querySelectorAll('link[href]')) link.href = link.href;
    takeOver(BUILD, index ? null : ROOT.href, INDEX_FILE, pending);
  }

  // The worker's first install downloads every file of the build: only once the page has
  // what the reader asked for (web/src/app.rs sends `lecteur:pret`), or knows it cannot start.
  window.addEventListener(
    'lecteur:pret',
    () => runServiceWorker().catch((error) => console.warn('lecteur: no offline copy', error)),
    { once: true },
  );

  // A link of the first address scheme is on its way to its page: nothing to start.
  if (root.hasAttribute('data-redirection')) return;
  start().catch(async (error) => {
    console.warn('lecteur: start failed', error);
    await parsed();
    failedToStart(describe(error));
    window.dispatchEvent(new Event('lecteur:pret'));
  });
})();
