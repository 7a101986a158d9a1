// Starts the project's one static server, `xtask static` (xtask/src/serve.rs), as a child
// process, for the servers the browser tests (site-server.mjs) and the benchmarks
// (bench/harness.mjs) start, stop or watch themselves. The MIME types, the precompressed
// siblings, the cache headers and the path rules are then the same as `cargo xtask serve`'s.
//
// The binary is the xtask already built: `LECTEUR_XTASK`, which every command `cargo xtask`
// runs is given (the path of the running xtask), else `target/debug/xtask` (or under
// CARGO_TARGET_DIR), which `cargo xtask …` and `cargo build -p xtask` build. Never cargo itself:
// a test must not wait for a build, nor start one beside another.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The xtask binary to run. */
function xtask() {
  const given = process.env.LECTEUR_XTASK;
  if (given && existsSync(given)) return given;
  if (given) throw new Error(`LECTEUR_XTASK=${given} does not exist: unset it, or build xtask (\`cargo build -p xtask\`)`);
  const target = path.resolve(REPOSITORY, process.env.CARGO_TARGET_DIR || 'target');
  const built = path.join(target, 'debug', 'xtask');
  if (existsSync(built)) return built;
  throw new Error(
    `LECTEUR_XTASK is not set and ${built} does not exist: run through \`cargo xtask test\` ` +
      '(or `cargo xtask bench`), or build it with `cargo build -p xtask`',
  );
}

/**
 * Runs `xtask static ARGS` and resolves once it listens, with `{ port, url, stop() }`. Each
 * further line it prints (with `--log`, one JSON object per response) is parsed and given to
 * `onLine`. The server exits when this process does (`--exit-with-stdin`), and `stop()` ends it
 * and waits until it has exited, after which nothing answers on its port.
 */
export async function startStatic(args, { onLine } = {}) {
  const child = spawn(xtask(), ['static', '--exit-with-stdin', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const lines = readline.createInterface({ input: child.stdout });
  const ready = await new Promise((resolve, reject) => {
    child.once('error', reject);
    exited.then((code) =>
      reject(new Error(`\`xtask static ${args.join(' ')}\` exited (${code}) before listening; see its message above`)),
    );
    let first = true;
    lines.on('line', (line) => {
      if (first) {
        first = false;
        resolve(JSON.parse(line));
      } else {
        onLine?.(JSON.parse(line));
      }
    });
  });
  // A test that fails before stopping its server must not keep the test process alive.
  child.unref();
  child.stdin.unref();
  child.stdout.unref();
  return {
    port: ready.port,
    url: ready.url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // Waiting for the exit must keep this process alive until it comes.
      child.ref();
      child.kill();
      await exited;
    },
  };
}
