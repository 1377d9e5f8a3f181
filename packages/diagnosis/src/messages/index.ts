export { CATALOGUE, CLIENTS, type ClientName, type MessageEntry } from './catalogue.js';
export { MEANINGS, type Cause, type Meaning, type MeaningName } from './meanings.js';
export { explain, guessClient, typicalMessages, type Explanation, type MessageMatch } from './explain.js';
export { NET_ERROR_MEANINGS } from './net-errors.js';
