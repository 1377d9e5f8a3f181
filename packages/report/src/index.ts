export {
  addToSummary,
  emptySummary,
  formatEndpoint,
  hasDetails,
  inputSummary,
  itemLabel,
  itemsOf,
  itemsWithDetails,
  listedSummary,
  summarize,
  SCHEMA_VERSION,
  TOOL,
  type CaptureItem,
  type CertItem,
  type CertInput,
  type CertReport,
  type Endpoint,
  type InputSummary,
  type Listed,
  type PcapReport,
  type NetlogItem,
  type NetlogReport,
  type NetlogInputSummary,
  type ProbeItem,
  type ProbeOptionsSummary,
  type ProbeReport,
  type QuicItem,
  type Report,
  type ListlessReport,
  type ListKey,
  LIST_KEY,
  listless,
  type ReportItem,
  type Summary,
  type TcpItem,
} from './model.js';
export { connectionItem } from './capture-item.js';
export type * from './row-facts.js';
export { ladderOf, type Ladder, type LadderStep } from './ladder.js';
export { redact, redactor, RedactionKeys, StreamingRedaction, type RedactMode } from './redact.js';
export { renderTerminal, summaryLine, type TerminalOptions } from './terminal.js';
export { renderMarkdown } from './markdown.js';
export { useColor, paint, bold } from './style.js';
export { JSON_LIST_CLOSING, jsonListOpening, listItemJson, writeJson, writeJsonList } from './json.js';
export { probeItem } from './probe-item.js';
export { netlogItem } from './netlog-item.js';
export { certChainEntry, certItem, type CertFamilyRow } from './cert-item.js';
export type * from './cert-row-facts.js';
