// A static server for the built site that a test can stop, and whose site it can swap for
// another build (a new deploy). The site is mounted under the same folder as on the server of
// `cargo xtask test` (LECTEUR_URL's path), so the page again cannot assume it lives at the root.

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

import { LECTEUR_URL } from './browser.mjs';
import { CONTENT_TYPES } from './content-types.mjs';

/** A built site's folder, passed by `cargo xtask test` in the environment variable `name`. */
export function builtSite(name) {
  const dir = process.env[name];
  if (!dir) throw new Error(`${name} is not set: run the browser tests with \`cargo xtask test\``);
  return dir;
}

/**
 * Serves `dir` on an ephemeral port of localhost under LECTEUR_URL's path, and each site of
 * `others` (`{ folder: dir }`, e.g. `{ '/autre/': dir }`) under its own folder of the same
 * host. Returns the site's `url`, its `origin`, `deploy(dir)` to serve another build from then
 * on, and `stop()`, after which nothing answers on that port.
 */
export async function serveSite(dir, others = {}) {
  const mount = new URL(LECTEUR_URL).pathname;
  let root = dir;
  /** Sends `relative` (a file of the site in `root`) with `status`; false if there is none. */
  async function send(response, root, relative, status) {
    const file = path.join(root, relative);
    if (!file.startsWith(root + path.sep) || relative.includes('..')) return false;
    try {
      const body = await readFile(file);
      response.writeHead(status, {
        'Content-Type': CONTENT_TYPES[path.extname(file)] || 'application/octet-stream',
        'Cache-Control': 'no-cache',
      });
      response.end(body);
      return true;
    } catch {
      return false;
    }
  }
  const server = http.createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const [folder, site] = [[mount, root], ...Object.entries(others)].find(([folder]) =>
      pathname.startsWith(folder),
    ) ?? [null, root];
    let relative = folder === null ? null : pathname.slice(folder.length);
    if (relative !== null && (relative === '' || relative.endsWith('/'))) relative += 'index.html';
    // An address the site does not have gets its 404 page, as a static host sends it.
    if (relative === null || !(await send(response, site, relative, 200))) {
      if (!(await send(response, site, '404.html', 404))) response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A test that fails before stopping its server must not keep the test process alive.
  server.unref();
  const origin = `http://localhost:${server.address().port}`;
  return {
    url: `${origin}${mount}`,
    origin,
    deploy(next) {
      root = next;
    },
    async stop() {
      if (!server.listening) return;
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
