import { isTls13, tls12Opener, TLS13_DECRYPTABLE_SUITES, Tls13RecordOpener, Tls13ScheduleOpener, cipherSuiteName, type ClientHello, type KeyLog, type RecordOpener, type ServerHello } from '@tlsdoctor/tls-parser-ts';
import type { Dir } from '@tlsdoctor/capture';
import { nodeHandshakeCrypto } from './node-crypto.js';

type Made = { opener: RecordOpener } | { reason: string };

/**
 * The keys of one side's protected handshake records, from the key log, by the client random:
 * TLS 1.3's handshake traffic secret of that side (after the client's early traffic secret, for
 * 0-RTT), or TLS 1.0-1.2's master secret with the two randoms. Otherwise why not: the log holds
 * no such secret, or the suite is not one that opens. The client's side may be asked before the
 * ServerHello is seen (its 0-RTT records come first): `sh` then gives it when its handshake
 * records come.
 */
export function handshakeOpener(keyLog: KeyLog, dir: Dir, ch: ClientHello, sh: () => ServerHello | undefined): Made {
  const early = dir === 0 ? earlyStages(keyLog, ch) : [];
  // The client's 0-RTT flight comes first: with its key or without, its handshake records follow.
  const zeroRtt = dir === 0 && ch.earlyData === true;
  const hello = sh();
  if (!hello && !zeroRtt) return { reason: 'its records came before any ServerHello' };
  if (hello && !isTls13(hello.version)) {
    const master = keyLog.secret(ch.random, 'CLIENT_RANDOM');
    if (!master) return { reason: 'the key log holds no master secret (CLIENT_RANDOM) for its client random' };
    return tls12Opener(nodeHandshakeCrypto, hello, ch.random, master, dir === 0 ? 'client' : 'server');
  }
  if (!zeroRtt) return dir === 1 ? serverTls13Opener(keyLog, ch, hello!) : tls13Opener(keyLog, dir, ch, hello!);
  const handshake = () => {
    const later = sh();
    const made = later && isTls13(later.version) ? tls13Opener(keyLog, dir, ch, later) : undefined;
    return made && 'opener' in made ? made.opener : null;
  };
  return { opener: new Tls13ScheduleOpener([...early, handshake], early.length, MAX_PASSED_OVER) };
}

/** 0-RTT records no key opens that are passed over before the client's handshake records, at most. */
const MAX_PASSED_OVER = 64;

function tls13Opener(keyLog: KeyLog, dir: Dir, ch: ClientHello, sh: ServerHello): Made {
  const params = TLS13_DECRYPTABLE_SUITES[sh.cipherSuite];
  if (!params) return { reason: `${cipherSuiteName(sh.cipherSuite)} is not a TLS 1.3 suite tlsdoctor opens` };
  const label = dir === 0 ? 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' : 'SERVER_HANDSHAKE_TRAFFIC_SECRET';
  const secret = keyLog.secret(ch.random, label);
  if (!secret) return { reason: `the key log holds no ${label} for its client random` };
  if (secret.length !== params.hashLength) return { reason: `the key log's ${label} has ${secret.length} bytes, not the ${params.hashLength} of ${cipherSuiteName(sh.cipherSuite)}` };
  return { opener: new Tls13RecordOpener(nodeHandshakeCrypto, params, secret, sh.version) };
}

/**
 * The server's TLS 1.3 records: its handshake under its handshake traffic secret, then, where the
 * key log holds it, its first application traffic secret, under which only the first line of
 * its first application data record is read (RecordDecryption): the status line that tells a
 * refusal after the handshake (nginx's 400 to a client without the certificate it requires).
 */
function serverTls13Opener(keyLog: KeyLog, ch: ClientHello, sh: ServerHello): Made {
  const made = tls13Opener(keyLog, 1, ch, sh);
  const params = TLS13_DECRYPTABLE_SUITES[sh.cipherSuite];
  const secret = keyLog.secret(ch.random, 'SERVER_TRAFFIC_SECRET_0');
  if (!('opener' in made) || !secret || secret.length !== params.hashLength) return made;
  const handshake = made.opener;
  return { opener: new Tls13ScheduleOpener([() => handshake, () => new Tls13RecordOpener(nodeHandshakeCrypto, params, secret, sh.version)], 0, 0, 1) };
}

/**
 * The client's 0-RTT keys: its early traffic secret under each TLS 1.3 suite it offered whose
 * hash has the secret's length. The early data's suite is the resumed session's, which the
 * capture does not show before the ServerHello (and not at all when the server refuses 0-RTT):
 * the suite that opens the first record is the one.
 */
function earlyStages(keyLog: KeyLog, ch: ClientHello): (() => RecordOpener | null)[] {
  if (!ch.earlyData) return [];
  const secret = keyLog.secret(ch.random, 'CLIENT_EARLY_TRAFFIC_SECRET');
  if (!secret) return [];
  return ch.cipherSuites.flatMap((s) => {
    const params = TLS13_DECRYPTABLE_SUITES[s];
    return params && params.hashLength === secret.length ? [() => new Tls13RecordOpener(nodeHandshakeCrypto, params, secret)] : [];
  });
}
