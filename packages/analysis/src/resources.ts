import { FingerprintCache, KeyLog } from '@tlsdoctor/tls-parser-ts';
import { PublicRoots } from './chain-check.js';

/**
 * What the readers of every connection of one capture share, made once by whoever reads the
 * capture and dropped with it: the key log (--keylog files and the capture's own secrets
 * blocks), Node's public roots, parsed when a chain is first checked, and the fingerprint cache
 * (a capture's hellos come from a few client builds: their fingerprints are made once per
 * shape). The analysis keeps no such state in its modules.
 */
export class CaptureResources {
  readonly fingerprints = new FingerprintCache();

  /** `roots` may be shared by several captures' resources (a program reading many: they are the same roots). */
  constructor(
    readonly keyLog: KeyLog = new KeyLog(),
    readonly roots: PublicRoots = new PublicRoots(),
  ) {}
}
