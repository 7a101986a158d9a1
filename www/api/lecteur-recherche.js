// <lecteur-recherche>: Lecteur's search for any page of the site's own origin, in one element.
//
//   <script src="/chemin/du/lecteur/api/lecteur-recherche.js" defer></script>
//   <lecteur-recherche></lecteur-recherche>
//
// A search box and its results (title, source, best passage with the matched words marked,
// each a link to the article in the reader), in the element's shadow root, as text only. The
// engine runs in the reader's own worker (engine-worker.js), off the page's main thread, started
// when the box first gets the focus; each keystroke's question replaces the last one, whose
// late answer is dropped. Styled by CSS custom properties: --lecteur-police, --lecteur-encre,
// --lecteur-fond, --lecteur-accent, --lecteur-marque. Attributes: `limite` (results shown, 5 by
// default), `placeholder`. The page api/element/ shows it at work.

(() => {
  const script = document.currentScript.src;
  const at = (path) => new URL(path, script).href;
  const WORKER = at('../engine-worker.js');
  const INDEX = at('../index.bin');
  const WASM = at('../engine_bg.wasm');

  const STYLE = `
    :host { display: block; font-family: var(--lecteur-police, system-ui, sans-serif); color: var(--lecteur-encre, inherit); }
    input { font: inherit; width: 100%; box-sizing: border-box; min-height: 2.5rem; padding: 0.3rem 0.6rem;
      color: inherit; background: var(--lecteur-fond, #fff); border: 1px solid currentColor; border-radius: 0.4rem; }
    ol { list-style: none; margin: 0.5rem 0 0; padding: 0; }
    li { padding: 0.5rem 0; border-bottom: 1px solid color-mix(in srgb, currentColor 20%, transparent); }
    a { color: var(--lecteur-accent, #8a2b0f); font-weight: 600; }
    p { margin: 0.25rem 0 0; }
    mark { background: var(--lecteur-marque, #ffe27a); color: inherit; }
    [role=status] { font-size: 0.9em; opacity: 0.8; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }`;

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  /** `text` into `parent`, the byte ranges `marks` (of its UTF-8) as `<mark>`, all as text. */
  function appendMarked(parent, text, marks) {
    const bytes = encoder.encode(text);
    let from = 0;
    for (const { start, end } of marks) {
      parent.append(decoder.decode(bytes.subarray(from, start)));
      parent.append(Object.assign(document.createElement('mark'), { textContent: decoder.decode(bytes.subarray(start, end)) }));
      from = end;
    }
    parent.append(decoder.decode(bytes.subarray(from)));
  }

  let worker = null;
  let asked = 0;
  const waiting = new Map();
  /** The worker's reply when the index could not be opened. */
  let failure = null;

  /** The worker, opening the index on its first use; its replies settle their questions. */
  function engine() {
    if (worker) return worker;
    worker = new Worker(WORKER);
    worker.onmessage = ({ data }) => {
      // The index could not be opened: every question, asked or to come, gets that answer
      // (the worker would never answer them).
      if (data.id === 0 && data.error) {
        failure = data;
        for (const settle of waiting.values()) settle(failure);
        waiting.clear();
        return;
      }
      // An archive's search is answered early too, its hits without all their passages
      // (`more: true`): the element waits for the whole answer.
      if (data.more) return;
      const settle = waiting.get(data.id);
      waiting.delete(data.id);
      settle?.(data);
    };
    worker.postMessage({ id: 0, open: { build: null, index: INDEX, wasm: WASM } });
    return worker;
  }

  /** Asks the worker, replacing the element's previous question; `null` if replaced. */
  function ask(element, request) {
    const id = ++asked;
    if (element.asked) {
      engine().postMessage({ cancel: element.asked });
      waiting.get(element.asked)?.(null);
      waiting.delete(element.asked);
    }
    element.asked = id;
    if (failure) return Promise.resolve(failure);
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      engine().postMessage({ id, request });
    });
  }

  class LecteurRecherche extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      root.adoptedStyleSheets = [sheet];
      const label = Object.assign(document.createElement('label'), { className: 'visually-hidden', textContent: 'Rechercher dans les articles' });
      const input = Object.assign(document.createElement('input'), { type: 'search', autocomplete: 'off' });
      input.placeholder = this.getAttribute('placeholder') ?? 'Rechercher dans les articles';
      label.append(input);
      this.status = document.createElement('p');
      this.status.setAttribute('role', 'status');
      this.status.setAttribute('aria-live', 'polite');
      this.list = document.createElement('ol');
      root.append(label, this.status, this.list);
      input.addEventListener('focus', engine, { once: true });
      input.addEventListener('input', () => this.search(input.value));
    }

    async search(query) {
      if (query.trim() === '') {
        this.list.replaceChildren();
        this.status.textContent = '';
        return;
      }
      const limit = Number(this.getAttribute('limite')) || 5;
      const reply = await ask(this, { search: { query, limit } });
      if (reply === null) return;
      if (reply.error) {
        this.list.replaceChildren();
        this.status.textContent = `Recherche impossible : ${reply.error.message}.`;
        return;
      }
      const { hits, total } = reply.answer.found;
      this.status.textContent = total === 0 ? 'Aucun article.' : total === 1 ? '1 article.' : `${total} articles.`;
      this.list.replaceChildren(
        ...hits.map((hit) => {
          const item = document.createElement('li');
          const link = document.createElement('a');
          link.href = at(`../a/${encodeURIComponent(hit.slug)}/?q=${encodeURIComponent(query)}`);
          appendMarked(link, hit.title, hit.title_marks);
          item.append(link);
          if (hit.source) item.append(' — ', hit.source);
          if (hit.snippet) {
            const passage = document.createElement('p');
            appendMarked(passage, hit.snippet.text, hit.snippet.marks);
            item.append(passage);
          }
          return item;
        }),
      );
    }
  }

  customElements.define('lecteur-recherche', LecteurRecherche);
})();
