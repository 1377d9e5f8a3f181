import { describe, expect, it } from 'vitest';
import type { Finding } from '../finding.js';
import { foldRefusal, NO_PATH_ERRORS } from './verifier-refusal.js';

const f = (code: string, evidence: string[], severity: Finding['severity'] = 'error'): Finding => ({ code, severity, title: code, evidence, remedy: '' });
const ALERT = 'frame 9: the client sent the alert unknown_ca';

describe('a verifier\'s refusal said once', () => {
  it.each<[string, Finding[], boolean, string | undefined, string[], string[][]]>([
    ['a fault OpenSSL refuses takes the refusal\'s evidence', [f('CERT_PATH_TOO_LONG', ['path']), f('CERT_UNTRUSTED', [ALERT, 'issuer'])], true, undefined, ['CERT_PATH_TOO_LONG'], [['path', ALERT, 'issuer']]],
    ['each fault OpenSSL refuses', [f('CERT_NAME_CONSTRAINTS', ['nc']), f('CERT_UNTRUSTED', ['u'])], true, undefined, ['CERT_NAME_CONSTRAINTS'], [['nc', 'u']]],
    ['a CA as the leaf', [f('CERT_CA_AS_LEAF', ['ca']), f('CERT_UNTRUSTED', ['u'])], true, undefined, ['CERT_CA_AS_LEAF'], [['ca', 'u']]],
    ['a purpose', [f('CERT_WRONG_PURPOSE', ['p']), f('CERT_UNTRUSTED', ['u'])], true, undefined, ['CERT_WRONG_PURPOSE'], [['p', 'u']]],
    ['a weak digest', [f('CERT_WEAK_SIGNATURE', ['s']), f('CERT_UNTRUSTED', ['u'])], true, undefined, ['CERT_WEAK_SIGNATURE'], [['s', 'u']]],
    ['a weak key', [f('CERT_WEAK_KEY', ['k']), f('CERT_UNTRUSTED', ['u'])], true, undefined, ['CERT_WEAK_KEY'], [['k', 'u']]],
    ['a line both have is not repeated', [f('CERT_PATH_TOO_LONG', ['seen', 'path']), f('CERT_UNTRUSTED', ['seen', 'u'])], true, undefined, ['CERT_PATH_TOO_LONG'], [['seen', 'path', 'u']]],
    // Near misses: each keeps CERT_UNTRUSTED.
    ['the store found no path: untrusted as well', [f('CERT_PATH_TOO_LONG', ['path']), f('CERT_UNTRUSTED', ['u'])], false, undefined, ['CERT_PATH_TOO_LONG', 'CERT_UNTRUSTED'], [['path'], ['u']]],
    ['a fault OpenSSL accepts (a lifetime) explains no refusal', [f('CERT_VALIDITY_TOO_LONG', ['l']), f('CERT_UNTRUSTED', ['u'])], true, undefined, ['CERT_VALIDITY_TOO_LONG', 'CERT_UNTRUSTED'], [['l'], ['u']]],
    ['a warning explains no refusal', [f('CERT_WEAK_KEY', ['k'], 'warning'), f('CERT_UNTRUSTED', ['u'])], true, undefined, ['CERT_WEAK_KEY', 'CERT_UNTRUSTED'], [['k'], ['u']]],
    ['no refusal: nothing to fold', [f('CERT_PATH_TOO_LONG', ['path'])], true, undefined, ['CERT_PATH_TOO_LONG'], [['path']]],
    // The client's alert.
    ['an alert nothing cites becomes the fault\'s evidence, first', [f('CERT_PATH_TOO_LONG', ['path'])], true, ALERT, ['CERT_PATH_TOO_LONG'], [[ALERT, 'path']]],
    ['an alert already cited stays where it is', [f('CERT_PATH_TOO_LONG', ['path']), f('CERT_EXPIRED', [ALERT])], true, ALERT, ['CERT_PATH_TOO_LONG', 'CERT_EXPIRED'], [['path'], [ALERT]]],
    ['no fault: the alert is left to the other judges', [f('CERT_EXPIRED', ['e'])], true, ALERT, ['CERT_EXPIRED'], [['e']]],
    ['a store that found no path: the alert is not taken', [f('CERT_PATH_TOO_LONG', ['path'])], false, ALERT, ['CERT_PATH_TOO_LONG'], [['path']]],
  ])('%s', (_n, found, refusedForFault, refusal, wantCodes, wantEvidence) => {
    const out = foldRefusal(found, refusedForFault, refusal);
    expect(out.map((x) => x.code)).toEqual(wantCodes);
    expect(out.map((x) => x.evidence)).toEqual(wantEvidence);
  });

  it('the errors that mean no path are OpenSSL\'s, as Node names them', () => {
    for (const e of ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT']) expect(NO_PATH_ERRORS.has(e)).toBe(true);
    for (const e of ['INVALID_CA', 'PATH_LENGTH_EXCEEDED', 'CERT_HAS_EXPIRED']) expect(NO_PATH_ERRORS.has(e)).toBe(false);
  });
});
