// The search engine's worker: tantivy, the index and the search run here, in their own
// WebAssembly (the `lecteur-engine` crate), never on the page's main thread.
//
// The page (www/main.js, then web/src/engine.rs) posts:
//   { id: 0, open: { build, index, wasm } }   open the index (a URL or its bytes) of build
//                                             `build` with the engine's wasm (a URL or bytes)
//   { id, request: { search: { query } } }    a question (lecteur_core::protocol::Request)
//   { cancel: id }                            the answer to `id` is no longer wanted
// and receives `{ id, answer }` or `{ id, error: { code, message } }` (protocol::Reply).
//
// Questions are answered one per task, in order: a cancel, or anything else the page sends
// meanwhile, is read between two of them, so a query replaced while the reader types is
// skipped if it has not started. A trap of the engine is not caught: the worker's error
// reaches the page, which restarts it once (www/main.js).

/* global wasm_bindgen */
// The engine's glue (wasm-bindgen, `--target no-modules`, which defines `wasm_bindgen`) is at
// the top of this worker's own text: the build puts it there (xtask/src/build.rs,
// `glue_into_worker`), so that the worker needs one request, and the single-file edition makes
// the worker from a blob of that same text.

const INDEX_NAME = 'index.bin';
/** The open engine (`wasm_bindgen.Engine`), once the index is. */
let engine = null;
/** Questions waiting for their turn. */
const queue = [];
/** Runs the next question in a task of its own (a zero-delay timeout would be clamped). */
const turns = new MessageChannel();
let scheduled = false;

/** An error the page shows: a stable code and a French message. */
function coded(code, message) {
  return Object.assign(new Error(message), { code });
}

/** The bytes of the index: given, or downloaded for this build (the service worker knows it). */
async function indexBytes(index, build) {
  if (typeof index !== 'string') return index;
  let response;
  try {
    // The service worker serves the index of that build; a page without one (the API's) asks plainly.
    response = await fetch(index, build ? { headers: { 'X-Lecteur-Build': build } } : {});
  } catch {
    throw coded(
      'ouverture',
      `le fichier « ${INDEX_NAME} » n’a pas pu être téléchargé (réseau indisponible ?)`,
    );
  }
  if (!response.ok) {
    throw coded(
      'ouverture',
      `le serveur a répondu « ${response.status} ${response.statusText} » pour le fichier « ${INDEX_NAME} »`,
    );
  }
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch {
    throw coded(
      'ouverture',
      `le fichier « ${INDEX_NAME} » n’a pas pu être téléchargé (réseau indisponible ?)`,
    );
  }
}

/** Loads the engine's wasm. */
async function loadEngine(wasm) {
  try {
    await wasm_bindgen({ module_or_path: typeof wasm === 'string' ? fetch(wasm) : wasm });
  } catch (error) {
    throw coded('ouverture', `le moteur de recherche n’a pas pu être chargé (${error.message})`);
  }
}

async function open({ build, index, wasm }) {
  // The index and the engine's wasm are downloaded together.
  const [bytes] = await Promise.all([indexBytes(index, build), loadEngine(wasm)]);
  engine = new wasm_bindgen.Engine(bytes, build);
  schedule();
  return { opened: { cards: engine.articles() } };
}

function schedule() {
  if (scheduled || !engine || queue.length === 0) return;
  scheduled = true;
  turns.port2.postMessage(null);
}

turns.port1.onmessage = () => {
  scheduled = false;
  const question = queue.shift();
  if (question) postMessage(engine.answer(question));
  schedule();
};

self.onmessage = ({ data }) => {
  if ('cancel' in data) {
    const at = queue.findIndex((question) => question.id === data.cancel);
    if (at >= 0) queue.splice(at, 1);
  } else if ('open' in data) {
    open(data.open).then(
      (answer) => postMessage({ id: data.id, answer }),
      (error) => {
        // The engine trapped while opening: it cannot be used, and the page is told why.
        const trapped = error instanceof WebAssembly.RuntimeError;
        postMessage({
          id: data.id,
          error: {
            code: error.code ?? (trapped ? 'arret' : 'ouverture'),
            message: trapped
              ? 'un fichier de l’index contredit les autres : il faut le reconstruire'
              : error.message,
          },
        });
      },
    );
  } else {
    queue.push(data);
    schedule();
  }
};
