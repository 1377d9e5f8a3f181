// Certificate cases for `tlsdoctor cert`, the probe and captures: one positive and one near-miss
// negative per finding, made with the openssl command line from the lab's PKI (lab/pki.mjs), each
// beside the verdict of `openssl verify` on the same files. Where the two verdicts differ the
// case says why: a browser rule OpenSSL does not apply, or the other way round.
//
// The cases are data: CERTS says how each certificate is made, CASES what is judged (served
// order, key, name, purpose, time) and what each tool must say. `makeCertCases(dir, pki)` writes
// the files and returns the cases with their paths; making all of them takes about a second
// (one key per kind, shared where a case does not care).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';

const DAY_MS = 86_400_000;

/** Keys by kind; a certificate names the one it needs. CA keys are each their own (a CA's key identifies it). */
const KEYS = {
  ec: ['EC', 'ec_paramgen_curve:P-256'],
  ecOther: ['EC', 'ec_paramgen_curve:P-256'],
  ec192: ['EC', 'ec_paramgen_curve:P-192'],
  rsa2048: ['RSA', 'rsa_keygen_bits:2048'],
  rsa1024: ['RSA', 'rsa_keygen_bits:1024'],
  caP1: ['EC', 'ec_paramgen_curve:P-256'],
  caP0: ['EC', 'ec_paramgen_curve:P-256'],
  caSubP1: ['EC', 'ec_paramgen_curve:P-256'],
  caSubP0: ['EC', 'ec_paramgen_curve:P-256'],
  caSha1: ['EC', 'ec_paramgen_curve:P-256'],
  caNoBc: ['EC', 'ec_paramgen_curve:P-256'],
  caNc: ['EC', 'ec_paramgen_curve:P-256'],
  rootSha1: ['EC', 'ec_paramgen_curve:P-256'],
  caUnderSha1Root: ['EC', 'ec_paramgen_curve:P-256'],
  otherRoot: ['EC', 'ec_paramgen_curve:P-256'],
  caUnderOtherRoot: ['EC', 'ec_paramgen_curve:P-256'],
};

const CA_EXT = (pathlen) => [`basicConstraints = critical, CA:true${pathlen === undefined ? '' : `, pathlen:${pathlen}`}`, 'keyUsage = critical, keyCertSign, cRLSign'];
const LEAF_BC = 'basicConstraints = critical, CA:false';
const KU_EC = 'keyUsage = critical, digitalSignature';
const KU_RSA = 'keyUsage = critical, digitalSignature, keyEncipherment';
const SERVER = 'extendedKeyUsage = serverAuth';
const san = (...names) => `subjectAltName = ${names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(', ')}`;
/** The SANs most leaves carry: every case name under certs.test. */
const CERTS_TEST = san('*.certs.test', 'certs.test');
const leafExt = (...more) => [LEAF_BC, KU_EC, SERVER, CERTS_TEST, ...more];

/**
 * The SCTs of the `sct-list` cases (RFC 6962 3.2), each log's id the SHA-256 of a made-up name:
 * the later given first, so that the earliest is not merely the first. Their signatures are
 * filler: tlsdoctor reads SCTs, it does not verify them.
 */
export const LAB_SCTS = [
  { logId: createHash('sha256').update('cert-cases log B').digest('hex'), time: '2026-01-02T03:04:06.001Z' },
  { logId: createHash('sha256').update('cert-cases log A').digest('hex'), time: '2026-01-02T03:04:05.678Z' },
];

/** One v1 SerializedSCT: version, log id, u64 ms, no extensions, (sha256, ecdsa), a filler signature. */
function serializedSct({ logId, time }) {
  const ms = Buffer.alloc(8);
  ms.writeBigUInt64BE(BigInt(Date.parse(time)));
  const signature = Buffer.alloc(71, 0x5a);
  const body = Buffer.concat([Buffer.from([0]), Buffer.from(logId, 'hex'), ms, Buffer.from([0, 0, 4, 3]), u16(signature.length), signature]);
  return Buffer.concat([u16(body.length), body]);
}
const u16 = (n) => Buffer.from([n >> 8, n & 0xff]);

/**
 * The SCT list extension as openssl's config takes an arbitrary one (`OID = DER:hex`): the
 * extnValue's contents, an OCTET STRING holding the TLS-encoded list. `cut` ends the list
 * inside its last SCT while its length still counts the whole: a malformed list.
 */
function sctExtension(scts, cut = 0) {
  const entries = Buffer.concat(scts.map(serializedSct));
  const list = Buffer.concat([u16(entries.length), entries]).subarray(0, 2 + entries.length - cut);
  return `1.3.6.1.4.1.11129.2.4.2 = DER:04${list.length < 128 ? '' : '81'}${list.length.toString(16).padStart(2, '0')}${list.toString('hex')}`;
}

/**
 * How each certificate is made. issuer: `root` and `inter` are the lab PKI's root and
 * intermediate (pathlen 0); `self` is self-signed; else another entry here. `ext` is the whole
 * extension list (identifiers added to all). The addresses of the IP cases are their servers'.
 */
export const CERTS = {
  // Intermediates under the lab root.
  interP1: { issuer: 'root', key: 'caP1', cn: 'Cert cases CA pathlen 1', ext: CA_EXT(1), days: 3650 },
  interP0: { issuer: 'root', key: 'caP0', cn: 'Cert cases CA pathlen 0', ext: CA_EXT(0), days: 3650 },
  subOfP1: { issuer: 'interP1', key: 'caSubP1', cn: 'Cert cases sub-CA under pathlen 1', ext: CA_EXT(0), days: 3650 },
  subOfP0: { issuer: 'interP0', key: 'caSubP0', cn: 'Cert cases sub-CA under pathlen 0', ext: CA_EXT(0), days: 3650 },
  interSha1: { issuer: 'root', key: 'caSha1', cn: 'Cert cases CA signed with SHA-1', ext: CA_EXT(0), days: 3650, md: 'sha1' },
  interNoBc: { issuer: 'root', key: 'caNoBc', cn: 'Cert cases CA without basicConstraints', ext: [], days: 3650 },
  interNc: {
    issuer: 'root', key: 'caNc', cn: 'Cert cases name-constrained CA', days: 3650,
    ext: [...CA_EXT(0), 'nameConstraints = critical, permitted;DNS:.example.test, excluded;DNS:.bad.example.test'],
  },
  rootSha1: { issuer: 'self', key: 'rootSha1', cn: 'Cert cases root self-signed with SHA-1', ext: CA_EXT(), days: 3650, md: 'sha1' },
  interUnderSha1Root: { issuer: 'rootSha1', key: 'caUnderSha1Root', cn: 'Cert cases CA under the SHA-1 root', ext: CA_EXT(0), days: 3650 },
  // A private CA the client was not given.
  otherRoot: { issuer: 'self', key: 'otherRoot', cn: 'Cert cases root not trusted', ext: CA_EXT(), days: 3650 },
  interUnderOtherRoot: { issuer: 'otherRoot', key: 'caUnderOtherRoot', cn: 'Cert cases CA under the root not trusted', ext: CA_EXT(0), days: 3650 },
  // Leaves, from the lab intermediate unless named.
  leaf: { key: 'ec', cn: 'certs.test', ext: leafExt() },
  rsa2048: { key: 'rsa2048', cn: 'certs.test', ext: [LEAF_BC, KU_RSA, SERVER, CERTS_TEST] },
  rsa1024: { key: 'rsa1024', cn: 'certs.test', ext: [LEAF_BC, KU_RSA, SERVER, CERTS_TEST] },
  p192: { key: 'ec192', cn: 'certs.test', ext: leafExt() },
  sha1Leaf: { key: 'ec', cn: 'certs.test', ext: leafExt(), md: 'sha1' },
  underSha1Inter: { issuer: 'interSha1', key: 'ec', cn: 'certs.test', ext: leafExt() },
  underSha1Root: { issuer: 'interUnderSha1Root', key: 'ec', cn: 'certs.test', ext: leafExt() },
  underOtherRoot: { issuer: 'interUnderOtherRoot', key: 'ec', cn: 'certs.test', ext: leafExt() },
  bothEku: { key: 'ec', cn: 'certs.test', ext: [LEAF_BC, KU_EC, 'extendedKeyUsage = serverAuth, clientAuth', CERTS_TEST] },
  noEku: { key: 'ec', cn: 'certs.test', ext: [LEAF_BC, KU_EC, CERTS_TEST] },
  // An ECDSA key can only sign in a handshake: keyAgreement alone forbids that.
  kuAgreementOnly: { key: 'ec', cn: 'certs.test', ext: [LEAF_BC, 'keyUsage = critical, keyAgreement', SERVER, CERTS_TEST] },
  caLeaf: { key: 'ec', cn: 'certs.test', ext: ['basicConstraints = critical, CA:true', 'keyUsage = critical, digitalSignature, keyCertSign', SERVER, CERTS_TEST] },
  underNoBc: { issuer: 'interNoBc', key: 'ec', cn: 'certs.test', ext: leafExt() },
  ncInside: { issuer: 'interNc', key: 'ec', cn: 'in.example.test', ext: [LEAF_BC, KU_EC, SERVER, san('in.example.test')] },
  ncOutside: { issuer: 'interNc', key: 'ec', cn: 'out.example.org', ext: [LEAF_BC, KU_EC, SERVER, san('out.example.org')] },
  ncExcluded: { issuer: 'interNc', key: 'ec', cn: 'x.bad.example.test', ext: [LEAF_BC, KU_EC, SERVER, san('x.bad.example.test')] },
  underSubP1: { issuer: 'subOfP1', key: 'ec', cn: 'certs.test', ext: leafExt() },
  underSubP0: { issuer: 'subOfP0', key: 'ec', cn: 'certs.test', ext: leafExt() },
  cnOnly: { key: 'ec', cn: 'cnonly.certs.test', ext: [LEAF_BC, KU_EC, SERVER] },
  wildcard: { key: 'ec', cn: 'wild.certs.test', ext: [LEAF_BC, KU_EC, SERVER, san('*.wild.certs.test')] },
  ipSan: { key: 'ec', cn: 'ip san', ext: [LEAF_BC, KU_EC, SERVER, san('198.18.2.100')] },
  ipAsDns: { key: 'ec', cn: '198.18.2.101', ext: [LEAF_BC, KU_EC, SERVER, 'subjectAltName = DNS:198.18.2.101'] },
  idna: { key: 'ec', cn: 'xn--bcher-kva.certs.test', ext: [LEAF_BC, KU_EC, SERVER, san('xn--bcher-kva.certs.test')] },
  days500: { key: 'ec', cn: 'certs.test', ext: leafExt(), days: 500 },
  selfSigned: { issuer: 'self', key: 'ec', cn: 'selfsigned.certs.test', ext: leafExt() },
  // Embedded SCTs, as a public CA's leaf carries them; and a list cut short.
  sctLeaf: { key: 'ec', cn: 'certs.test', ext: leafExt(sctExtension(LAB_SCTS)) },
  sctMalformed: { key: 'ec', cn: 'certs.test', ext: leafExt(sctExtension(LAB_SCTS, 10)) },
};

const OK = 'OK';
/** openssl verify accepts what it has no rule for: key sizes and digests are judged only with -auth_level. */
const NO_AUTH_LEVEL = 'openssl verify applies no key-size or digest floor unless given -auth_level (the lab\'s command gives none); browsers and the CA/Browser Forum\'s rules refuse it';

/**
 * One case: `chain` is what is served or given, in that order (CERTS names, or `lab:NAME` for a
 * certificate of the lab PKI: `lab:inter`, `lab:good`...); `leaf` what openssl verify is given as
 * the certificate to verify (the chain's first unless named); `key` the key given with it;
 * `name` the name judged (a Unicode name is judged as its A-label by openssl); `atDays` when
 * (days from now); `ca` the root trusted (the lab root unless named). `codes`: the exact set of
 * error and warning codes tlsdoctor must give; `openssl`: OK or the error openssl verify names;
 * `why`: where the two differ. `probe` and `pcap`: the codes of a live
 * probe and of a capture of curl where they are not `codes` (less the files-only ones), with
 * `liveWhy`. `serve`: false (with `notServed`) for a case no server can serve.
 */
export const CASES = [
  { id: 'good', chain: ['leaf', 'lab:inter'], key: 'ec', name: 'good.certs.test', codes: [], openssl: OK },
  // Keys.
  { id: 'key-mismatch', chain: ['leaf', 'lab:inter'], key: 'ecOther', name: 'keymismatch.certs.test', codes: ['CERT_KEY_MISMATCH'], openssl: OK,
    why: 'openssl verify reads certificates only; the key is compared by `openssl x509 -noout -pubkey` against `openssl pkey -pubout`', serve: false,
    notServed: 'nginx refuses to start with a key that is not the certificate\'s (SSL_CTX_use_PrivateKey: key values mismatch)' },
  { id: 'rsa-2048', chain: ['rsa2048', 'lab:inter'], key: 'rsa2048', name: 'rsa2048.certs.test', codes: [], openssl: OK },
  { id: 'rsa-1024', chain: ['rsa1024', 'lab:inter'], key: 'rsa1024', name: 'rsa1024.certs.test', codes: ['CERT_WEAK_KEY'], openssl: OK, why: NO_AUTH_LEVEL, weak: true },
  { id: 'ec-p256', chain: ['leaf', 'lab:inter'], key: 'ec', name: 'p256.certs.test', codes: [], openssl: OK },
  { id: 'ec-p192', chain: ['p192', 'lab:inter'], key: 'ec192', name: 'p192.certs.test', codes: ['CERT_WEAK_KEY'], openssl: OK, why: NO_AUTH_LEVEL, weak: true,
    probe: ['NO_SHARED_CIPHER'], pcap: ['NO_SHARED_CIPHER'],
    liveWhy: 'clients offer no P-192 (Node and curl: X25519, P-256, P-384 and up), so a TLS 1.2 server cannot use the ECDSA certificate, and TLS 1.3 has no signature scheme for it: the handshake fails before the certificate is sent' },
  // Signatures: SHA-1 on the leaf or an intermediate is refused; on the root it signs nothing a verifier checks.
  { id: 'sha1-leaf', chain: ['sha1Leaf', 'lab:inter'], key: 'ec', name: 'sha1leaf.certs.test', codes: ['CERT_WEAK_SIGNATURE'], openssl: OK, why: NO_AUTH_LEVEL, weak: true },
  { id: 'sha1-intermediate', chain: ['underSha1Inter', 'interSha1'], key: 'ec', name: 'sha1inter.certs.test', codes: ['CERT_WEAK_SIGNATURE'], openssl: OK, why: NO_AUTH_LEVEL, weak: true },
  { id: 'sha1-root-only', chain: ['underSha1Root', 'interUnderSha1Root'], key: 'ec', name: 'sha1root.certs.test', ca: 'rootSha1', codes: [], openssl: OK },
  // Purpose: the extended key usage, and a key usage that forbids the handshake's signature.
  { id: 'server-eku-as-client', chain: ['leaf', 'lab:inter'], key: 'ec', purpose: 'client', codes: ['CERT_WRONG_PURPOSE'], openssl: 'unsuitable certificate purpose' },
  { id: 'both-eku-as-client', chain: ['bothEku', 'lab:inter'], key: 'ec', purpose: 'client', codes: [], openssl: OK },
  { id: 'both-eku-as-server', chain: ['bothEku', 'lab:inter'], key: 'ec', name: 'botheku.certs.test', codes: [], openssl: OK },
  { id: 'no-eku-as-server', chain: ['noEku', 'lab:inter'], key: 'ec', name: 'noeku.certs.test', codes: [], openssl: OK },
  { id: 'no-eku-as-client', chain: ['noEku', 'lab:inter'], key: 'ec', purpose: 'client', codes: [], openssl: OK },
  { id: 'ecdsa-ku-without-signature', chain: ['kuAgreementOnly', 'lab:inter'], key: 'ec', name: 'kuagree.certs.test', codes: ['CERT_WRONG_PURPOSE'], openssl: OK, pcap: ['NO_SHARED_CIPHER'],
    liveWhy: 'OpenSSL as a TLS 1.2 server picks no ECDSA suite for a certificate whose key usage forbids signing, so curl\'s TLS 1.2 handshake fails before the certificate is sent; over TLS 1.3 (the probe) nginx sends it',
    why: 'OpenSSL\'s sslserver purpose accepts any of digitalSignature, keyEncipherment or keyAgreement whatever the key; an ECDSA key can only sign in a handshake, so without digitalSignature it is unusable (OpenSSL itself, as a TLS 1.2 server, will not use it for an ECDSA suite)' },
  { id: 'ecdsa-ku-signature', chain: ['leaf', 'lab:inter'], key: 'ec', name: 'kusign.certs.test', codes: [], openssl: OK },
  // Order of what is served.
  { id: 'order-leaf-inter', chain: ['underSubP1', 'subOfP1', 'interP1'], key: 'ec', name: 'orderok.certs.test', codes: [], openssl: OK },
  { id: 'order-swapped', chain: ['underSubP1', 'interP1', 'subOfP1'], key: 'ec', name: 'swapped.certs.test', codes: ['CERT_CHAIN_ORDER'], openssl: OK,
    why: 'openssl verify is given the leaf apart from the rest and builds its path from the untrusted pool in any order; it does not judge the order served, which strict clients (older Java, embedded TLS stacks) rely on' },
  // The key names the leaf (the second certificate): the path is judged from it, so the order is
  // the cause; nginx pairs the key with the first certificate and refuses to start, an error.
  { id: 'order-inter-first', chain: ['lab:inter', 'leaf'], leaf: 'leaf', key: 'ec', name: 'interfirst.certs.test', codes: ['CERT_CHAIN_ORDER', 'CERT_KEY_MISMATCH'], openssl: OK,
    why: 'openssl verify is given the leaf apart from the rest: the order of the file does not reach it, nor the pairing of the key with the first certificate', serve: false,
    notServed: 'nginx takes the file\'s first certificate as its own: the intermediate, whose key is not the one given, so it refuses to start' },
  { id: 'order-duplicate', chain: ['leaf', 'lab:inter', 'lab:inter'], key: 'ec', name: 'duplicate.certs.test', codes: ['CERT_CHAIN_ORDER'], openssl: OK,
    why: 'openssl verify ignores a repeated untrusted certificate; serving it costs bytes in every handshake' },
  { id: 'order-extra', chain: ['leaf', 'lab:inter', 'lab:stranger'], key: 'ec', name: 'extra.certs.test', codes: ['CERT_CHAIN_ORDER'], openssl: OK,
    why: 'openssl verify ignores untrusted certificates on no path; serving one costs bytes and confuses strict clients' },
  // Basic constraints and name constraints.
  { id: 'ca-as-leaf', chain: ['caLeaf', 'lab:inter'], key: 'ec', name: 'caleaf.certs.test', codes: ['CERT_CA_AS_LEAF'], openssl: OK,
    why: 'OpenSSL accepts a CA certificate as the end entity (RFC 5280 does not forbid it); the CA/Browser Forum\'s rules require cA false in a subscriber certificate and Firefox refuses one (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY)' },
  { id: 'issuer-without-basic-constraints', chain: ['underNoBc', 'interNoBc'], key: 'ec', name: 'nobc.certs.test', codes: ['CERT_CA_AS_LEAF'], openssl: 'invalid CA certificate' },
  { id: 'name-constraints-inside', chain: ['ncInside', 'interNc'], key: 'ec', name: 'in.example.test', codes: [], openssl: OK },
  { id: 'name-constraints-outside', chain: ['ncOutside', 'interNc'], key: 'ec', name: 'out.example.org', codes: ['CERT_NAME_CONSTRAINTS'], openssl: 'permitted subtree violation' },
  { id: 'name-constraints-excluded', chain: ['ncExcluded', 'interNc'], key: 'ec', name: 'x.bad.example.test', codes: ['CERT_NAME_CONSTRAINTS'], openssl: 'excluded subtree violation' },
  { id: 'pathlen-0-exceeded', chain: ['underSubP0', 'subOfP0', 'interP0'], key: 'ec', name: 'pathlen0.certs.test', codes: ['CERT_PATH_TOO_LONG'], openssl: 'path length constraint exceeded' },
  { id: 'pathlen-1', chain: ['underSubP1', 'subOfP1', 'interP1'], key: 'ec', name: 'pathlen1.certs.test', codes: [], openssl: OK },
  // Time: the lab's expired and future leaves judged now, and a fresh leaf judged later with --at.
  { id: 'expired', chain: ['lab:expired', 'lab:inter'], key: 'lab:expired', name: 'certexpired.lab.test', codes: ['CERT_EXPIRED'], openssl: 'certificate has expired' },
  { id: 'expired-at', chain: ['leaf', 'lab:inter'], key: 'ec', name: 'expiredat.certs.test', atDays: 400, codes: ['CERT_EXPIRED'], openssl: 'certificate has expired',
    serve: false, notServed: 'judged at another time with --at: a probe and a capture judge at the moment of the handshake' },
  { id: 'valid-at', chain: ['leaf', 'lab:inter'], key: 'ec', name: 'validat.certs.test', atDays: 300, codes: [], openssl: OK, serve: false, notServed: 'judged at another time with --at: a probe and a capture judge at the moment of the handshake' },
  { id: 'not-yet-valid', chain: ['lab:future', 'lab:inter'], key: 'lab:future', name: 'certfuture.lab.test', codes: ['CERT_NOT_YET_VALID'], openssl: 'certificate is not yet valid' },
  { id: 'valid-later-at', chain: ['lab:future', 'lab:inter'], key: 'lab:future', name: 'certfuture.lab.test', atDays: 3700, codes: [], openssl: OK, serve: false, notServed: 'judged at another time with --at: a probe and a capture judge at the moment of the handshake' },
  { id: 'days-500-private', chain: ['days500', 'lab:inter'], key: 'ec', name: 'days500.certs.test', codes: [], openssl: OK },
  // Names.
  { id: 'cn-only', chain: ['cnOnly', 'lab:inter'], key: 'ec', name: 'cnonly.certs.test', codes: ['CERT_HOSTNAME_MISMATCH'], openssl: OK,
    why: 'OpenSSL\'s host check falls back to the subject CN when the certificate has no DNS SAN; browsers have ignored the CN since 2017 (RFC 9525 drops it)' },
  { id: 'wildcard-one-label', chain: ['wildcard', 'lab:inter'], key: 'ec', name: 'a.wild.certs.test', codes: [], openssl: OK },
  { id: 'wildcard-two-labels', chain: ['wildcard', 'lab:inter'], key: 'ec', name: 'a.b.wild.certs.test', codes: ['CERT_HOSTNAME_MISMATCH'], openssl: 'hostname mismatch' },
  { id: 'ip-san', chain: ['ipSan', 'lab:inter'], key: 'ec', name: '198.18.2.100', codes: [], openssl: OK },
  { id: 'ip-as-dns-san', chain: ['ipAsDns', 'lab:inter'], key: 'ec', name: '198.18.2.101', codes: ['CERT_HOSTNAME_MISMATCH'], openssl: 'IP address mismatch', pcap: [],
    liveWhy: 'no SNI is sent to an IP address, so a capture does not hold the name the client wanted and cannot judge it' },
  { id: 'idna-unicode-name', chain: ['idna', 'lab:inter'], key: 'ec', name: 'bücher.certs.test', codes: [], openssl: OK },
  { id: 'idna-other-name', chain: ['idna', 'lab:inter'], key: 'ec', name: 'bucher.certs.test', codes: ['CERT_HOSTNAME_MISMATCH'], openssl: 'hostname mismatch' },
  { id: 'name-not-covered', chain: ['leaf', 'lab:inter'], key: 'ec', name: 'wrong.other.test', codes: ['CERT_HOSTNAME_MISMATCH'], openssl: 'hostname mismatch' },
  // Trust.
  { id: 'self-signed', chain: ['selfSigned'], key: 'ec', name: 'selfsigned.certs.test', codes: ['CERT_SELF_SIGNED'], openssl: 'self-signed certificate' },
  { id: 'untrusted-root', chain: ['underOtherRoot', 'interUnderOtherRoot'], key: 'ec', name: 'untrusted.certs.test', codes: ['CERT_UNTRUSTED'], openssl: 'unable to get local issuer certificate' },
  // SCTs are read, not judged, under a private root: the report's head shows the earliest; a
  // malformed list is named there and costs nothing else.
  { id: 'sct-list', chain: ['sctLeaf', 'lab:inter'], key: 'ec', name: 'sct.certs.test', codes: [], openssl: OK },
  { id: 'sct-list-malformed', chain: ['sctMalformed', 'lab:inter'], key: 'ec', name: 'sctbad.certs.test', codes: [], openssl: OK },
  { id: 'intermediate-missing', chain: ['leaf'], key: 'ec', name: 'nochain.certs.test', codes: ['CERT_CHAIN_INCOMPLETE'], openssl: 'unable to get local issuer certificate' },
];

function openssl(args, cwd) {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** The openssl config of one certificate: its subject and its extensions (section v3). */
function certConfig(spec, selfSigned) {
  const ids = selfSigned ? ['subjectKeyIdentifier = hash'] : ['subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid'];
  return `[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = ${spec.cn}\n[v3]\n${[...spec.ext, ...ids].join('\n')}\n`;
}

/** Makes the keys and CERTS in `dir`; returns the path of each certificate and key by name. */
function makeCertificates(dir, pki) {
  const certs = { root: pki.root, inter: pki.intermediate };
  const keys = { root: pki.rootKey, inter: pki.intermediateKey };
  for (const [name, [alg, opt]] of Object.entries(KEYS)) {
    keys[name] = join(dir, `${name}.key`);
    openssl(['genpkey', '-algorithm', alg, '-pkeyopt', opt, '-out', keys[name]], dir);
  }
  for (const [name, spec] of Object.entries(CERTS)) {
    const issuer = spec.issuer ?? 'inter';
    const cfg = join(dir, `${name}.cnf`);
    writeFileSync(cfg, certConfig(spec, issuer === 'self'));
    certs[name] = join(dir, `${name}.crt`);
    const common = ['-days', String(spec.days ?? 365), `-${spec.md ?? 'sha256'}`, '-extensions', 'v3', '-out', certs[name]];
    if (issuer === 'self') {
      openssl(['req', '-x509', '-key', keys[spec.key], '-config', cfg, ...common], dir);
      continue;
    }
    openssl(['req', '-new', '-key', keys[spec.key], '-config', cfg, '-out', join(dir, `${name}.csr`)], dir);
    openssl(['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', certs[issuer], '-CAkey', keys[CERTS[issuer]?.key ?? issuer], '-set_serial', `0x${randomBytes(8).toString('hex')}`,
      '-extfile', cfg, ...common], dir);
  }
  return { certs, keys };
}

/** A CERTS name or `lab:NAME` (a leaf of the lab PKI, or `lab:inter`, `lab:stranger`) as a path. */
function resolver(made, pki) {
  const lab = (name) => (name === 'inter' ? pki.intermediate : name === 'stranger' ? join(pki.dir, 'stranger.crt') : pki.leaf(name).cert);
  return {
    cert: (ref) => (ref.startsWith('lab:') ? lab(ref.slice(4)) : made.certs[ref]),
    key: (ref) => (ref.startsWith('lab:') ? pki.leaf(ref.slice(4)).key : made.keys[ref]),
  };
}

/**
 * Writes every case into `dir` (the lab PKI `pki`, from makePki, issues them) and returns the
 * cases with what each tool is given: `chainFile` (served order), `leafFile` and `untrustedFile`
 * (openssl verify's), `keyFile`, `caFile`, `at` (ISO, or undefined for now), `asciiName`.
 */
export function makeCertCases(dir, pki, now = Date.now()) {
  const certDir = join(dir, 'certs');
  const caseDir = join(dir, 'cases');
  mkdirSync(certDir, { recursive: true });
  mkdirSync(caseDir, { recursive: true });
  const made = makeCertificates(certDir, pki);
  const path = resolver(made, pki);
  return CASES.map((c) => {
    const chainFile = join(caseDir, `${c.id}.chain.pem`);
    writeFileSync(chainFile, c.chain.map((ref) => readFileSync(path.cert(ref), 'utf8')).join(''));
    const isIp = c.name !== undefined && /^[\d.]+$/.test(c.name);
    return {
      ...c,
      purpose: c.purpose ?? 'server',
      chainFile,
      leafFile: path.cert(c.leaf ?? c.chain[0]),
      untrustedFile: chainFile,
      keyFile: path.key(c.key),
      caFile: c.ca ? made.certs[c.ca] : pki.root,
      at: c.atDays === undefined ? undefined : new Date(now + c.atDays * DAY_MS).toISOString(),
      asciiName: c.name === undefined || isIp ? c.name : domainToASCII(c.name),
      isIp,
    };
  });
}

/** The arguments of `openssl verify` for a made case (the lab's command line, with the name where the case has one). */
export function opensslVerifyArgs(c) {
  const args = ['verify', '-x509_strict', '-purpose', c.purpose === 'client' ? 'sslclient' : 'sslserver'];
  if (c.at) args.push('-attime', String(Math.floor(Date.parse(c.at) / 1000)));
  if (c.name !== undefined) args.push(c.isIp ? '-verify_ip' : '-verify_hostname', c.asciiName);
  args.push('-CAfile', c.caFile, '-untrusted', c.untrustedFile, c.leafFile);
  return args;
}

/** The arguments of `tlsdoctor cert` for a made case. */
export function tlsdoctorCertArgs(c) {
  const args = ['cert', c.chainFile, '--key', c.keyFile, '--purpose', c.purpose, '--ca', c.caFile, '--format', 'json'];
  if (c.name !== undefined) args.push('--name', c.name);
  if (c.at) args.push('--at', c.at);
  return args;
}

/** Codes only files can show: a served chain never comes with its private key. */
export const FILES_ONLY_CODES = ['CERT_KEY_MISMATCH'];

/**
 * The lab's nginx servers for the server cases that can be served: one address each (an IP case
 * on the address its certificate names, the others from 198.18.2.110 up), the case's chain in its
 * order and its key; the weak keys and digests need OpenSSL's security level 0 to be loaded.
 */
export function certCaseServers(cases) {
  let next = 110;
  return cases.filter((c) => c.purpose === 'server' && c.serve !== false).map((c) => ({
    host: c.asciiName,
    v4: c.isIp ? c.name : `198.18.2.${next++}`,
    kind: 'nginx',
    certCase: c.id,
    chainFile: c.chainFile,
    keyFile: c.keyFile,
    protocols: 'TLSv1.2 TLSv1.3',
    ...(c.weak ? { ciphers: 'HIGH:!aNULL:@SECLEVEL=0' } : {}),
    port80: false,
  }));
}

/** Whether nginx (`nginx -t`) accepts a certificate file with a key: `{ ok, says }`, its complaint when not. */
export function nginxLoads(chainFile, keyFile, dir) {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'nginx-test.conf');
  writeFileSync(conf, `pid ${join(dir, 'nginx-test.pid')};\nerror_log ${join(dir, 'nginx-test.log')};\nevents {}\nhttp {\n  access_log off;\n  server { listen 127.0.0.1:9443 ssl; ssl_certificate ${chainFile}; ssl_certificate_key ${keyFile}; }\n}\n`);
  try {
    execFileSync('nginx', ['-t', '-q', '-e', join(dir, 'nginx-test.log'), '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, says: '' };
  } catch (e) {
    return { ok: false, says: String(e.stderr).split('\n').find((l) => l.includes('[emerg]')) ?? String(e.stderr).trim() };
  }
}
