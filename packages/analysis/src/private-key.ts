import { createPrivateKey, createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { CertFileError } from './cert-file-error.js';
import { looksLikePkcs12, pemBlocks, PKCS12_HINT, readInputFile } from './cert-files.js';
import { spkiOf } from './trust-anchors.js';

/** A private key read from a file: what it is, and its public half to match a certificate with. */
export interface PrivateKeyRead {
  path: string;
  /** "RSA 2048-bit", "EC P-256", "Ed25519". */
  description: string;
  /** The public key's SubjectPublicKeyInfo DER, base64: equal to the leaf's when they belong together. */
  spki: string;
}

/** A key's type and size in words. */
export function keyWords(k: KeyObject): string {
  const d = k.asymmetricKeyDetails;
  const type = k.asymmetricKeyType ?? 'unknown';
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') return `${type.toUpperCase()} ${d?.modulusLength ?? '?'}-bit`;
  if (type === 'ec') return `EC ${curveName(d?.namedCurve)}`;
  return type === 'ed25519' ? 'Ed25519' : type === 'ed448' ? 'Ed448' : type;
}

function curveName(c: string | undefined): string {
  return c === 'prime256v1' ? 'P-256' : c === 'secp384r1' ? 'P-384' : c === 'secp521r1' ? 'P-521' : c ?? '?';
}

const ENCRYPTED = (label: string, headers: boolean) => label === 'ENCRYPTED PRIVATE KEY' || headers;

function fromDer(bytes: Buffer, passphrase: string | undefined): KeyObject | undefined {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: bytes, format: 'der', type, ...(passphrase !== undefined && type === 'pkcs8' ? { passphrase } : {}) });
    } catch {
      /* the next encoding */
    }
  }
  return undefined;
}

/**
 * The private key of --key: PEM (PKCS#8, PKCS#1, SEC1, encrypted with `password`) or DER. A
 * file that holds a certificate and no key, an encrypted key without a password, a wrong
 * password, or anything else is one CertFileError naming the file and what it found.
 */
export function parsePrivateKey(path: string, bytes: Buffer, password?: string, what = `--key ${path}`): PrivateKeyRead {
  if (bytes.length === 0) throw new CertFileError('EMPTY', `${what}: the file is empty`);
  const text = bytes.toString('latin1');
  const blocks = text.includes('-----BEGIN ') ? pemBlocks(text) : [];
  const keyBlock = blocks.find((b) => /PRIVATE KEY$/.test(b.label));
  let key: KeyObject | undefined;
  if (blocks.length > 0) {
    if (!keyBlock) {
      const certs = blocks.some((b) => b.label.endsWith('CERTIFICATE'));
      throw new CertFileError('NOT_KEY', `${what}: holds ${certs ? 'a certificate' : `only ${[...new Set(blocks.map((b) => b.label))].join(', ')}`}, not a private key${certs ? ': --key names the key file (privkey.pem), the certificates come first' : ''}`);
    }
    const encrypted = ENCRYPTED(keyBlock.label, keyBlock.headers);
    if (encrypted && password === undefined) throw new CertFileError('KEY_ENCRYPTED', `${what}: the key is encrypted: give --password, or write it decrypted as nginx needs it (\`openssl pkey -in ${path} -out key.pem\`; ssl_password_file otherwise)`);
    const start = text.indexOf(`-----BEGIN ${keyBlock.label}-----`);
    const endMark = `-----END ${keyBlock.label}-----`;
    const pem = text.slice(start, text.indexOf(endMark, start) + endMark.length);
    try {
      key = createPrivateKey({ key: pem, format: 'pem', ...(password !== undefined ? { passphrase: password } : {}) });
    } catch (e) {
      throw new CertFileError(encrypted ? 'KEY_ENCRYPTED' : 'BAD_KEY', `${what}: ${encrypted ? 'the password does not open the key' : `the ${keyBlock.label} block (line ${keyBlock.line}) is not a readable key (${(e as Error).message})`}`);
    }
  } else {
    if (looksLikePkcs12(bytes)) throw new CertFileError('PKCS12', `${what}: a PKCS#12 (.p12/.pfx) file, which tlsdoctor does not read: ${PKCS12_HINT.replace(/FILE/g, path)}`);
    key = fromDer(bytes, password);
    if (!key) throw new CertFileError('NOT_KEY', `${what}: holds no private key (neither PEM nor a DER PKCS#8, PKCS#1 or SEC1 key)`);
  }
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  return { path, description: keyWords(key), spki };
}

export function readPrivateKey(path: string, password?: string): PrivateKeyRead {
  const what = `--key ${path}`;
  return parsePrivateKey(path, readInputFile(path, what), password, what);
}

/** The key is the certificate's: their public keys are the same bytes. */
export function keyMatches(key: PrivateKeyRead, cert: X509Certificate): boolean {
  return spkiOf(cert) === key.spki;
}
