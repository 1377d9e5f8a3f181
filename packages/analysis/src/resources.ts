import { KeyLog } from '@tlsdoctor/tls-parser-ts';
import { PublicRoots } from './certificate.js';

/**
 * What the readers of every connection of one capture share, made once by whoever reads the
 * capture and dropped with it: the key log (--keylog files and the capture's own secrets
 * blocks), and Node's public roots, parsed when a chain is first checked. The analysis keeps no
 * such state in its modules.
 */
export class CaptureResources {
  readonly roots = new PublicRoots();

  constructor(readonly keyLog: KeyLog = new KeyLog()) {}
}
