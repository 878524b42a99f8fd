#!/usr/bin/env node
// Digital Bazaar's Verifiable Credentials library verifying one credential:
// `@digitalbazaar/vc` verifyCredential with a `DataIntegrityProof` of the
// `eddsa-rdfc-2022` cryptosuite and `@digitalbazaar/vc-bitstring-status-list`'s
// checkStatus (the status list credential is itself verified, and must have the
// same issuer).
//
// usage: node tests/interop/vc_verify.mjs CREDENTIAL.json [--base URL=DIR ...] [--now ISO]
//
// The document loader never touches the network. It answers:
//   - the JSON-LD contexts Satchel bundles (the URL → file table of
//     src/data_integrity/contexts.rs, files in src/data_integrity/contexts/), each
//     compared with the copy the Digital Bazaar packages ship where they ship one (a
//     difference stops the run), and the few only those packages ship;
//   - did:key (Ed25519, `z6Mk…`), resolved here to a DID document with one Multikey;
//   - did:web:HOST[%3APORT][:seg…] → https://HOST[:PORT]/seg…/did.json, or
//     https://HOST/.well-known/did.json without segments, then as a URL:
//   - a URL under a --base URL: the file at the same relative path under DIR
//     (a `#fragment` picks the node with that id, e.g. a key in a DID document).
// Anything else fails the verification with an error naming the URL.
//
// Prints one JSON line: {"ok", "verdict", "errors", "status", "tool"}, where verdict is
// "verified", "revoked" or "suspended" (signature and status list verified, the
// credential's bit set) or "invalid"; ok is true only for "verified".
import fs from 'node:fs';
import path from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import {emit, fail, load, ROOT, version} from './_peer.mjs';

function args(argv) {
  const out = {file: null, bases: [], now: undefined};
  for(let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if(a === '--base' || a === '--now') {
      const v = argv[++i];
      if(v === undefined) {
        throw new Error(`${a} needs a value`);
      }
      if(a === '--now') {
        out.now = v;
        continue;
      }
      const at = v.indexOf('=');
      if(at <= 0 || at === v.length - 1) {
        throw new Error(`--base takes URL=DIR, not ${v}`);
      }
      let url = v.slice(0, at);
      if(!url.endsWith('/')) {
        url += '/';
      }
      out.bases.push([url, path.resolve(v.slice(at + 1))]);
    } else if(out.file === null) {
      out.file = a;
    } else {
      throw new Error(`unexpected argument ${a}`);
    }
  }
  if(!out.file) {
    throw new Error(
      'usage: vc_verify.mjs CREDENTIAL.json [--base URL=DIR ...] [--now ISO]');
  }
  out.bases.sort((x, y) => y[0].length - x[0].length);
  return out;
}

/** Satchel's bundled contexts: URL → parsed document. */
function bundledContexts() {
  const dir = path.join(ROOT, 'src', 'data_integrity', 'contexts');
  const table = fs.readFileSync(
    path.join(ROOT, 'src', 'data_integrity', 'contexts.rs'), 'utf8');
  const contexts = new Map();
  for(const m of table.matchAll(/"(https?:\/\/[^"]+)"\s*=>\s*"([^"]+)",/g)) {
    contexts.set(m[1], JSON.parse(fs.readFileSync(path.join(dir, m[2]), 'utf8')));
  }
  if(contexts.size === 0) {
    throw new Error('no bundled contexts found in src/data_integrity/contexts.rs');
  }
  return contexts;
}

/** The contexts the Digital Bazaar packages ship themselves: URL → [package, document]. */
async function peerContexts() {
  const out = new Map();
  for(const name of ['@digitalbazaar/credentials-context',
    '@digitalbazaar/vc-bitstring-status-list-context',
    '@digitalbazaar/security-context']) {
    const mod = await load(name);
    const map = mod.contexts || (mod.default && mod.default.contexts);
    for(const [url, doc] of map || []) {
      out.set(url, [name, doc]);
    }
  }
  return out;
}

/**
 * Satchel's bundled contexts, each compared with the peers' own copy where they
 * ship one (so the check does not rest on Satchel's copies alone), plus the
 * contexts only the peers ship.
 */
async function contexts() {
  const ours = bundledContexts();
  const all = new Map(ours);
  for(const [url, [name, doc]] of await peerContexts()) {
    if(!ours.has(url)) {
      all.set(url, doc);
    } else if(!isDeepStrictEqual(ours.get(url), doc)) {
      throw new Error(`Satchel's copy of the context ${url} differs from the one ${name} ships`);
    }
  }
  return all;
}

const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';
const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';

function didKeyDocument(did) {
  const key = did.slice('did:key:'.length);
  if(!/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/.test(key)) {
    throw new Error(`${did}: only Ed25519 did:key (z6Mk…) is resolved here`);
  }
  const id = `${did}#${key}`;
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: did,
    verificationMethod: [
      {id, type: 'Multikey', controller: did, publicKeyMultibase: key}
    ],
    assertionMethod: [id],
    authentication: [id]
  };
}

/** did:web:… → the https URL of its DID document. */
export function didWebUrl(did) {
  const parts = did.slice('did:web:'.length).split(':');
  const host = decodeURIComponent(parts[0]);
  if(!host || /[/?#@]/.test(host)) {
    throw new Error(`${did}: not a did:web host`);
  }
  const segments = parts.slice(1).map(decodeURIComponent);
  if(segments.some(s => !s || s === '.' || s === '..' || s.includes('/'))) {
    throw new Error(`${did}: bad did:web path`);
  }
  return segments.length === 0 ?
    `https://${host}/.well-known/did.json` :
    `https://${host}/${segments.join('/')}/did.json`;
}

function fromBases(url, bases) {
  for(const [prefix, dir] of bases) {
    if(url.startsWith(prefix)) {
      const rel = decodeURIComponent(url.slice(prefix.length).split('?')[0]);
      const asked = path.resolve(dir, rel);
      if(!fs.existsSync(asked) || !fs.statSync(asked).isFile()) {
        throw new Error(`${url}: no file ${rel} under ${dir}`);
      }
      // Links are followed, but never out of the folder.
      const file = fs.realpathSync(asked);
      if(!file.startsWith(fs.realpathSync(dir) + path.sep)) {
        throw new Error(`${url} leaves the folder ${dir}`);
      }
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    }
  }
  return undefined;
}

/** The node of `doc` whose id is `id` (absolute, or `#fragment`). */
function nodeById(doc, id) {
  const fragment = '#' + id.split('#')[1];
  const seen = [];
  const visit = v => {
    if(Array.isArray(v)) {
      v.forEach(visit);
    } else if(v && typeof v === 'object') {
      seen.push(v);
      Object.values(v).forEach(visit);
    }
  };
  visit(doc);
  const node = seen.find(n => n.id === id || n.id === fragment);
  if(!node) {
    throw new Error(`${id}: no node with that id in its document`);
  }
  return {'@context': doc['@context'], ...node, id};
}

function makeLoader(contexts, bases, refused) {
  const docs = new Map();
  const answer = (url, document) =>
    ({contextUrl: null, documentUrl: url, document});
  const whole = url => {
    if(docs.has(url)) {
      return docs.get(url);
    }
    let doc;
    if(url.startsWith('did:key:')) {
      doc = didKeyDocument(url);
    } else if(url.startsWith('did:web:')) {
      doc = whole(didWebUrl(url));
      if(doc.id !== url) {
        throw new Error(`${url}: its DID document has id ${doc.id}`);
      }
    } else {
      doc = fromBases(url, bases);
    }
    if(doc === undefined) {
      refused.push(url);
      throw new Error(`refused to load ${url}: not a bundled context, ` +
        'did:key, did:web or a URL under --base');
    }
    docs.set(url, doc);
    return doc;
  };
  return async url => {
    if(contexts.has(url)) {
      return answer(url, contexts.get(url));
    }
    const [base, fragment] = url.split('#');
    const doc = whole(base);
    return answer(url, fragment === undefined ? doc : nodeById(doc, url));
  };
}

function messages(e, out = [], depth = 0) {
  if(!e || depth > 6) {
    return out;
  }
  if(Array.isArray(e)) {
    e.forEach(x => messages(x, out, depth + 1));
    return out;
  }
  if(e.message && !out.includes(e.message)) {
    out.push(e.message);
  }
  messages(e.errors, out, depth + 1);
  messages(e.cause, out, depth + 1);
  return out;
}

async function main() {
  let opts;
  let credential;
  try {
    opts = args(process.argv.slice(2));
    credential = JSON.parse(fs.readFileSync(opts.file, 'utf8'));
  } catch(e) {
    return fail(opts ? `${opts.file}: ${e.message}` : e.message);
  }
  const vc = await load('@digitalbazaar/vc');
  const {DataIntegrityProof} = await load('@digitalbazaar/data-integrity');
  const {cryptosuite} = await load('@digitalbazaar/eddsa-rdfc-2022-cryptosuite');
  const {checkStatus} = await load('@digitalbazaar/vc-bitstring-status-list');
  const tool = `@digitalbazaar/vc ${version('@digitalbazaar/vc')}, ` +
    `eddsa-rdfc-2022-cryptosuite ${version('@digitalbazaar/eddsa-rdfc-2022-cryptosuite')}, ` +
    `vc-bitstring-status-list ${version('@digitalbazaar/vc-bitstring-status-list')}`;

  const refused = [];
  let known;
  try {
    known = await contexts();
  } catch(e) {
    return fail(e.message);
  }
  const documentLoader = makeLoader(known, opts.bases, refused);
  const suite = new DataIntegrityProof({cryptosuite});
  let result;
  try {
    result = await vc.verifyCredential({
      credential, suite, documentLoader, checkStatus, now: opts.now
    });
  } catch(e) {
    result = {verified: false, error: e};
  }
  const errors = messages([result.error,
    (result.results || []).map(r => r.error),
    result.statusResult && result.statusResult.error]);
  for(const url of refused) {
    const m = `refused to load ${url}`;
    if(!errors.some(x => x.includes(m))) {
      errors.push(m);
    }
  }
  const status = ((result.statusResult || {}).results || []).map(r => ({
    purpose: r.credentialStatus && r.credentialStatus.statusPurpose,
    index: r.credentialStatus && r.credentialStatus.statusListIndex,
    set: r.status
  }));
  let verdict = result.verified ? 'verified' : 'invalid';
  if(result.verified) {
    const set = status.filter(s => s.set);
    if(set.some(s => s.purpose === 'revocation')) {
      verdict = 'revoked';
    } else if(set.length > 0) {
      verdict = set[0].purpose === 'suspension' ? 'suspended' : set[0].purpose;
    }
  }
  emit(verdict === 'verified', verdict, errors, {status, tool});
}

main().catch(e => fail(`vc_verify.mjs: ${e.stack || e}`));
