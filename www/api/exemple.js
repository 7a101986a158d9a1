// Lecteur's engine on a page of its own, without the reader: open the index, search as the
// reader types, list each hit's title and best passage (as text, never as HTML).
const [q, etat, resultats] = ['q', 'etat', 'resultats'].map((id) => document.getElementById(id));
const engine = wasm_bindgen({ module_or_path: '../engine_bg.wasm' })
  .then(() => wasm_bindgen.Engine.fromUrl('../index.bin', null));
const item = (hit) => Object.assign(document.createElement('li'), { textContent: `${hit.title} — ${hit.snippet?.text ?? ''}` });
/** The answer to `query`; an archive's index is read by parts, fetched as the engine names them. */
async function found(query) {
  const ready = await engine;
  for (;;) {
    try {
      return ready.search(query, { limit: 10 });
    } catch (error) {
      if (error.code !== 'index-partiel') throw error;
      const bytes = async (path) => new Uint8Array(await (await fetch(`../${path}`)).arrayBuffer());
      await Promise.all(error.missing.map(async (path) => ready.supplyPart(path, await bytes(path))));
    }
  }
}
async function search() {
  try {
    const { hits, total } = await found(q.value);
    etat.textContent = `${total} article(s)`;
    resultats.replaceChildren(...hits.map(item));
  } catch (error) {
    etat.textContent = `${error.message} (${error.code})`;
  }
}
q.addEventListener('input', search);
engine.then(() => (etat.textContent = 'Prêt.'), (error) => (etat.textContent = `Moteur indisponible : ${error.message}`));
