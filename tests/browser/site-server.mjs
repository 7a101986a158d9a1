// A static server for the built site that a test can stop, and whose site it can swap for
// another build (a new deploy): the project's one server (`xtask static`, see
// static-server.mjs) in a child process. The site is mounted under the same folder as on the
// server of `cargo xtask test` (LECTEUR_URL's path), so the page again cannot assume it lives at
// the root.

import { mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { LECTEUR_URL } from './browser.mjs';
import { startStatic } from './static-server.mjs';

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
  // The server's root is a symlink to the site, so that a deploy is one atomic rename, done
  // before `deploy` returns: the next request already gets the new build.
  const links = mkdtempSync(path.join(tmpdir(), 'lecteur-site-'));
  const root = path.join(links, 'site');
  symlinkSync(path.resolve(dir), root);
  process.once('exit', () => rmSync(links, { recursive: true, force: true }));
  const also = Object.entries(others).flatMap(([folder, site]) => ['--also', `${folder}=${path.resolve(site)}`]);
  const server = await startStatic(['--root', root, '--mount', mount, ...also]);
  const origin = `http://localhost:${server.port}`;
  return {
    url: `${origin}${mount}`,
    origin,
    deploy(next) {
      const staged = path.join(links, 'next');
      symlinkSync(path.resolve(next), staged);
      renameSync(staged, root);
    },
    async stop() {
      await server.stop();
      rmSync(links, { recursive: true, force: true });
    },
  };
}
