// The codec's certificate profile reader against certificates openssl makes here, each with the
// extensions of one case; what openssl itself prints of them (`x509 -text`) is the oracle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateProfile, TlsParseError, type CertificateProfile } from '@tlsdoctor/tls-parser-ts';

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
  });

  it('refuses what is not a certificate with the offset of the fault, and never reads past the end', () => {
    const der = made.get('server-leaf')!.der;
    for (const cut of [0, 1, 2, 10, 100, der.length - 1]) expect(() => certificateProfile(der.subarray(0, cut)), `cut at ${cut}`).toThrow(TlsParseError);
    const wrong = der.slice();
    wrong[0] = 0x31;
    expect(() => certificateProfile(wrong)).toThrow(/Certificate/);
  });
});
