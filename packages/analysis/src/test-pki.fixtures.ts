// Certificates made with the real openssl command line at test time, in a temporary directory:
// roots, intermediates, cross-signs and leaves, with any key type. Validity is in days from now
// (openssl 3.0's x509 takes no start date): a test judges "later" with an `at` in the future.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertFileError } from './cert-file-error.js';

export type KeyAlg = 'ec' | 'rsa' | 'ed25519';

export interface IssueOptions {
  /** The issuer's name in this PKI; none: self-signed. */
  issuer?: string;
  /** The subject's CN (default: the name). */
  cn?: string;
  /** Reuse another name's key (a cross-sign, a renewal with the same key). */
  keyOf?: string;
  alg?: KeyAlg;
  ca?: boolean;
  days?: number;
  sans?: string[];
  /** extendedKeyUsage, as openssl writes it (serverAuth, clientAuth). */
  eku?: string;
}

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'tlsdoctor-pki-'));
  private serial = 4096;

  private run(args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  pem(name: string): string {
    return readFileSync(this.path(`${name}.crt`), 'latin1');
  }

  key(name: string, alg: KeyAlg = 'ec'): string {
    const file = this.path(`${name}.key`);
    const opts = alg === 'ec' ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'] : alg === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'ED25519'];
    this.run(['genpkey', ...opts, '-out', file]);
    return file;
  }

  /** Makes `name.crt` (and `name.key` unless keyOf), issued by `o.issuer` or self-signed. */
  issue(name: string, o: IssueOptions = {}): string {
    const keyName = o.keyOf ?? name;
    if (!o.keyOf) this.key(name, o.alg);
    const ext = [
      `basicConstraints = critical, CA:${o.ca ? 'true' : 'false'}`,
      `keyUsage = critical, ${o.ca ? 'keyCertSign, cRLSign' : 'digitalSignature, keyEncipherment'}`,
      'subjectKeyIdentifier = hash',
      ...(o.issuer ? ['authorityKeyIdentifier = keyid'] : []),
      ...(o.ca ? [] : [`extendedKeyUsage = ${o.eku ?? 'serverAuth'}`]),
      ...(o.sans && o.sans.length > 0 ? [`subjectAltName = ${o.sans.map((s) => (/^[\d.]+$|:/.test(s) ? `IP:${s}` : `DNS:${s}`)).join(', ')}`] : []),
    ];
    writeFileSync(this.path(`${name}.ext`), `[x]\n${ext.join('\n')}\n`);
    const subj = `/CN=${o.cn ?? name}`;
    const days = String(o.days ?? 365);
    this.run(['req', '-new', '-key', `${keyName}.key`, '-subj', subj, '-out', `${name}.csr`]);
    const signer = o.issuer ? ['-CA', `${o.issuer}.crt`, '-CAkey', `${this.keyNameOf(o.issuer)}.key`] : ['-signkey', `${keyName}.key`];
    this.run(['x509', '-req', '-in', `${name}.csr`, ...signer, '-set_serial', String(this.serial++), '-days', days, '-extfile', `${name}.ext`, '-extensions', 'x', '-out', `${name}.crt`]);
    this.keys.set(name, keyName);
    return this.path(`${name}.crt`);
  }

  private readonly keys = new Map<string, string>();

  private keyNameOf(name: string): string {
    return this.keys.get(name) ?? name;
  }

  /** Writes the named certificates, in order, as one PEM file. */
  bundle(file: string, names: string[]): string {
    writeFileSync(this.path(file), names.map((n) => this.pem(n)).join(''));
    return this.path(file);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The CertFileError a call throws: any other outcome fails the test that asked. */
export function certFileError(f: () => unknown): CertFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof CertFileError) return e;
    throw e;
  }
  throw new Error('no CertFileError');
}
