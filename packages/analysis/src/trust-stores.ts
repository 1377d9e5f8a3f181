import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { PublicRoots } from './chain-check.js';
import { pemBlocks } from './cert-files.js';
import { TrustAnchors } from './trust-anchors.js';

/** The stores `--store` names. */
export const STORE_NAMES = ['default', 'system', 'java', 'none'] as const;
export type StoreName = (typeof STORE_NAMES)[number];

/**
 * Client families, each a store of roots and a root program: `chrome` and `mozilla` share
 * Node's bundled roots (Mozilla's list) and differ in whose distrust dates apply.
 */
export type FamilyKey = 'chrome' | 'mozilla' | 'system' | 'java' | 'none';

export interface TrustFamily {
  key: FamilyKey;
  /** Who the family stands for, in a few words. */
  label: string;
  store: StoreName;
  /** Where its roots were read from, and when that data dates from. */
  source: string;
  anchors: TrustAnchors;
}

/** A store asked for (or tried by default) that this machine does not have. */
export interface SkippedStore {
  store: StoreName;
  why: string;
}

/** Where stores are looked for: the distributions' paths by default, others in tests. */
export interface StoreLocations {
  /** CA bundles, the first present is read: Debian/Ubuntu, then RHEL/Fedora. */
  systemBundles: readonly string[];
  /** Java keystores, the first present is read. */
  javaKeystores: readonly string[];
  /** keytool commands, the first that runs is used. */
  keytools: readonly string[];
}

export const DEFAULT_LOCATIONS: StoreLocations = {
  systemBundles: ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'],
  javaKeystores: ['/etc/ssl/certs/java/cacerts', ...(process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'lib/security/cacerts')] : [])],
  keytools: [...(process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'bin/keytool')] : []), 'keytool'],
};

/** The certificates of PEM text; blocks that are not certificates (a bundle's comments) are passed by. */
export function pemCertificates(text: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const b of pemBlocks(text)) {
    if (b.label !== 'CERTIFICATE') continue;
    try {
      out.push(new X509Certificate(b.der));
    } catch {
      /* one unreadable root does not empty the store */
    }
  }
  return out;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function systemStore(loc: StoreLocations): { source: string; roots: X509Certificate[] } | string {
  const file = loc.systemBundles.find((f) => existsSync(f));
  if (!file) return `no system CA bundle (looked for ${loc.systemBundles.join(', ')})`;
  const roots = pemCertificates(readFileSync(file, 'latin1'));
  return { source: `${file} (${roots.length} roots, file dated ${day(statSync(file).mtimeMs)})`, roots };
}

/** keytool's JVM takes a second or two to start; a keystore is listed in well under this. */
const KEYTOOL_TIMEOUT_MS = 30_000;

function javaStore(loc: StoreLocations): { source: string; roots: X509Certificate[] } | string {
  const keystore = loc.javaKeystores.find((f) => existsSync(f));
  if (!keystore) return `no Java keystore (looked for ${loc.javaKeystores.join(', ')})`;
  for (const keytool of loc.keytools) {
    let out: string;
    try {
      // "changeit" is the JDK's documented password of cacerts; listing needs no secret.
      out = execFileSync(keytool, ['-list', '-rfc', '-keystore', keystore, '-storepass', 'changeit'], { encoding: 'latin1', timeout: KEYTOOL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      continue;
    }
    const roots = pemCertificates(out);
    return { source: `${keystore} via ${keytool} (${roots.length} roots, file dated ${day(statSync(keystore).mtimeMs)})`, roots };
  }
  return `${keystore} is there but no keytool ran (tried ${loc.keytools.join(', ')}): install a JDK or JRE (Debian: default-jre-headless)`;
}

/**
 * The client families of the stores asked for (all this machine has when none is named), each
 * with the --ca certificates added, as a client given them would have. `none` trusts --ca alone;
 * it is tried by default only when --ca is given.
 */
export function loadFamilies(asked: readonly StoreName[], extra: readonly X509Certificate[], roots: PublicRoots, loc: StoreLocations = DEFAULT_LOCATIONS): { families: TrustFamily[]; skipped: SkippedStore[] } {
  const stores: StoreName[] = asked.length > 0 ? [...new Set(asked)] : ['default', 'system', 'java', ...(extra.length > 0 ? (['none'] as const) : [])];
  const families: TrustFamily[] = [];
  const skipped: SkippedStore[] = [];
  const withCa = (name: string, list: readonly X509Certificate[]) => new TrustAnchors(name, [...list, ...extra]);
  const plusCa = extra.length > 0 ? ` + ${extra.length} from --ca` : '';
  for (const store of stores) {
    if (store === 'default') {
      const bundled = roots.certificates;
      const source = `Node ${process.versions.node}'s bundled Mozilla roots (${bundled.length})${plusCa}`;
      families.push({ key: 'chrome', label: 'Chrome, Edge (Mozilla roots, Chrome\'s root program)', store, source, anchors: withCa('chrome', bundled) });
      families.push({ key: 'mozilla', label: 'Firefox, Node.js, curl with Mozilla\'s bundle', store, source, anchors: withCa('mozilla', bundled) });
    } else if (store === 'none') {
      families.push({ key: 'none', label: 'a client that trusts only --ca', store, source: extra.length > 0 ? `--ca only (${extra.length})` : 'no roots at all (no --ca given)', anchors: withCa('none', []) });
    } else {
      const read = store === 'system' ? systemStore(loc) : javaStore(loc);
      if (typeof read === 'string') {
        skipped.push({ store, why: read });
        continue;
      }
      const label = store === 'system' ? 'OpenSSL-based tools on this machine (curl, wget, Python, Go)' : 'Java (the JDK\'s cacerts)';
      families.push({ key: store, label, store, source: `${read.source}${plusCa}`, anchors: withCa(store, read.roots) });
    }
  }
  return { families, skipped };
}
