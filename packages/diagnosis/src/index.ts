export { worst, type CodeInfo, type Finding, type Severity } from './finding.js';
export { CODES, FAMILIES, finding, type Code } from './codes.js';
export { PRECEDENCE } from './precedence.js';
export { decide } from './engine.js';
export { diagnoseConnection, type CaptureMoment, type OtherConnections } from './capture.js';
export { diagnoseProbe } from './probe.js';
export { diagnoseNetlogRecord } from './netlog.js';
export { describeHello, versionLines } from './probe-words.js';
export * from './messages/index.js';
