#!/usr/bin/env node
// The npm bakery (`openbadges-bakery`, Mozilla) unbaking one PNG or SVG badge.
//
// usage: node tests/interop/unbake.mjs FILE
// Prints one JSON line: {"ok", "verdict": "found"|"none", "payload": TEXT|null, "errors", "tool"}.
// Uses `extract()` only (`debake()` would fetch a hosted URL); reads the file, no network.
import fs from 'node:fs';
import {emit, fail, load, version} from './_peer.mjs';

const file = process.argv[2];
if(!file || process.argv.length !== 3) {
  fail('usage: unbake.mjs FILE');
} else {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch(e) {
    fail(`${file}: ${e.message}`);
  }
  if(bytes) {
    const bakery = (await load('openbadges-bakery')).default;
    const tool = `openbadges-bakery (npm) ${version('openbadges-bakery')}`;
    const payload = await new Promise(resolve => {
      let done = false;
      bakery.extract(bytes, (err, data) => {
        if(!done) {
          done = true;
          resolve(err ? {err} : {data});
        }
      });
    });
    if(payload.err || payload.data == null) {
      const why = payload.err ? payload.err.message : 'no badge found';
      emit(false, 'none', [`${file}: ${why}`], {payload: null, tool});
    } else {
      emit(true, 'found', [], {payload: String(payload.data), tool});
    }
  }
}
