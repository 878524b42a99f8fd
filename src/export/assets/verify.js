/* Satchel: checks a badge again in the visitor's browser.
 *
 * Reads the JSON block #satchel-verify-data that the export wrote into the page
 * (the signed badge and the issuer documents Satchel saved when it verified the
 * badge) and re-checks the signature with WebCrypto. It makes no request at
 * all (the page's Content-Security-Policy forbids it anyway) and writes only
 * text (textContent), never HTML.
 *
 *   OB 2.0 signed (JWS: RS256, ES256, EdDSA): the signature with the issuer's
 *     key, that the key belongs to the issuer, the revocation list, expiry.
 *   OB 3.0 VC-JWT: the signature with the key the JWT names, expiry, status list.
 *   OB 3.0 Data Integrity (eddsa-rdfc-2022, Ed25519Signature2020): the Ed25519
 *     signature over the SHA-256 hashes of the canonical N-Quads Satchel
 *     computed at export, and that every value of the credential is in them.
 *   Hosted badges: not checkable without asking the issuer's server; the page
 *     says how to check live.
 *
 * It runs only on pages of badges Satchel verified (its last verdict leads
 * the summary; the browser never shows a better one), and applies Satchel's
 * key rule: a key counts only when the issuer's own document lists it.
 *
 * The result is left on the page: #browser-check[data-state] and
 * <html data-browser-verdict> (verified, expired, revoked, suspended, invalid, unverifiable);
 * data-state is "not-offered" when Satchel's verdict was not "verified".
 */
(function () {
  'use strict';

  // The same words as the app and the CLI (satchel::verify::Verdict::label).
  var VERDICT_WORDS = {
    verified: 'Verified',
    expired: 'Expired',
    revoked: 'Revoked',
    suspended: 'Suspended',
    invalid: 'Invalid',
    unverifiable: 'Could not check'
  };

  function el(id) { return document.getElementById(id); }

  // ------------------------------------------------------------ bytes

  function b64ToBytes(s, url) {
    s = String(s).replace(/\s+/g, '');
    if (url) { s = s.replace(/-/g, '+').replace(/_/g, '/'); }
    s = s.replace(/=+$/, '');
    while (s.length % 4) { s += '='; }
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }

  function utf8(bytes) { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); }
  function toBytes(str) { return new TextEncoder().encode(str); }

  var B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  function b58ToBytes(s) {
    var bytes = [0];
    for (var i = 0; i < s.length; i++) {
      var v = B58.indexOf(s[i]);
      if (v < 0) { throw new Error('not base58'); }
      var carry = v;
      for (var j = 0; j < bytes.length; j++) {
        carry += bytes[j] * 58;
        bytes[j] = carry & 0xff;
        carry >>= 8;
      }
      while (carry > 0) { bytes.push(carry & 0xff); carry >>= 8; }
    }
    for (var k = 0; k < s.length && s[k] === '1'; k++) { bytes.push(0); }
    return new Uint8Array(bytes.reverse());
  }

  function concat(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a, 0);
    out.set(b, a.length);
    return out;
  }

  function derLength(n) {
    if (n < 128) { return new Uint8Array([n]); }
    var bytes = [];
    while (n > 0) { bytes.unshift(n & 0xff); n >>= 8; }
    return new Uint8Array([0x80 | bytes.length].concat(bytes));
  }
  function der(tag, body) { return concat(concat(new Uint8Array([tag]), derLength(body.length)), body); }

  /* A PEM public key as SPKI DER (PKCS#1 "RSA PUBLIC KEY" is wrapped). */
  function pemToSpki(pem) {
    var m = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(String(pem));
    if (!m) { throw new Error('the key is not in PEM form'); }
    var body = b64ToBytes(m[2], false);
    if (m[1] === 'PUBLIC KEY') { return body; }
    if (m[1] === 'RSA PUBLIC KEY') {
      var algId = new Uint8Array([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);
      return der(0x30, concat(algId, der(0x03, concat(new Uint8Array([0]), body))));
    }
    throw new Error('the PEM block is a ' + m[1].toLowerCase() + ', not a public key');
  }

  /* did:key / multikey z6Mk…: multicodec 0xed 0x01 + 32 bytes. */
  function multikeyEd25519(mb) {
    if (typeof mb !== 'string' || mb[0] !== 'z') { throw new Error('the key is not a base58btc multikey'); }
    var bytes = b58ToBytes(mb.slice(1));
    if (bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) { throw new Error('the multikey is not an Ed25519 key'); }
    return bytes.slice(2);
  }

  /* A multikey as {raw, curve}: Ed25519 (z6Mk…) or P-256 (zDn…, 0x80 0x24 + a
     compressed point, expanded here because WebCrypto imports uncompressed
     points only). */
  function multikey(mb) {
    if (typeof mb !== 'string' || mb[0] !== 'z') { throw new Error('the key is not a base58btc multikey'); }
    var bytes = b58ToBytes(mb.slice(1));
    if (bytes[0] === 0x80 && bytes[1] === 0x24) { return { raw: ecPoint(P256, bytes.slice(2)), curve: 'P-256' }; }
    if (bytes[0] === 0x81 && bytes[1] === 0x24) { return { raw: ecPoint(P384, bytes.slice(2)), curve: 'P-384' }; }
    return { raw: multikeyEd25519(mb), curve: 'Ed25519' };
  }

  /* A compressed P-256 or P-384 point (0x02/0x03 ‖ x) as the uncompressed
     0x04 ‖ x ‖ y: y is the square root of x³ − 3x + b modulo p (p ≡ 3 mod 4
     for both curves). The signature check itself is WebCrypto's; a wrong
     point can only make it fail. */
  var P256 = { name: 'P-256', size: 32, p: BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff'), b: BigInt('0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b') };
  var P384 = { name: 'P-384', size: 48, p: BigInt('0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff'), b: BigInt('0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aef') };
  function bigOf(bytes) { var h = '0x'; for (var i = 0; i < bytes.length; i++) { h += ('0' + bytes[i].toString(16)).slice(-2); } return BigInt(h); }
  function bytesOf(n, size) { var h = ('0'.repeat(size * 2) + n.toString(16)).slice(-size * 2); var out = new Uint8Array(size); for (var i = 0; i < size; i++) { out[i] = parseInt(h.substr(i * 2, 2), 16); } return out; }
  function modPow(b, e, m) { var r = BigInt(1); b %= m; while (e > BigInt(0)) { if (e & BigInt(1)) { r = r * b % m; } b = b * b % m; e >>= BigInt(1); } return r; }
  function ecPoint(curve, c) {
    var n = curve.size;
    if (c.length === 2 * n + 1 && c[0] === 4) { return c; }
    if (c.length !== n + 1 || (c[0] !== 2 && c[0] !== 3)) { throw new Error('the ' + curve.name + ' key is not a compressed point'); }
    var p = curve.p, x = bigOf(c.slice(1));
    if (x >= p) { throw new Error('the ' + curve.name + ' key is not on the curve'); }
    var y2 = ((x * x % p) * x - BigInt(3) * x + curve.b) % p; if (y2 < 0) { y2 += p; }
    var y = modPow(y2, (p + BigInt(1)) / BigInt(4), p);
    if (y * y % p !== y2) { throw new Error('the ' + curve.name + ' key is not on the curve'); }
    if (Number(y & BigInt(1)) !== (c[0] & 1)) { y = p - y; }
    var out = new Uint8Array(2 * n + 1); out[0] = 4; out.set(c.slice(1), 1); out.set(bytesOf(y, n), n + 1);
    return out;
  }
  function p256Point(c) { return ecPoint(P256, c); }

  /* The CBOR subset of an ecdsa-sd-2023 proof value: unsigned integers, byte
     strings, arrays and maps of definite length. */
  function cbor(bytes) {
    var at = 0;
    function len(info) {
      if (info < 24) { return info; }
      var n = { 24: 1, 25: 2, 26: 4 }[info];
      if (!n) { throw new Error('the proof value uses CBOR this check does not read'); }
      var v = 0; for (var i = 0; i < n; i++) { if (at >= bytes.length) { throw new Error('the proof value is cut short'); } v = v * 256 + bytes[at++]; }
      return v;
    }
    function item(depth) {
      if (depth > 4 || at >= bytes.length) { throw new Error('the proof value is cut short or too deep'); }
      var b = bytes[at++], major = b >> 5, n = len(b & 31), out, i;
      if (major === 0) { return n; }
      if (major === 2) { if (at + n > bytes.length) { throw new Error('the proof value is cut short'); } out = bytes.slice(at, at + n); at += n; return out; }
      if (n > bytes.length - at) { throw new Error('the proof value is cut short'); }
      if (major === 4) { out = []; for (i = 0; i < n; i++) { out.push(item(depth + 1)); } return out; }
      if (major === 5) { out = []; for (i = 0; i < n; i++) { out.push([item(depth + 1), item(depth + 1)]); } return out; }
      throw new Error('the proof value holds a CBOR item this check does not read');
    }
    var v = item(0);
    if (at !== bytes.length) { throw new Error('the proof value has bytes after its CBOR'); }
    return v;
  }

  function b64url(bytes) { var s = ''; for (var i = 0; i < bytes.length; i++) { s += String.fromCharCode(bytes[i]); } return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''); }

  // ------------------------------------------------------------ the page's data

  var data;
  var docs = {};

  function doc(url) {
    if (typeof url !== 'string') { return null; }
    var text = docs[url];
    if (text === undefined) { text = docs[url.split('#')[0]]; }
    if (typeof text !== 'string') { return null; }
    try { return JSON.parse(text); } catch (e) { return text; }
  }

  function idOf(v) {
    if (typeof v === 'string') { return v; }
    if (v && typeof v === 'object' && typeof v.id === 'string') { return v.id; }
    return null;
  }

  function list(v) { return Array.isArray(v) ? v : (v === undefined || v === null ? [] : [v]); }

  // ------------------------------------------------------------ keys and signatures

  var ALGS = {
    RS256: { imp: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, ver: { name: 'RSASSA-PKCS1-v1_5' } },
    ES256: { imp: { name: 'ECDSA', namedCurve: 'P-256' }, ver: { name: 'ECDSA', hash: 'SHA-256' } },
    ES384: { imp: { name: 'ECDSA', namedCurve: 'P-384' }, ver: { name: 'ECDSA', hash: 'SHA-384' } },
    EdDSA: { imp: { name: 'Ed25519' }, ver: { name: 'Ed25519' } }
  };

  function publicJwk(jwk) {
    var out = {};
    ['kty', 'crv', 'n', 'e', 'x', 'y'].forEach(function (k) { if (typeof jwk[k] === 'string') { out[k] = jwk[k]; } });
    out.ext = true;
    return out;
  }

  /* key: {spki}, {jwk} or {raw} (Ed25519). */
  async function importKey(alg, key) {
    var a = ALGS[alg];
    if (!crypto || !crypto.subtle) { throw new Error('skip:this browser offers no WebCrypto here (pages served over plain http are not allowed to use it)'); }
    try {
      if (key.spki) { return await crypto.subtle.importKey('spki', key.spki, a.imp, false, ['verify']); }
      if (key.jwk) { return await crypto.subtle.importKey('jwk', publicJwk(key.jwk), a.imp, false, ['verify']); }
      if (key.raw) {
        var want = { ES256: 'P-256', ES384: 'P-384' }[alg] || 'Ed25519';
        if ((key.curve || 'Ed25519') !== want) { throw new Error('wrong curve'); }
        return await crypto.subtle.importKey('raw', key.raw, a.imp, false, ['verify']);
      }
    } catch (e) {
      if (alg === 'EdDSA' && e && e.name === 'NotSupportedError') {
        throw new Error('skip:this browser cannot check Ed25519 signatures');
      }
      throw new Error('the key is not a key for ' + alg);
    }
    throw new Error('no key');
  }

  async function verifySig(alg, key, sig, signed) {
    var k = await importKey(alg, key);
    return crypto.subtle.verify(ALGS[alg].ver, k, sig, signed);
  }

  function parseJws(text) {
    var parts = String(text).trim().split('.');
    if (parts.length !== 3) { throw new Error('the signed badge is not a compact JWS'); }
    var header = JSON.parse(utf8(b64ToBytes(parts[0], true)));
    var payload = JSON.parse(utf8(b64ToBytes(parts[1], true)));
    return {
      header: header,
      payload: payload,
      signed: toBytes(parts[0] + '.' + parts[1]),
      sig: b64ToBytes(parts[2], true)
    };
  }

  // ------------------------------------------------------------ dates and status

  function parseDate(v) {
    if (typeof v === 'number') { return v * 1000; }
    if (typeof v !== 'string') { return null; }
    if (/^\d{9,10}$/.test(v.trim())) { return Number(v.trim()) * 1000; }
    var t = Date.parse(v);
    return isNaN(t) ? null : t;
  }

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  /* A time the one way every Satchel page writes it: 5 December 2026, 14:03 UTC. */
  function showTime(t) {
    var d = new Date(t);
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getUTCDate() + ' ' + MONTHS[d.getUTCMonth()] + ' ' + d.getUTCFullYear() + ', ' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ' UTC';
  }

  function checkExpiry(r, value) {
    if (value === undefined || value === null) { r.step('pass', 'The badge does not expire.'); return; }
    var t = parseDate(value);
    if (t === null) { r.step('warn', 'The expiry date cannot be read.'); return; }
    if (t <= Date.now()) {
      r.expired = true;
      r.step('fail', 'The badge expired on ' + showTime(t) + '.');
    } else {
      r.step('pass', 'The badge has not expired (it expires on ' + showTime(t) + ').');
    }
  }

  function checkNotBefore(r, value) {
    var t = parseDate(value);
    if (t === null) { return; }
    if (t > Date.now() + 300000) {
      r.step('fail', 'The badge is not valid until ' + showTime(t) + '.');
    } else {
      r.step('pass', 'The badge has been valid since ' + showTime(t) + '.');
    }
  }

  async function gunzip(bytes) {
    if (typeof DecompressionStream === 'undefined') { throw new Error('no gzip here'); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function checkStatus(r, credential) {
    var entries = list(credential.credentialStatus);
    if (!entries.length) { r.step('pass', 'The credential names no status list, so there is no revocation to look up.'); }
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i] || {};
      var url = e.statusListCredential;
      var type = String(e.type || '');
      if (!/StatusList/.test(type) || typeof url !== 'string') {
        r.step('skip', 'The status entry of type ' + (type || 'unknown') + ' is not checked in the browser.');
        continue;
      }
      var listDoc = doc(url);
      if (!listDoc || typeof listDoc !== 'object') {
        r.step('skip', 'The status list ' + url + ' was not saved at export.');
        continue;
      }
      try {
        var subject = listDoc.credentialSubject || {};
        var enc = String(subject.encodedList || '');
        var raw = enc[0] === 'u' ? b64ToBytes(enc.slice(1), true) : b64ToBytes(enc, true);
        var bits = await gunzip(raw);
        var index = Number(e.statusListIndex);
        var set = (bits[index >> 3] >> (7 - (index & 7))) & 1;
        var purpose = String(e.statusPurpose || subject.statusPurpose || 'revocation');
        if (set && purpose === 'revocation') {
          r.revoked = true;
          r.step('fail', 'The issuer\'s status list (saved at export) marks this badge as revoked.');
        } else if (set && purpose === 'suspension') {
          r.suspended = true;
          r.step('fail', 'The issuer\'s status list (saved at export) marks this badge as suspended.');
        } else if (set) {
          r.step('warn', 'The issuer\'s status list marks this badge for ' + purpose + '.');
        } else {
          r.step('pass', 'The issuer\'s status list (saved at export) does not mark this badge as ' + purpose + '.');
        }
      } catch (err) {
        r.step('skip', 'The status list could not be read in the browser.');
      }
    }
  }

  // ------------------------------------------------------------ OB 2.0 signed

  async function checkSigned(r) {
    var jws = parseJws(data.jws);
    var alg = jws.header.alg;
    if (!ALGS[alg]) { r.step('fail', 'The signature algorithm ' + alg + ' is not allowed (RS256, ES256 and EdDSA are).'); return; }
    var a = jws.payload;
    var badge = typeof a.badge === 'string' ? doc(a.badge) : a.badge;
    var issuer = badge && (typeof badge.issuer === 'string' ? doc(badge.issuer) : badge.issuer);
    var issuerId = badge ? idOf(badge.issuer) : null;
    var creator = a.verification && a.verification.creator;
    var keyUrls = creator ? [creator] : list(issuer && issuer.publicKey).map(idOf);
    if (!keyUrls.length) { r.step('skip', 'The badge names no key, and the issuer profile lists none.'); return; }
    var tried = 0;
    for (var i = 0; i < keyUrls.length; i++) {
      var keyDoc = doc(keyUrls[i]);
      if (!keyDoc || typeof keyDoc !== 'object' || !keyDoc.publicKeyPem) { continue; }
      tried++;
      var ok;
      try {
        ok = await verifySig(alg, { spki: pemToSpki(keyDoc.publicKeyPem) }, jws.sig, jws.signed);
      } catch (e) {
        var msg = String(e.message || e);
        if (msg.indexOf('skip:') === 0) { r.step('skip', msg.slice(5) + '.'); return; }
        r.step('fail', 'The signature cannot be checked with the issuer\'s key: ' + msg + '.');
        return;
      }
      if (!ok) { continue; }
      r.step('pass', 'The ' + alg + ' signature matches the issuer\'s key ' + keyUrls[i] + '.');
      var owner = keyDoc.owner;
      var listed = list(issuer && issuer.publicKey).map(idOf).indexOf(keyUrls[i]) >= 0;
      if (issuerId && owner === issuerId && listed) {
        r.step('pass', 'The key belongs to the issuer ' + issuerId + ', and the issuer\'s profile lists it.');
      } else if (!issuerId) {
        r.step('skip', 'The badge class was not saved at export, so the issuer is unknown here.');
      } else if (owner !== issuerId) {
        r.step('fail', 'The key belongs to ' + (owner || 'nobody named') + ', not to the issuer ' + issuerId + '.');
      } else {
        r.step('fail', 'The issuer\'s profile does not list the key this badge was signed with.');
      }
      await revocation(r, issuer, a);
      checkExpiry(r, a.expires);
      return;
    }
    if (!tried) { r.step('skip', 'The issuer\'s key was not saved at export.'); return; }
    r.step('fail', 'The signature does not match the issuer\'s key: the badge was changed after it was signed, or signed by someone else.');
  }

  async function revocation(r, issuer, a) {
    var url = issuer && issuer.revocationList;
    if (!url) { r.step('pass', 'The issuer publishes no revocation list.'); return; }
    var rl = doc(url);
    if (!rl || typeof rl !== 'object') { r.step('skip', 'The revocation list ' + url + ' was not saved at export.'); return; }
    var revoked = list(rl.revokedAssertions).some(function (x) {
      var id = idOf(x) || (x && x.uid);
      return id && (id === a.id || id === a.uid);
    });
    if (revoked) {
      r.revoked = true;
      r.step('fail', 'The issuer\'s revocation list (saved at export) revokes this badge.');
    } else {
      r.step('pass', 'The issuer\'s revocation list (saved at export) does not revoke this badge.');
    }
  }

  // ------------------------------------------------------------ OB 3.0 keys

  function didWebUrl(did) {
    var parts = did.slice('did:web:'.length).split('#')[0].split(':').map(decodeURIComponent);
    var host = parts.shift();
    return 'https://' + host + '/' + (parts.length ? parts.join('/') + '/did.json' : '.well-known/did.json');
  }

  function findMethod(d, want, base) {
    var all = [].concat(list(d.verificationMethod), list(d.assertionMethod), list(d.publicKey));
    for (var i = 0; i < all.length; i++) {
      var m = all[i];
      if (!m || typeof m !== 'object') { continue; }
      if (m.id === want || (typeof m.id === 'string' && m.id[0] === '#' && base + m.id === want)) { return m; }
    }
    return null;
  }

  function keyOfMethod(m) {
    if (m.publicKeyMultibase) { return multikey(m.publicKeyMultibase); }
    if (m.publicKeyJwk) { return { jwk: m.publicKeyJwk }; }
    if (m.publicKeyBase58) { return { raw: b58ToBytes(m.publicKeyBase58), curve: 'Ed25519' }; }
    if (m.kty) { return { jwk: m }; }
    throw new Error('the verification method has no public key');
  }

  /* A key reference (did:key, did:web, https, issuer#z6Mk) → {key, how}. */
  function resolveKey(ref, issuerId) {
    if (ref.indexOf('did:key:') === 0) {
      return { key: multikey(ref.slice(8).split('#')[0]), how: 'the did:key itself' };
    }
    var base = ref.split('#')[0];
    var frag = ref.indexOf('#') >= 0 ? ref.slice(ref.indexOf('#') + 1) : '';
    if (ref.indexOf('did:web:') === 0) {
      var url = didWebUrl(ref);
      var d = doc(url);
      if (!d || typeof d !== 'object') { throw new Error('skip:the DID document ' + url + ' was not saved at export'); }
      var m = findMethod(d, ref, base);
      if (!m) { throw new Error('the DID document does not list the key ' + ref); }
      return { key: keyOfMethod(m), how: 'the DID document ' + url + ' (saved at export)' };
    }
    if (/^z(6Mk|Dn)/.test(frag) && !doc(base)) {
      if (issuerId && base !== issuerId) { throw new Error('the key is not the issuer\'s (' + base + ')'); }
      return { key: multikey(frag), how: 'the key written into the reference' };
    }
    if (/^https?:/.test(ref)) {
      var kd = doc(base);
      if (!kd || typeof kd !== 'object') { throw new Error('skip:the key document ' + base + ' was not saved at export'); }
      if (Array.isArray(kd.keys)) {
        var k = kd.keys.filter(function (x) { return x && (x.kid === ref || (frag && x.kid === frag)); })[0] || (kd.keys.length === 1 ? kd.keys[0] : null);
        if (!k) { throw new Error('the JWK set has no key ' + ref); }
        return { key: { jwk: k }, how: 'the JWK set ' + base + ' (saved at export)' };
      }
      if (kd.kty) { return { key: { jwk: kd }, how: 'the JWK ' + base + ' (saved at export)' }; }
      var meth = kd.id === ref ? kd : findMethod(kd, ref, kd.id || base);
      if (!meth) { throw new Error('the key document does not list the key ' + ref); }
      return { key: keyOfMethod(meth), how: 'the key document ' + base + ' (saved at export)' };
    }
    throw new Error('the key reference ' + ref + ' is not one the browser can resolve');
  }

  /* The rule Satchel applies (src/verify/proof/binding.rs): a key is the
     issuer's only when a document the issuer controls lists it: for a did:key
     issuer, the key is that did:key; for did:web, its DID document lists it
     under assertionMethod; for an https issuer, the profile at its id lists it
     under assertionMethod (or publicKey). A key document's own controller
     claim, a JWT jwk header, a JWK set or a key in a URL fragment prove
     integrity only. Keys compare by their bytes. */
  function hex(bytes) { var h = ''; for (var i = 0; i < bytes.length; i++) { h += ('0' + bytes[i].toString(16)).slice(-2); } return h; }
  function fingerprint(key) {
    if (!key) { return null; }
    if (key.raw) {
      if (key.curve === 'Ed25519') { return 'ed25519:' + hex(key.raw); }
      // An uncompressed point 0x04 ‖ x ‖ y → compressed.
      var size = (key.raw.length - 1) / 2;
      return key.curve + ':' + (2 + (key.raw[key.raw.length - 1] & 1)) + hex(key.raw.slice(1, 1 + size));
    }
    var j = key.jwk;
    if (!j) { return null; }
    if (j.kty === 'OKP' && j.crv === 'Ed25519') { return 'ed25519:' + hex(b64ToBytes(j.x, true)); }
    if (j.kty === 'EC' && (j.crv === 'P-256' || j.crv === 'P-384')) {
      var y = b64ToBytes(j.y, true);
      return j.crv + ':' + (2 + (y[y.length - 1] & 1)) + hex(b64ToBytes(j.x, true));
    }
    if (j.kty === 'RSA') {
      var strip = function (b) { var i = 0; while (i < b.length - 1 && b[i] === 0) { i++; } return hex(b.slice(i)); };
      return 'rsa:' + strip(b64ToBytes(j.n, true)) + ':' + strip(b64ToBytes(j.e, true));
    }
    return null;
  }
  function absolute(id, base) { return typeof id === 'string' && id[0] === '#' ? base.split('#')[0] + id : id; }
  function keyFromId(id) {
    if (typeof id !== 'string') { return null; }
    var tail = id.indexOf('did:key:') === 0 ? id.slice(8).split('#')[0] : (id.indexOf('#') >= 0 ? id.slice(id.indexOf('#') + 1) : '');
    try { return /^z/.test(tail) ? multikey(tail) : null; } catch (e) { return null; }
  }
  function listsKey(d, base, names, found, ref) {
    var want = fingerprint(found.key);
    var same = function (k) { return want !== null && fingerprint(k) === want; };
    var described = [].concat(list(d.verificationMethod), list(d.assertionMethod), list(d.publicKey)).filter(function (m) { return m && typeof m === 'object'; });
    var byRef = typeof ref === 'string' && ref.indexOf(':') >= 0;
    var entries = [];
    names.forEach(function (n) { entries = entries.concat(list(d[n])); });
    return entries.some(function (entry) {
      var id = absolute(idOf(entry) || '', base);
      var m = typeof entry === 'object' ? entry : described.filter(function (x) { return absolute(x.id, base) === id; })[0];
      if (m && (m.publicKeyMultibase || m.publicKeyJwk || m.publicKeyBase58)) {
        try { return same(keyOfMethod(m)); } catch (e) { return false; }
      }
      if (byRef && id && id === ref) { return true; }
      if (same(keyFromId(id))) { return true; }
      // A key document the issuer names by URL, saved at export.
      var kd = /^https?:/.test(id) ? doc(id) : null;
      if (kd && typeof kd === 'object' && (!kd.id || kd.id === id)) { try { return same(keyOfMethod(kd)); } catch (e) { return false; } }
      return false;
    });
  }
  function bindKey(r, issuerId, found, ref, whose) {
    var name = whose || 'The issuer';
    if (!issuerId) { r.step('fail', 'The credential names no issuer, so nothing can vouch for its key.'); return; }
    if (issuerId.indexOf('did:key:') === 0) {
      if (same2(keyFromId(issuerId), found.key)) { r.step('pass', name + ' is identified only by this key (a did:key), not by a web address.'); }
      else { r.step('fail', name + ' is a did:key, but the badge was signed with another key.'); }
      return;
    }
    var d; var base = issuerId; var names = ['assertionMethod', 'publicKey'];
    if (issuerId.indexOf('did:web:') === 0) {
      d = doc(didWebUrl(issuerId)); names = ['assertionMethod'];
      if (d && typeof d === 'object' && d.id !== issuerId) { r.step('fail', 'The DID document saved for ' + issuerId + ' is not its document.'); return; }
    } else if (/^https?:/.test(issuerId)) {
      d = doc(issuerId);
      if (d && typeof d === 'object' && typeof d.id === 'string') { base = d.id; }
    } else {
      r.step('skip', 'The signature is intact, but ' + issuerId + ' names no document that could list its keys.'); return;
    }
    if (!d || typeof d !== 'object') { r.step('skip', 'The signature is intact, but the issuer\'s own document was not saved at export, so the browser cannot confirm that the key is the issuer\'s.'); return; }
    if (listsKey(d, base, names, found, ref)) { r.step('pass', 'The issuer\'s own document lists the key that signed it.'); }
    else { r.step('fail', 'The issuer does not list the key this badge was signed with.'); }
  }
  function same2(a, b) { var fa = fingerprint(a); return fa !== null && fa === fingerprint(b); }

  function failOrSkip(r, e, what) {
    var msg = String((e && e.message) || e);
    if (msg.indexOf('skip:') === 0) { r.step('skip', msg.slice(5).replace(/^./, function (c) { return c.toUpperCase(); }) + '.'); }
    else { r.step('fail', what + ': ' + msg + '.'); }
  }

  // ------------------------------------------------------------ OB 3.0 VC-JWT

  function kidRef(kid, claims) {
    if (typeof kid !== 'string') { return null; }
    return kid[0] === '#' ? String(claims.iss || '').split('#')[0] + kid : kid;
  }

  async function checkVcJwt(r) {
    var jws = parseJws(data.jws);
    var alg = jws.header.alg;
    if (!ALGS[alg]) { r.step('fail', 'The JWT algorithm ' + alg + ' is not allowed (RS256, ES256 and EdDSA are).'); return; }
    var claims = jws.payload;
    var cred = claims.vc && typeof claims.vc === 'object' ? claims.vc : claims;
    var found;
    try {
      if (jws.header.jwk) {
        if (jws.header.jwk.d) { throw new Error('the JWT header carries a private key'); }
        found = { key: { jwk: jws.header.jwk }, how: 'the key in the JWT header' };
      } else if (typeof jws.header.kid === 'string') {
        found = resolveKey(kidRef(jws.header.kid, claims), null);
      } else {
        throw new Error('the JWT names no key');
      }
    } catch (e) { failOrSkip(r, e, 'The key cannot be used'); return; }
    var ok;
    try { ok = await verifySig(alg, found.key, jws.sig, jws.signed); } catch (e) { failOrSkip(r, e, 'The signature cannot be checked'); return; }
    if (!ok) { r.step('fail', 'The JWT signature does not match ' + found.how + ': the credential was changed after it was signed.'); return; }
    r.step('pass', 'The ' + alg + ' signature of the JWT matches ' + found.how + '.');
    var iss = typeof claims.iss === 'string' ? claims.iss : idOf(cred.issuer);
    bindKey(r, iss, found, jws.header.jwk ? null : kidRef(jws.header.kid, claims));
    checkNotBefore(r, cred.validFrom || cred.issuanceDate || claims.nbf);
    checkExpiry(r, cred.validUntil || cred.expirationDate || (claims.exp ? claims.exp : undefined));
    await checkStatus(r, cred);
  }

  // ------------------------------------------------------------ OB 3.0 Data Integrity

  /* The RDF string literal form of s, as RDFC-1.0 canonical N-Quads write it. */
  function nquadLiteral(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s[i], code = s.charCodeAt(i);
      if (c === '\\') { out += '\\\\'; } else if (c === '"') { out += '\\"'; } else if (c === '\n') { out += '\\n'; } else if (c === '\r') { out += '\\r'; } else if (c === '\t') { out += '\\t'; } else if (c === '\b') { out += '\\b'; } else if (c === '\f') { out += '\\f'; } else if (code < 0x20 || code === 0x7f) { out += '\\u' + ('000' + code.toString(16).toUpperCase()).slice(-4); } else { out += c; }
    }
    return '"' + out + '"';
  }

  /* Every string value of v (skipping @context and the given keys). */
  function strings(v, skip, out, key) {
    if (typeof v === 'string') { out.push({ key: key, value: v }); }
    else if (Array.isArray(v)) { v.forEach(function (x) { strings(x, skip, out, key); }); }
    else if (v && typeof v === 'object') {
      Object.keys(v).forEach(function (k) { if (k !== '@context' && skip.indexOf(k) < 0) { strings(v[k], skip, out, k); } });
    }
    return out;
  }

  function inNquads(nq, item) {
    var s = item.value;
    // Types may be aliases (AchievementCredential is ob:OpenBadgeCredential):
    // the signature covers them, but not under the name written here.
    if (item.key === 'type' || item.key === '@type') { return true; }
    if (nq.indexOf(nquadLiteral(s)) >= 0) { return true; }
    if (nq.indexOf('<' + s + '>') >= 0) { return true; }
    // Terms (types, enumerations) become vocabulary IRIs ending in the term.
    if (/^[A-Za-z][A-Za-z0-9_.-]*$/.test(s)) {
      return nq.indexOf('#' + s + '>') >= 0 || nq.indexOf('/' + s + '>') >= 0 || nq.indexOf(':' + s + '>') >= 0;
    }
    return false;
  }

  async function sha256(text) { return new Uint8Array(await crypto.subtle.digest('SHA-256', toBytes(text))); }
  async function sha384(text) { return new Uint8Array(await crypto.subtle.digest('SHA-384', toBytes(text))); }

  /* ecdsa-sd-2023, a derived (selectively disclosed) proof: the issuer's key
     signed SHA-256(proof configuration) ‖ a one-time key ‖ SHA-256(the
     mandatory statements); the one-time key signed each other statement. The
     statements are Satchel's canonical N-Quads with each blank node relabelled
     as the proof says, sorted. */
  async function checkSelectiveDisclosure(e, pv, found) {
    if (pv[0] !== 'u') { throw new Error('the proofValue is not base64url'); }
    var bytes = b64ToBytes(pv.slice(1), true);
    if (bytes[0] === 0xd9 && bytes[1] === 0x5d && bytes[2] === 0x00) { throw new Error('skip:this is the issuer\'s ecdsa-sd-2023 base proof, which only the holder can use; only the derived copies holders share can be checked'); }
    if (bytes[0] !== 0xd9 || bytes[1] !== 0x5d || bytes[2] !== 0x01) { throw new Error('the proofValue is not an ecdsa-sd-2023 derived proof'); }
    var parts = cbor(bytes.slice(3));
    if (!Array.isArray(parts) || parts.length !== 5) { throw new Error('the derived proof does not have 5 parts'); }
    var baseSig = parts[0], oneTime = parts[1], sigs = parts[2], labelMap = parts[3], mandatoryIdx = parts[4];
    if (!(oneTime instanceof Uint8Array) || oneTime[0] !== 0x80 || oneTime[1] !== 0x24) { throw new Error('the one-time key is not a P-256 multikey'); }
    var labels = {};
    labelMap.forEach(function (kv) { labels['c14n' + kv[0]] = 'u' + b64url(kv[1]); });
    var quads = e.canonical_document.split('\n').filter(function (l) { return l.length; }).map(function (line) {
      return line.split(' ').map(function (t) {
        if (t.indexOf('_:c14n') !== 0) { return t; }
        var l = labels[t.slice(2)];
        if (!l) { throw new Error('the proof does not name blank node ' + t); }
        return '_:' + l;
      }).join(' ') + '\n';
    });
    quads.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    var isMandatory = quads.map(function () { return false; });
    mandatoryIdx.forEach(function (i) { if (i >= quads.length) { throw new Error('the proof names a statement the credential does not have'); } isMandatory[i] = true; });
    var mandatory = '', optional = [];
    quads.forEach(function (q, i) { if (isMandatory[i]) { mandatory += q; } else { optional.push(q); } });
    if (optional.length !== sigs.length) { throw new Error('the credential discloses ' + optional.length + ' optional statements but the proof signs ' + sigs.length); }
    var signed = concat(concat(await sha256(e.canonical_proof), oneTime), await sha256(mandatory));
    if (!(await verifySig('ES256', found.key, baseSig, signed))) {
      throw new Error('the issuer\'s P-256 signature does not match ' + found.how + ': the credential was changed after it was signed');
    }
    var key = { raw: p256Point(oneTime.slice(2)), curve: 'P-256' };
    for (var i = 0; i < optional.length; i++) {
      if (!(await verifySig('ES256', key, sigs[i], toBytes(optional[i])))) {
        throw new Error('disclosed statement ' + (i + 1) + ' does not match its signature: the credential was changed after it was signed');
      }
    }
    return 'The selective-disclosure signature (ecdsa-sd-2023) matches ' + found.how + ' for all ' + quads.length + ' statements the holder disclosed';
  }

  async function checkIntegrity(r) {
    var cred = data.credential;
    var proofs = list(cred.proof);
    var entries = list(data.di);
    if (!entries.length) {
      var errs = list(data.di_errors);
      if (errs.length) {
        var e0 = errs[0];
        r.step(e0.unverifiable ? 'skip' : 'fail', 'Satchel could not prepare the credential as its signature covers it, so nothing could be handed to the browser: ' + e0.message + '.');
      } else {
        var suites = proofs.map(function (p) { return p && typeof p === 'object' ? String(p.cryptosuite || p.type || '') : ''; }).filter(Boolean);
        r.step('skip', suites.length
          ? 'The browser cannot check this kind of signature (' + suites.join(', ') + '), so this page can only show Satchel\'s own check of it.'
          : 'No proof of this credential could be prepared for the browser.');
      }
      return;
    }
    var issuerId = idOf(cred.issuer);
    var best = null;
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      var proof = proofs[e.index];
      if (!proof || typeof proof !== 'object') { continue; }
      var res = { status: 'fail', text: '' };
      try {
        if (proof.proofPurpose !== 'assertionMethod') { throw new Error('the proof\'s purpose is not assertionMethod'); }
        var created = parseDate(proof.created);
        if (created !== null && created > Date.now() + 300000) { throw new Error('the proof says it was created in the future (' + proof.created + ')'); }
        var suite = String(proof.cryptosuite || proof.type || '');
        var pv = String(proof.proofValue || '');
        var found = resolveKey(String(proof.verificationMethod || ''), issuerId);
        // The canonical forms must say what the page shows.
        var missing = strings(cred, ['proof'], [], null).filter(function (it) { return !inNquads(e.canonical_document, it); });
        var config = {}; Object.keys(proof).forEach(function (k) { if (k !== 'proofValue') { config[k] = proof[k]; } });
        var missingP = strings(config, [], [], null).filter(function (it) { return !inNquads(e.canonical_proof, it); });
        var what;
        if (suite === 'ecdsa-sd-2023') {
          what = await checkSelectiveDisclosure(e, pv, found);
        } else {
          if (pv[0] !== 'z') { throw new Error('the proofValue is not base58btc'); }
          var sig = b58ToBytes(pv.slice(1));
          var ecdsa = suite === 'ecdsa-rdfc-2019';
          // P-384 keys sign SHA-384 hashes, P-256 and Ed25519 keys SHA-256 ones.
          var curve = ecdsa ? (found.key.curve || (found.key.jwk && found.key.jwk.crv) || 'P-256') : 'Ed25519';
          var alg = { 'P-256': 'ES256', 'P-384': 'ES384' }[curve] || 'EdDSA';
          if (sig.length !== (alg === 'ES384' ? 96 : 64)) { throw new Error('the proofValue is not a ' + (alg === 'ES384' ? 96 : 64) + '-byte ' + curve + ' signature'); }
          var hash = alg === 'ES384' ? sha384 : sha256;
          var signed = concat(await hash(e.canonical_proof), await hash(e.canonical_document));
          var ok = await verifySig(alg, found.key, sig, signed);
          if (!ok) { throw new Error('the ' + curve + ' signature does not match ' + found.how + ': the credential was changed after it was signed'); }
          what = 'The ' + (ecdsa ? curve + ' ECDSA' : 'Ed25519') + ' signature (' + suite + ') matches ' + found.how;
        }
        if (missing.length || missingP.length) {
          var m = (missing[0] || missingP[0]);
          throw new Error('the signed data does not contain the value "' + m.value.slice(0, 60) + '" (' + (m.key || 'a value') + ') shown here');
        }
        res = { status: 'pass', text: what + ', and every value of the credential shown here is in the signed data.', found: found, ref: String(proof.verificationMethod || '') };
      } catch (err) {
        var msg = String((err && err.message) || err);
        res = msg.indexOf('skip:') === 0 ? { status: 'skip', text: msg.slice(5) } : { status: 'fail', text: msg };
      }
      if (res.status === 'pass') { best = res; break; }
      if (!best || (best.status === 'skip' && res.status === 'fail')) { best = res; }
    }
    if (!best) { r.step('skip', 'No proof of this credential could be checked.'); return; }
    if (best.status === 'pass') { r.step('pass', best.text); }
    else { r.step(best.status, best.text.replace(/^./, function (c) { return c.toUpperCase(); }) + '.'); }
    if (best.status !== 'pass') { return; }
    bindKey(r, issuerId, best.found, best.ref);
    r.step('pass', 'The browser checked the signature over the credential as Satchel prepared it at export.');
    r.technical('What was hashed is the RDFC-1.0 canonical form (N-Quads) Satchel computed at export; the browser hashed it itself with SHA-256 but did not redo the JSON-LD canonicalization.');
    checkNotBefore(r, cred.validFrom || cred.issuanceDate);
    checkExpiry(r, cred.validUntil || cred.expirationDate);
    await checkStatus(r, cred);
  }

  // ------------------------------------------------------------ hosted

  function sameJson(a, b) { return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b)); }
  function sortKeys(v) {
    if (Array.isArray(v)) { return v.map(sortKeys); }
    if (v && typeof v === 'object') { var o = {}; Object.keys(v).sort().forEach(function (k) { o[k] = sortKeys(v[k]); }); return o; }
    return v;
  }

  function checkHosted(r) {
    var url = data.assertion_url;
    var served = doc(url);
    if (served && typeof served === 'object' && data.credential) {
      if (sameJson(served, data.credential)) {
        r.step('pass', 'The badge is the same as the copy the issuer\'s server returned when Satchel checked it.');
      } else {
        r.step('warn', 'The badge differs from the copy the issuer\'s server returned when Satchel checked it.');
      }
    }
    r.step('skip', 'A hosted badge is proved by the issuer\'s server, and this page asks no server anything: check it live (below).');
  }

  // ------------------------------------------------------------ run

  function Result(listEl) {
    this.steps = [];
    this.revoked = false;
    this.suspended = false;
    this.expired = false;
    this.listEl = listEl;
  }
  Result.prototype.step = function (status, text) {
    this.steps.push({ status: status, text: text });
    if (!this.listEl) { return; }
    var li = document.createElement('li');
    li.className = 'check-' + status;
    var sym = document.createElement('span');
    sym.className = 'sym';
    sym.setAttribute('aria-hidden', 'true');
    sym.textContent = { pass: '✓', fail: '✗', warn: '!', skip: '–' }[status] || '·';
    li.appendChild(sym);
    li.appendChild(document.createTextNode(' ' + text));
    this.listEl.appendChild(li);
  };
  /* A note for the technical details at the end of the page, not a step. */
  Result.prototype.technical = function (text) {
    var list = el('browser-technical');
    if (!list) { return; }
    var li = document.createElement('li');
    li.textContent = text;
    list.appendChild(li);
  };
  Result.prototype.verdict = function () {
    var has = function (s, steps) { return steps.some(function (x) { return x.status === s; }); };
    var fails = this.steps.filter(function (x) { return x.status === 'fail' && !/expired on|marks this badge as suspended/.test(x.text); });
    if (this.revoked) { return 'revoked'; }
    if (fails.length) { return 'invalid'; }
    if (this.suspended) { return 'suspended'; }
    if (has('skip', this.steps) || !this.steps.length) { return 'unverifiable'; }
    if (this.expired) { return 'expired'; }
    return 'verified';
  };

  var WHAT = {
    signed: 'the issuer\'s signature (JWS) with the issuer\'s public key, that the key is the issuer\'s, the revocation list and the expiry date',
    'vc-jwt': 'the JWT signature with the key it names, the expiry date and the status list',
    'data-integrity': 'the signature over the credential as Satchel prepared it at export, that the credential shown here is what was signed, the expiry date and the status list',
    hosted: 'nothing that proves a hosted badge (only its issuer\'s server can)'
  };

  async function run() {
    document.documentElement.setAttribute('data-satchel-script', 'ran');
    var dataEl = el('satchel-verify-data');
    var box = el('browser-check');
    var summary = el('browser-summary');
    if (!dataEl || !box || !summary) { return; }
    var r = new Result(el('browser-steps'));
    try { data = JSON.parse(dataEl.textContent); } catch (e) { data = null; }
    var sv = data && data.satchel ? data.satchel.verdict : null;
    var saved = data && data.satchel ? (data.satchel.checked_at_text || data.satchel.checked_at) : 'export';
    var lead = 'Satchel: ' + (VERDICT_WORDS[sv] || 'not checked') + ' (checked ' + saved + ').';
    // The browser check is offered only for badges Satchel verified, and a
    // page never shows a better verdict than Satchel's last one.
    if (sv !== 'verified') {
      box.setAttribute('data-state', 'not-offered');
      summary.textContent = lead + ' The check in your browser is offered only for badges Satchel verified.';
      return;
    }
    try {
      docs = data.documents || {};
      if (data.format === 'signed' && data.jws) { await checkSigned(r); }
      else if (data.format === 'vc-jwt' && data.jws) { await checkVcJwt(r); }
      else if (data.format === 'data-integrity' && data.credential) { await checkIntegrity(r); }
      else if (data.format === 'hosted') { checkHosted(r); }
      else { r.step('skip', 'The browser cannot check this kind of badge.'); }
    } catch (e) {
      r.step('fail', 'The badge could not be read: ' + String((e && e.message) || e) + '.');
    }
    var v = r.verdict();
    box.setAttribute('data-state', v);
    document.documentElement.setAttribute('data-browser-verdict', v);
    var when = showTime(Date.now());
    summary.textContent = lead + ' Your browser checked it again just now (' + when + '), on this device, with the issuer documents Satchel saved when it checked the badge, and made no request: ' +
      VERDICT_WORDS[v] + '. It checked ' + (WHAT[data && data.format] || 'what it could') + '.';
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', run); } else { run(); }
}());
