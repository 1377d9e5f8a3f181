import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicRoots } from './chain-check.js';
import { DEFAULT_LOCATIONS, loadFamilies, type StoreLocations } from './trust-stores.js';
import { TestPki } from './test-pki.fixtures.js';

let pki: TestPki;
let loc: StoreLocations;
const roots = new PublicRoots();

/** A JDK's keytool that runs here, or why the Java tests skip. */
function keytoolHere(): string | undefined {
  try {
    execFileSync('keytool', ['-help'], { stdio: 'ignore', timeout: 20_000 });
    return 'keytool';
  } catch {
    return undefined;
  }
}
const keytool = keytoolHere();

beforeAll(() => {
  pki = new TestPki();
  pki.issue('root', { ca: true });
  pki.issue('other', { ca: true });
  writeFileSync(pki.path('bundle.crt'), `# a comment line\n${pki.pem('root')}${pki.pem('other')}`);
  loc = { systemBundles: [pki.path('absent.crt'), pki.path('bundle.crt')], javaKeystores: [pki.path('absent.jks')], keytools: ['keytool'] };
}, 30_000);
afterAll(() => pki.dispose());

describe('loadFamilies', () => {
  it('default: Chrome and Mozilla over Node\'s bundled roots, with --ca added to each', () => {
    const extra = [new X509Certificate(pki.pem('root'))];
    const { families } = loadFamilies(['default'], extra, roots, loc);
    expect(families.map((f) => [f.key, f.store])).toEqual([['chrome', 'default'], ['mozilla', 'default']]);
    expect(families[0].anchors.size).toBe(roots.certificates.length + 1);
    expect(families[0].source).toMatch(/^Node \d+\.\d+\.\d+'s bundled Mozilla roots \(\d+\) \+ 1 from --ca$/);
  });

  it('system: the first bundle present, named with its count and date', () => {
    const { families, skipped } = loadFamilies(['system'], [], roots, loc);
    expect(skipped).toEqual([]);
    expect(families[0].anchors.size).toBe(2);
    expect(families[0].source).toMatch(/bundle\.crt \(2 roots, file dated \d{4}-\d{2}-\d{2}\)$/);
  });

  it('a store this machine lacks is skipped with the paths looked at', () => {
    const { families, skipped } = loadFamilies(['java', 'system'], [], roots, { ...loc, systemBundles: [pki.path('absent.crt')] });
    expect(families).toEqual([]);
    expect(skipped.map((s) => s.store)).toEqual(['java', 'system']);
    expect(skipped[0].why).toMatch(/no Java keystore \(looked for .*absent\.jks\)/);
  });

  it('none trusts --ca alone, and is tried by default only with --ca', () => {
    const extra = [new X509Certificate(pki.pem('other'))];
    expect(loadFamilies(['none'], extra, roots, loc).families[0].anchors.size).toBe(1);
    expect(loadFamilies([], [], roots, loc).families.map((f) => f.key)).not.toContain('none');
    expect(loadFamilies([], extra, roots, loc).families.map((f) => f.key)).toContain('none');
  });

  it.skipIf(!keytool)('java: a keystore listed through keytool (skipped without a JDK)', () => {
    const jks = pki.path('test.jks');
    execFileSync('keytool', ['-importcert', '-noprompt', '-alias', 'root', '-file', pki.path('root.crt'), '-keystore', jks, '-storepass', 'changeit', '-storetype', 'JKS'], { stdio: 'ignore', timeout: 30_000 });
    const { families } = loadFamilies(['java'], [], roots, { ...loc, javaKeystores: [jks] });
    expect(families[0].anchors.size).toBe(1);
    expect(families[0].source).toMatch(/test\.jks via keytool \(1 roots/);
  }, 60_000);

  it.skipIf(!keytool || !DEFAULT_LOCATIONS.javaKeystores.some((f) => existsSync(f)))("java: the machine's own cacerts holds public roots", () => {
    const { families } = loadFamilies(['java'], [], roots);
    expect(families[0].anchors.size).toBeGreaterThan(50);
  }, 60_000);
});

if (!keytool) console.warn('trust-stores.test: no keytool here (install a JDK, Debian: default-jre-headless); the Java store tests are skipped');
