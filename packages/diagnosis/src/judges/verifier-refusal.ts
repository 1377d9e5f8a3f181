import type { Finding } from '../finding.js';

/**
 * Chain-rule faults for which OpenSSL's verifier (and so Node, curl, nginx) refuses the chain:
 * a CA that is none, a name outside a CA's constraints, a path past a pathLen, a purpose the
 * certificate lacks, a digest or key under the security level.
 */
const VERIFIERS_REFUSE: ReadonlySet<string> = new Set(['CERT_CA_AS_LEAF', 'CERT_NAME_CONSTRAINTS', 'CERT_PATH_TOO_LONG', 'CERT_WRONG_PURPOSE', 'CERT_WEAK_SIGNATURE', 'CERT_WEAK_KEY']);

/**
 * OpenSSL's errors that mean no path reached a trusted root: the chain is untrusted whatever else
 * is wrong. Any other error (INVALID_CA, PATH_LENGTH_EXCEEDED, a name-constraint violation...)
 * is the verifier naming a fault of the chain itself.
 */
export const NO_PATH_ERRORS: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);

/**
 * A verifier's refusal said once: where a fault of the chain explains why the store or the
 * client refused it, the CERT_UNTRUSTED that refusal gave is the same fault seen from the
 * client, so its evidence joins the fault's finding instead of standing as a second cause
 * (with a remedy, "install the root", that would not help). `refusedForFault` is false when the
 * refusal says no path reached a root: then the chain is untrusted as well, and both stay.
 * `refusal` is the line of a client's alert, which becomes the fault's evidence where nothing
 * else cites it.
 */
export function foldRefusal(found: Finding[], refusedForFault: boolean, refusal?: string): Finding[] {
  const fault = found.find((x) => VERIFIERS_REFUSE.has(x.code) && x.severity === 'error');
  if (!refusedForFault || !fault) return found;
  // The client's alert, cited by no finding: the fault is why it was sent.
  if (refusal && !found.some((x) => x.evidence.includes(refusal))) fault.evidence.unshift(refusal);
  const untrusted = found.find((x) => x.code === 'CERT_UNTRUSTED');
  if (!untrusted) return found;
  // Lines as they were: a client's alert line is matched by other judges to know it is explained.
  fault.evidence.push(...untrusted.evidence.filter((line) => !fault.evidence.includes(line)));
  return found.filter((x) => x !== untrusted);
}
