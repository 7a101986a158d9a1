// The search engine's worker: tantivy, the index and the search run here, in their own
// WebAssembly (the `lecteur-engine` crate), never on the page's main thread.
//
// The page (www/main.js, then web/src/engine.rs) posts:
//   { id: 0, open: { build, index, wasm } }   open the index (a URL or its bytes) of build
//                                             `build` with the engine's wasm (a URL or bytes);
//                                             answered without the list (ask `list`)
//   { id, request: { search: { query } } }    a question (lecteur_core::protocol::Request)
//   { cancel: id }                            the answer to `id` is no longer wanted
//   { settled: true }                         the page shows what its reader asked for:
//                                             what warm queries need may be fetched
// and receives `{ id, answer }` or `{ id, error: { code, message } }` (protocol::Reply); an
// archive's search whose hits lack texts first `{ id, answer, more: true }`, the hits ranked
// without those passages, shown at once where results are on screen (protocol::Latest).
//
// Questions are answered one per task, in order: a cancel, or anything else the page sends
// meanwhile, is read between two of them, so a query replaced while the reader types is
// skipped if it has not started. A trap of the engine is not caught: the worker's error
// reaches the page, which restarts it once (www/main.js).
//
// An archive's index holds its articles without their texts (src/bundle.rs): when an answer
// lacks some (the hits on screen, the article read), the worker fetches those texts together,
// gives them to the engine and asks once more (a search's hits posted meanwhile, saying
// more is coming); a text it cannot get leaves its hit without passages, or the article with
// the engine's French reason. Its index is read by parts
// (src/parts.rs) the same way: the engine names the parts a step of the query needs, the
// worker fetches them together and asks again (withParts); and its list's excerpts, named
// alike (l/N.json) when the page asks for those of the cards it shows. Its titles are apart
// too (titres.json): the worker fetches them once the page has what its reader asked for
// (`{ settled: true }`, fetchTitles), and they are named alike when the list is asked for
// before.

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
/** A question is being answered (its articles' texts being fetched): the next one waits. */
let busy = false;
/** Questions cancelled while being answered: no more of their parts or texts is fetched. */
const cancelled = new Set();
/** Where the index is, which the articles' texts are beside; and the build they must be of. */
let site = null;

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
  if (typeof index === 'string') site = { base: new URL(index, self.location.href), build };
  schedule();
  fetchTitles();
  // Without the list of the articles, which the page asks for when it needs it (`list`); an
  // archive's comes without its excerpts too, which the page asks for as it shows cards.
  return { opened: { cards: [], without_cards: true, excerpts_apart: engine.textsApart } };
}

/** An archive's titles, apart from its index (protocol::TITLES_PATH). */
const TITLES = 'titres.json';
/** The page has what its reader asked for (`{ settled: true }`, www/main.js). */
let settled = false;
/** The titles are being fetched. */
let fetchingTitles = false;

/**
 * Fetches an archive's titles once the page has what its reader asked for and the worker is
 * idle: a warm query's hits are shown as ranked, before their texts, with their titles; a
 * cold link's first answer does not wait for them (its hits' texts carry theirs). Tried again
 * after each answer if they could not be had.
 */
async function fetchTitles() {
  if (!settled || fetchingTitles || !engine || !site || engine.titlesAtHand) return;
  if (busy || queue.length > 0) return;
  fetchingTitles = true;
  await supplyPart(TITLES);
  fetchingTitles = false;
}

function schedule() {
  if (scheduled || busy || !engine || queue.length === 0) return;
  scheduled = true;
  turns.port2.postMessage(null);
}

turns.port1.onmessage = () => {
  scheduled = false;
  const question = queue.shift();
  if (!question) return;
  busy = true;
  answered(question).then(
    (reply) => {
      busy = false;
      // Only the question answered could be cancelled meanwhile (the queue's are removed).
      cancelled.clear();
      postMessage(reply);
      schedule();
      fetchTitles();
    },
    (trap) =>
      // Thrown out of the promise, as the worker's own error: the page restarts it once.
      setTimeout(() => {
        throw trap;
      }),
  );
};

/** The articles whose texts an answer lacked (protocol: `missing_texts`, an error's `missing`). */
function missingTexts(reply) {
  return reply.answer?.found?.missing_texts ?? reply.error?.missing ?? [];
}

/**
 * The engine's reply to `question`; when it lacked articles' texts, once more after fetching
 * them, all at once (at most the page of hits asked for: the engine's limit bounds them). A
 * search's hits, ranked, are posted meanwhile: a round trip sooner on screen, their passages
 * filled in by the last reply.
 */
async function answered(question) {
  const reply = await withParts(question);
  const missing = missingTexts(reply);
  if (missing.length === 0 || !site || cancelled.has(question.id)) return reply;
  // Hits without their texts have their titles only from the titles file.
  if (reply.answer?.found && engine.titlesAtHand) postMessage({ ...reply, more: true });
  const refused = (await Promise.all(missing.map(supplyText))).find(Boolean);
  const again = await withParts(question);
  // A text of another deploy or a damaged one says so, rather than "not on this device".
  if (refused && again.error?.code === 'texte-absent') again.error = refused;
  return again;
}

/**
 * Rounds of parts one question may fetch: the engine asks for one step's parts at a time (the
 * dictionary's blocks, then the postings; the words of a suggestion once more).
 */
const PART_ROUNDS = 6;

/**
 * The engine's reply to `question` once it has the parts of its index it needs (an archive's
 * index is read by parts, src/parts.rs): each round fetches the parts the engine named, all
 * together. A part it cannot get leaves the engine's French reason; a refused one, its own.
 */
async function withParts(question) {
  for (let round = 0; ; round += 1) {
    const reply = engine.answer(question);
    if (reply.error?.code !== 'index-partiel' || !site || round === PART_ROUNDS) return reply;
    // Replaced while typing: the page will not show it, so its parts are left for later.
    if (cancelled.has(question.id)) return reply;
    const supplied = await Promise.all(reply.error.missing.map(supplyPart));
    const refused = supplied.find((outcome) => outcome && outcome !== 'absent');
    if (refused) return { id: reply.id, error: refused };
    if (supplied.includes('absent')) return reply;
  }
}

/** Fetches the part `path` of the index and gives it to the engine: null, 'absent', or the refusal. */
async function supplyPart(path) {
  const bytes = await fetched(path);
  if (!bytes) return 'absent';
  try {
    engine.supplyPart(path, bytes);
    return null;
  } catch (error) {
    return { code: error.code ?? 'partie-illisible', message: error.message };
  }
}

/** The bytes of `path`, beside the index, of this build (the service worker serves its copy); null offline or refused. */
async function fetched(path) {
  try {
    const response = await fetch(new URL(path, site.base), {
      headers: site.build ? { 'X-Lecteur-Build': site.build } : {},
    });
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/**
 * Fetches the text of the article `slug` and gives it to the engine. Offline or refused by
 * the server, nothing (the answer says what is missing); a text the engine refuses, its error.
 */
async function supplyText(slug) {
  const bytes = await fetched(wasm_bindgen.Engine.textPath(slug));
  if (!bytes) return null;
  try {
    engine.supplyText(bytes);
    return null;
  } catch (error) {
    return { code: error.code ?? 'texte-illisible', message: error.message };
  }
}

self.onmessage = ({ data }) => {
  if ('cancel' in data) {
    const at = queue.findIndex((question) => question.id === data.cancel);
    if (at >= 0) queue.splice(at, 1);
    else if (busy) cancelled.add(data.cancel);
  } else if ('settled' in data) {
    settled = true;
    fetchTitles();
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
