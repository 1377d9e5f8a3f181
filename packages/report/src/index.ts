export { addToSummary, connectionFacts, connectionItem, detailLimit, emptySummary, formatEndpoint, hasDetails, inputSummary, itemLabel, itemsWithDetails, listedSummary, summarize, SCHEMA_VERSION, TOOL, type Endpoint, type InputSummary, type Listed, type Report, type ReportItem, type Summary } from './model.js';
export { redact, redactor, RedactionKeys, StreamingRedaction, type RedactMode } from './redact.js';
export { renderTerminal, summaryLine, type TerminalOptions } from './terminal.js';
export { renderMarkdown } from './markdown.js';
export { useColor, paint, bold } from './style.js';
export { JSON_LIST_CLOSING, jsonListOpening, listItemJson, writeJson, writeJsonList } from './json.js';
export { probeItem } from './probe-item.js';
