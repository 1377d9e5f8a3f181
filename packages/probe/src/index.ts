export { parseTarget, parseResolve, TargetError, type Target } from './target.js';
export { resolveHost, type Resolution } from './resolve.js';
export { connectTcp, type ConnectOutcome } from './connect.js';
export { probeHello, describeHello, helloFor, type HelloOutcome, type HelloProbeOptions } from './hello-probe.js';
export { fullHandshake, type FullHandshake } from './handshake.js';
export { checkRedirect, checkHsts, checkWebSocket, type HstsCheck, type RedirectCheck, type WebSocketCheck } from './http-checks.js';
export { PROFILES, type Profile, type ProfileName } from './profiles.js';
export { probeTarget, loadExtraCa, PLAIN_HTTP_PORTS, acceptedVersions, versionLines, type ProbeOptions, type ProbeRecord } from './probe.js';
export { LEGACY_SUITES } from './suites.js';
