// The codec's certificate profile reader against certificates openssl makes here, each with the
// extensions of one case; what openssl itself prints of them (`x509 -text`) is the oracle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateProfile, TlsParseError, type CertificateProfile } from '@tlsdoctor/tls-parser-ts';

/** How `openssl x509 -text` spells what the profile names. */
const OPENSSL_WORDS: Record<string, string> = {
  digitalSignature: 'Digital Signature', keyEncipherment: 'Key Encipherment', keyCertSign: 'Certificate Sign', cRLSign: 'CRL Sign',
  keyAgreement: 'Key Agreement', decipherOnly: 'Decipher Only', serverAuth: 'TLS Web Server Authentication', clientAuth: 'TLS Web Client Authentication',
  '1.3.6.1.4.1.99999.1': '1.3.6.1.4.1.99999.1',
};

const dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-x509-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate with these extension lines (openssl's config syntax), as DER. */
function make(name: string, key: string[], digest: string, extensions: string[]): { der: Uint8Array; text: string } {
  const cnf = join(dir, `${name}.cnf`);
  writeFileSync(cnf, `[req]\ndistinguished_name = dn\nprompt = no\nx509_extensions = ext\n[dn]\nCN = ${name}\n[ext]\n${extensions.join('\n')}\n`);
  const pem = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', ...key, '-nodes', '-keyout', join(dir, `${name}.key`), '-out', pem, `-${digest}`, '-days', '30', '-config', cnf], { stdio: 'ignore' });
  const der = new Uint8Array(new X509Certificate(readFileSync(pem)).raw);
  const text = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-text'], { encoding: 'utf8' });
  return { der, text };
}

const EC = ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
const RSA = ['rsa:2048'];

const CASES: { name: string; key: string[]; digest: string; ext: string[]; want: CertificateProfile }[] = [
  {
    name: 'server-leaf',
    key: EC,
    digest: 'sha256',
    ext: ['basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = serverAuth', 'subjectAltName = DNS:example.test'],
    want: { signatureAlgorithm: 'ecdsa-with-SHA256', signatureHash: 'SHA-256', basicConstraints: { ca: false, critical: true }, keyUsage: ['digitalSignature'], extKeyUsage: ['serverAuth'] },
  },
  {
    name: 'client-leaf',
    key: RSA,
    digest: 'sha384',
    ext: ['keyUsage = digitalSignature, keyEncipherment', 'extendedKeyUsage = clientAuth, 1.3.6.1.4.1.99999.1'],
    want: { signatureAlgorithm: 'sha384WithRSAEncryption', signatureHash: 'SHA-384', keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['clientAuth', '1.3.6.1.4.1.99999.1'] },
  },
  {
    name: 'ca-pathlen',
    key: EC,
    digest: 'sha384',
    ext: ['basicConstraints = critical, CA:true, pathlen:0', 'keyUsage = critical, keyCertSign, cRLSign'],
    want: { signatureAlgorithm: 'ecdsa-with-SHA384', signatureHash: 'SHA-384', basicConstraints: { ca: true, pathLen: 0, critical: true }, keyUsage: ['keyCertSign', 'cRLSign'] },
  },
  {
    name: 'sha1-decipher',
    key: RSA,
    digest: 'sha1',
    ext: ['basicConstraints = CA:true, pathlen:3', 'keyUsage = keyAgreement, decipherOnly'],
    want: { signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1', basicConstraints: { ca: true, pathLen: 3, critical: false }, keyUsage: ['keyAgreement', 'decipherOnly'] },
  },
  {
    name: 'name-constraints',
    key: EC,
    digest: 'sha256',
    ext: ['basicConstraints = critical, CA:true', 'nameConstraints = critical, permitted;DNS:.example.test, permitted;IP:192.0.2.0/255.255.255.0, excluded;DNS:secret.example.test, excluded;IP:2001:db8::/ffff:ffff::, permitted;email:example.test'],
    want: {
      signatureAlgorithm: 'ecdsa-with-SHA256',
      signatureHash: 'SHA-256',
      basicConstraints: { ca: true, critical: true },
      nameConstraints: { permittedDns: ['.example.test'], excludedDns: ['secret.example.test'], permittedIp: ['192.0.2.0/24'], excludedIp: ['2001:db8:0:0:0:0:0:0/32'], otherKinds: ['rfc822Name'], critical: true },
    },
  },
  { name: 'no-extensions', key: ['ed25519'], digest: 'sha256', ext: ['subjectKeyIdentifier = hash'], want: { signatureAlgorithm: 'Ed25519' } },
];

describe('certificate profiles', () => {
  const made = new Map<string, { der: Uint8Array; text: string }>();
  beforeAll(() => {
    for (const c of CASES) made.set(c.name, make(c.name, c.key, c.digest, c.ext));
  }, 60_000);

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const { der, text } = made.get(name)!;
    expect(certificateProfile(der)).toEqual(c.want);
    // openssl prints the same signature algorithm (its own spelling of the Ed25519 one aside).
    expect(text).toContain(`Signature Algorithm: ${c.want.signatureAlgorithm === 'Ed25519' ? 'ED25519' : c.want.signatureAlgorithm}`);
    // ... and the same usages, constraints and critical flags, in its words.
    const section = (title: string) => new RegExp(`X509v3 ${title}:( critical)? *\\n\\s+([^\\n]*)`).exec(text);
    const ku = section('Key Usage');
    expect(ku?.[2].split(', ') ?? [], 'Key Usage').toEqual((c.want.keyUsage ?? []).map((k) => OPENSSL_WORDS[k]));
    const eku = section('Extended Key Usage');
    expect(eku?.[2].split(', ') ?? [], 'Extended Key Usage').toEqual((c.want.extKeyUsage ?? []).map((k) => OPENSSL_WORDS[k]));
    const bc = section('Basic Constraints');
    const want = c.want.basicConstraints;
    expect(bc ? { critical: bc[1] !== undefined, text: bc[2] } : undefined).toEqual(want && { critical: want.critical, text: `CA:${want.ca ? 'TRUE' : 'FALSE'}${want.pathLen !== undefined ? `, pathlen:${want.pathLen}` : ''}` });
  });

  it('reads object identifiers as X.690 does: 2.x arcs past 39, several bytes each', () => {
    // A certificate whose signature algorithm is 2.999.3 (first subidentifier 1079: two bytes).
    const der = made.get('no-extensions')!.der;
    // The outer signatureAlgorithm: the last of the two copies (the other is inside tbsCertificate).
    const oidAt = findOid(der, [0x06, 0x03, 0x2b, 0x65, 0x70], true);
    const patched = new Uint8Array([...der.subarray(0, oidAt), 0x06, 0x03, 0x88, 0x37, 0x03, ...der.subarray(oidAt + 5)]);
    expect(certificateProfile(patched).signatureAlgorithm).toBe('2.999.3');
  });

  it('refuses what is not a certificate with the offset of the fault, and never reads past the end', () => {
    // Bytes after the certificate, and a pathLen that is negative.
    expect(() => certificateProfile(new Uint8Array([...made.get('server-leaf')!.der, 0]))).toThrow(TlsParseError);
    const ca = made.get('ca-pathlen')!.der;
    const pathLenAt = findOid(ca, [0x02, 0x01, 0x00]);
    const negative = ca.slice();
    negative[pathLenAt + 2] = 0xff;
    expect(() => certificateProfile(negative)).toThrow(/negative INTEGER/);
    const der = made.get('server-leaf')!.der;
    for (const cut of [0, 1, 2, 10, 100, der.length - 1]) expect(() => certificateProfile(der.subarray(0, cut)), `cut at ${cut}`).toThrow(TlsParseError);
    const wrong = der.slice();
    wrong[0] = 0x31;
    expect(() => certificateProfile(wrong)).toThrow(/Certificate/);
  });
});

/** Where a byte pattern first occurs (the tests patch certificates there). */
function findOid(der: Uint8Array, pattern: number[], last = false): number {
  let found = -1;
  for (let i = 0; i + pattern.length <= der.length; i++) {
    if (!pattern.every((b, j) => der[i + j] === b)) continue;
    found = i;
    if (!last) break;
  }
  if (found >= 0) return found;
  throw new Error(`pattern ${pattern} not found`);
}
