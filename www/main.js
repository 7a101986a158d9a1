// Takes over the page the build rendered (or, in the single-file edition, the one the
// document carries): once the page has painted, starts the search engine in a Web Worker
// (www/engine-worker.js, which downloads and opens the index off the main thread), loads the
// page's own WebAssembly, and starts it with its connection to the engine. The page reads
// without any of this; if the program cannot start (an old browser, a missing file), the page
// says so, and the articles stay.
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
  /** An archive's titles, beside its index (lecteur_core::protocol::TITLES_PATH). */
  const TITLES_FILE = 'titres.json';
  const WASM_FILE = 'lecteur_bg.wasm';
  const ENGINE_WORKER = new URL('engine-worker.js', ROOT).href;
  const ENGINE_WASM = 'engine_bg.wasm';
  /** The question that opens the index (lecteur_core::protocol::OPEN_ID). */
  const OPEN_ID = 0;
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

  /** Resolves in a task of its own, after what the browser has queued meanwhile. */
  function nextTask() {
    return new Promise((resolve) => setTimeout(resolve, 0));
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
   * The only script addresses the page hands the browser itself: its service worker, its
   * engine's worker, and the blob the single file makes that worker from. The pages' policy
   * requires Trusted Types, and this, their only policy, accepts nothing else.
   */
  const WORKER = new URL('sw.js', ROOT).href;
  const workerBlobs = new Set();
  const scriptAddresses = globalThis.trustedTypes?.createPolicy('lecteur', {
    createScriptURL(address) {
      if (address !== WORKER && address !== ENGINE_WORKER && !workerBlobs.has(address)) {
        throw new TypeError(`lecteur: script address refused: ${address}`);
      }
      return address;
    },
  });
  const trusted = (address) => (scriptAddresses ? scriptAddresses.createScriptURL(address) : address);

  /** How often the page asks while the archive downloads: the service worker runs while asked. */
  const KEEP_ASKING_MS = 20 * 1000;
  let keepAsking;

  /**
   * Asks the service worker about the archive's copy: 'etat', 'telecharger', 'annuler', or
   * 'garder' the page at `address`.
   */
  async function askArchive(question, address) {
    // No service worker from disk (the single file), nor in browsers without them.
    if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
    const registration = await navigator.serviceWorker.ready;
    registration.active?.postMessage({ archive: question, address });
  }

  /**
   * Tells the page where the archive's copy is (web/src/app.rs, core/src/offline.rs): what the
   * service worker reports, with the room the browser grants the site and whether it promised
   * to keep it.
   */
  async function tellArchive(copy) {
    clearTimeout(keepAsking);
    if (copy.state === 'running') keepAsking = setTimeout(() => askArchive('etat'), KEEP_ASKING_MS);
    const storage = navigator.storage;
    const estimate = await storage?.estimate?.().catch(() => undefined);
    const persisted = await storage?.persisted?.().catch(() => false);
    const detail = {
      ...copy,
      quota: estimate?.quota ?? null,
      usage: estimate?.usage ?? null,
      persisted: !!persisted,
    };
    window.dispatchEvent(new CustomEvent('lecteur:archive-etat', { detail }));
  }

  // The reader asked for the whole archive, or to stop: the site asks the browser to keep its
  // storage (so that it is not cleared when space runs short) before downloading.
  window.addEventListener('lecteur:archive', async ({ detail: question }) => {
    if (question === 'telecharger') await navigator.storage?.persist?.().catch(() => false);
    await askArchive(question);
  });
  // The page shows an article: an archive's service worker keeps it for offline reading.
  window.addEventListener('lecteur:lu', () => askArchive('garder', location.href));

  async function runServiceWorker() {
    // Service workers need http(s); the single file opened from disk has none.
    if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
    navigator.serviceWorker.addEventListener('message', ({ data }) => {
      if (data?.archive) tellArchive(data.archive);
    });
    // At the site's root, so that it serves every page of the site, under any path prefix.
    const registration = await navigator.serviceWorker.register(trusted(WORKER));
    askArchive('etat');
    // The index this visit searched, and an archive's titles, which its engine's worker fetches
    // once the page shows what its reader asked for: an archive's service worker keeps them
    // once it runs.
    askArchive('garder', new URL(INDEX_FILE, ROOT).href);
    askArchive('garder', new URL(TITLES_FILE, ROOT).href);
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
   * Starts the search engine in a Web Worker and asks it to open the index; returns the page's
   * connection to it (web/src/engine.rs): `ask(question)`, `cancel(id)`, `listen(onReply,
   * onStop)`. Replies that come before the page listens are kept for it. A worker that dies
   * (it could not load, or its engine trapped) is started again once, and asked again what
   * was pending; one that dies twice is reported to the page, in French, through `onStop`.
   * The single file makes the worker from the glue and script it carries (a blob).
   */
  function startEngine(open, source) {
    const pending = new Map();
    const early = [];
    let worker;
    let onReply;
    let onStop;
    let stopReason;
    let restarted = false;
    let settled = false;
    const address = source
      ? URL.createObjectURL(new Blob([source], { type: 'text/javascript' }))
      : ENGINE_WORKER;
    if (source) workerBlobs.add(address);
    const stop = (reason) => {
      stopReason = reason;
      if (onStop) onStop(reason);
    };
    const died = (reason) => {
      worker.terminate();
      console.warn('lecteur: the search engine stopped', reason);
      if (stopReason) return;
      if (restarted) {
        stop(`le moteur de recherche s’est arrêté deux fois (${reason})`);
        return;
      }
      restarted = true;
      spawn();
    };
    const spawn = () => {
      try {
        worker = new Worker(trusted(address));
      } catch (error) {
        stop(`le moteur de recherche n’a pas pu démarrer (${describe(error)})`);
        return;
      }
      worker.addEventListener('message', ({ data }) => {
        // An early reply (`more`) leaves its question pending: the last one is still to come.
        const asked = data.more ? pending.has(data.id) : pending.delete(data.id);
        if (!asked && data.id !== OPEN_ID) return;
        if (onReply) onReply(data);
        else early.push(data);
      });
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        died(event.message || 'erreur inconnue');
      });
      worker.postMessage({ id: OPEN_ID, open: open() });
      for (const question of pending.values()) worker.postMessage(question);
      if (settled) worker.postMessage({ settled: true });
    };
    spawn();
    return {
      ask(question) {
        if (stopReason) return;
        pending.set(question.id, question);
        worker.postMessage(question);
      },
      cancel(id) {
        if (pending.delete(id) && !stopReason) worker.postMessage({ cancel: id });
      },
      /** The page shows what its reader asked for: the worker may fetch what warm queries need. */
      settled() {
        settled = true;
        if (!stopReason) worker.postMessage({ settled: true });
      },
      listen(reply, stopped) {
        onReply = reply;
        onStop = stopped;
        for (const data of early.splice(0)) reply(data);
        if (stopReason) stopped(stopReason);
      },
    };
  }

  async function start() {
    // The single file carries the programs and the index at its end: read once it is parsed.
    if (root.hasAttribute('data-fichier-unique')) await parsed();
    const wasm = embedded('lecteur-wasm');
    const index = embedded('lecteur-index');
    const engineWasm = embedded('lecteur-moteur-wasm');
    const engineSource = document.getElementById('lecteur-moteur')?.textContent;
    // Everything else is on the network, and must not compete with the page's first paint;
    // but a search link's page shows nothing until the engine answers (its list stays out of
    // sight), so there the engine is what it waits for.
    if (!wasm && !root.hasAttribute('data-recherche')) await afterFirstPaint();
    // The engine (its wasm, the index) and the page's program are requested together.
    const engine = startEngine(
      () => ({
        build: BUILD,
        index: index ?? new URL(INDEX_FILE, ROOT).href,
        wasm: engineWasm ?? new URL(ENGINE_WASM, ROOT).href,
      }),
      engineSource,
    );
    const program = wasm ?? fetch(new URL(WASM_FILE, ROOT));
    const { default: init, start: takeOver } = await loadProgram();
    const loading = performance.now();
    await init({ module_or_path: program });
    performance.measure('lecteur:programme', { start: loading });
    await parsed();
    // Instantiating the program and taking the page over are two tasks, each short enough
    // not to hold a keystroke or a tap back (Total Blocking Time counts what passes 50 ms).
    await nextTask();
    // Once the program runs, following a link changes the document's address, against which
    // the browser resolves the head's relative addresses again (the icon, the manifest): they
    // are made absolute now that the program has arrived (done earlier, it refetches them).
    for (const link of document.head.querySelectorAll('link[href]')) link.href = link.href;
    // Timed for the benchmark: the page hydrated and listening, from here.
    const takingOver = performance.now();
    takeOver(BUILD, index ? null : ROOT.href, engine);
    performance.measure('lecteur:reprise', { start: takingOver });
    // Once the page shows what its reader asked for, and has painted it, the engine's worker
    // may fetch what warm queries need (an archive's titles), out of that first answer's way.
    window.addEventListener(
      'lecteur:pret',
      () => requestAnimationFrame(() => setTimeout(() => engine.settled(), 0)),
      { once: true },
    );
  }

  // The worker's first install downloads every file of the build: only once the page has
  // what the reader asked for (web/src/app.rs sends `lecteur:pret`), or knows it cannot start,
  // and has painted it.
  window.addEventListener(
    'lecteur:pret',
    () =>
      requestAnimationFrame(() =>
        setTimeout(
          () => runServiceWorker().catch((error) => console.warn('lecteur: no offline copy', error)),
          0,
        ),
      ),
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
