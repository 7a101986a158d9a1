// The search page every peer shares, so that only the engine differs between them: it reads
// the query from the address (`?q=…`, as Lecteur's links do, or `#/?q=…`, as they did), searches
// as the reader types,
// and lists the results, each a title and a snippet with the matched words marked, rendered as
// text (`<mark>` around text nodes, never HTML from the article).
//
// Each search, with its snippets, is timed as the User Timing measure `lecteur:recherche`, the
// one Lecteur's page records, and the results heading names the query once it is on screen:
// the two things bench/peers.mjs watches.

const SEARCH_MEASURE = 'lecteur:recherche';

/** The query in `?q=…` or `#/?q=…`, or an empty one. */
function queryInAddress() {
  const inSearch = new URLSearchParams(location.search).get('q');
  if (inSearch) return inSearch;
  const hash = location.hash.replace(/^#\/?/, '');
  const parameters = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  return new URLSearchParams(parameters).get('q') ?? '';
}

/** `parts`: `[{ text, mark }]`, appended to `parent` as text nodes and `<mark>`s. */
function appendMarked(parent, parts) {
  for (const { text, mark } of parts) {
    if (mark) {
      const element = document.createElement('mark');
      element.textContent = text;
      parent.append(element);
    } else {
      parent.append(text);
    }
  }
}

function render(results, query) {
  const section = document.createElement('section');
  section.className = 'results';
  const heading = document.createElement('h1');
  heading.id = 'titre-resultats';
  heading.textContent = `Résultats pour « ${query} »`;
  const count = document.createElement('p');
  count.setAttribute('role', 'status');
  count.textContent = results.length === 1 ? '1 article' : `${results.length} articles`;
  const list = document.createElement('ol');
  for (const result of results) {
    const item = document.createElement('li');
    item.dataset.testid = 'result';
    const title = document.createElement('h2');
    const link = document.createElement('a');
    link.href = result.url;
    appendMarked(link, result.title);
    title.append(link);
    item.append(title);
    if (result.snippet) {
      const snippet = document.createElement('p');
      appendMarked(snippet, result.snippet);
      item.append(snippet);
    }
    list.append(item);
  }
  section.append(heading, count, list);
  document.getElementById('resultats').replaceChildren(section);
}

/**
 * Starts the page around `engine`: `{ load(): Promise, search(query): Promise<results> }`,
 * where a result is `{ url, title: parts, snippet: parts | null }` (see `appendMarked`).
 */
export async function startSearchPage(engine) {
  const input = document.getElementById('recherche');
  let latest = 0;
  async function show(query) {
    const ticket = ++latest;
    if (query.trim() === '') {
      document.getElementById('resultats').replaceChildren();
      return;
    }
    performance.mark(`${SEARCH_MEASURE}:début`);
    const results = await engine.search(query);
    performance.measure(SEARCH_MEASURE, `${SEARCH_MEASURE}:début`);
    // A slower search for an earlier query must not replace a later one.
    if (ticket === latest) render(results, query);
  }
  input.addEventListener('input', () => {
    history.replaceState(null, '', `#/?q=${encodeURIComponent(input.value)}`);
    show(input.value);
  });
  await engine.load();
  const query = queryInAddress();
  input.value = query;
  await show(query);
}
