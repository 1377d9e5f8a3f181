export { NetlogError, type NetlogErrorCode } from './errors.js';
export { toEvent, type NetlogEvent, type Phase } from './event.js';
export { readNetlogFile, type NetlogReadOptions, type NetlogReadResult } from './file.js';
export { certStatusNames, fallbackNames, namesFromConstants, netErrorName, type NetlogNames } from './names.js';
export { NetlogScanner, type ScanEnd, type ScanHandlers } from './scanner.js';
export { NetError, netErrorDescriptions, netErrorNames } from './netlog-registry.generated.js';
