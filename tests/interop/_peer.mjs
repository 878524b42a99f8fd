// Shared by the Node peer scripts: where the pinned packages are, and the one-line answer.
//
// The packages live in target/interop/node/node_modules (installed by
// tests/interop/install.sh; SATCHEL_INTEROP_DIR moves target/interop), outside the
// source tree, so they are resolved from there rather than from this folder.
// Importing this module also makes every socket refuse anything but loopback.
// Every script prints exactly one JSON line on stdout, {"ok", "verdict", "errors", ...},
// and exits 0 when the peer accepted the input, 1 when it did not, 2 when it could not run.
import {createRequire} from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

// Below any library, a socket connects only to the loopback address.
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function(...args) {
  let target = Array.isArray(args[0]) ? args[0][0] : args[0];
  if(target && typeof target === 'object') {
    target = target.path ? null : (target.host || 'localhost');
  } else if(typeof target === 'string' && Number.isNaN(Number(target))) {
    target = null; // a local socket path
  } else {
    target = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  if(target !== null && !LOOPBACK.has(target)) {
    const error = new Error(
      `refused a connection to ${target} (only 127.0.0.1 is reachable)`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '..', '..');
const INTEROP = process.env.SATCHEL_INTEROP_DIR || path.join(ROOT, 'target', 'interop');
const nodeRequire = createRequire(path.join(INTEROP, 'node', 'package.json'));

/** Imports a package (ESM or CommonJS) from target/interop/node. */
export async function load(name) {
  return import(pathToFileURL(nodeRequire.resolve(name)).href);
}

/** The installed version of a package. */
export function version(name) {
  const file = path.join(INTEROP, 'node', 'node_modules', name, 'package.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')).version;
}

export function emit(ok, verdict, errors, extra = {}) {
  const line = {ok: !!ok, verdict, errors: errors.map(String), ...extra};
  process.stdout.write(JSON.stringify(line) + '\n', () => process.exit(ok ? 0 : 1));
}

export function fail(message) {
  process.stdout.write(
    JSON.stringify({ok: false, verdict: 'error', errors: [String(message)]}) + '\n',
    () => process.exit(2));
}
