export { CODES, finding, worst, type Code, type CodeInfo, type Finding, type Severity } from './codes.js';
export { runRules, type Rule } from './engine.js';
export { captureRules, clientFinished, compact, diagnoseConnection, rel, resetEvidence, type CaptureContext } from './capture-rules.js';
