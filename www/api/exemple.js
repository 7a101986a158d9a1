// Lecteur's engine on a page of its own, without the reader: open the index, search as the
// reader types, list each hit's title and best passage (as text, never as HTML).
const [q, etat, resultats] = ['q', 'etat', 'resultats'].map((id) => document.getElementById(id));
const engine = wasm_bindgen({ module_or_path: '../engine_bg.wasm' })
  .then(() => wasm_bindgen.Engine.fromUrl('../index.bin', null));
const item = (hit) => Object.assign(document.createElement('li'), { textContent: `${hit.title} — ${hit.snippet?.text ?? ''}` });
async function search() {
  try {
    const { hits, total } = (await engine).search(q.value, { limit: 10 });
    etat.textContent = `${total} article(s)`;
    resultats.replaceChildren(...hits.map(item));
  } catch (error) {
    etat.textContent = `${error.message} (${error.code})`;
  }
}
q.addEventListener('input', search);
engine.then(() => (etat.textContent = 'Prêt.'), (error) => (etat.textContent = `Moteur indisponible : ${error.message}`));
