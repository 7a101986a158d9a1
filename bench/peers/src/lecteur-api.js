// Lecteur's own engine through its JavaScript API (engine/src/lib.rs), on the same search page
// as the peers: the engine's glue (`engine.js`, loaded before this script), its WebAssembly and
// the index bundle, copied from the built site. Marks come as byte ranges of the UTF-8 text.

import { startSearchPage } from './page.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let engine;

/** `text` cut at the byte ranges `marks` into `[{ text, mark }]`. */
function parts(text, marks) {
  const bytes = encoder.encode(text);
  const cut = [];
  let at = 0;
  for (const { start, end } of marks) {
    if (start > at) cut.push({ text: decoder.decode(bytes.subarray(at, start)), mark: false });
    cut.push({ text: decoder.decode(bytes.subarray(start, end)), mark: true });
    at = end;
  }
  if (at < bytes.length) cut.push({ text: decoder.decode(bytes.subarray(at)), mark: false });
  return cut;
}

startSearchPage({
  async load() {
    await wasm_bindgen({ module_or_path: 'engine_bg.wasm' });
    const bytes = new Uint8Array(await (await fetch('index.bin')).arrayBuffer());
    engine = new wasm_bindgen.Engine(bytes, null);
  },
  async search(query) {
    return engine.search(query, { limit: 50 }).hits.map((hit) => ({
      url: `#/a/${hit.slug}`,
      title: parts(hit.title, hit.title_marks),
      snippet: hit.snippet && parts(hit.snippet.text, hit.snippet.marks),
    }));
  },
});
