import { describe, expect, it } from 'vitest';
import { NetlogError } from './errors.js';
import { NetlogScanner } from './scanner.js';

const enc = new TextEncoder();

/** Scans `text` in chunks of `size` bytes; returns the constants, the events and how it ended. */
function scan(text: string | Uint8Array, size = 1 << 20) {
  const bytes = typeof text === 'string' ? enc.encode(text) : text;
  const events: { value: unknown; index: number; offset: number }[] = [];
  let constants: unknown;
  const s = new NetlogScanner({ constants: (c) => (constants = c), event: (value, index, offset) => events.push({ value, index, offset }) });
  for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
  return { constants, events, end: s.finish() };
}

function failure(text: string | Uint8Array): NetlogError {
  try {
    scan(text);
  } catch (e) {
    if (e instanceof NetlogError) return e;
    throw e;
  }
  throw new Error('no error');
}

// Strings that hold what the structure scan must not take for structure: quotes, braces,
// brackets, backslashes before quotes, and text that is not ASCII.
const TRICKY = ['a "quoted" {brace} [bracket]', 'ends in a backslash \\', '\\"', 'Hello, 世界 ✓', '}]},{', ''];
const LOG = JSON.stringify({
  constants: { logEventTypes: { A: 1 }, note: 'x{[' },
  events: TRICKY.map((t, i) => ({ phase: 0, source: { id: i, type: 1 }, time: String(i), type: 1, params: { text: t } })),
  polledData: { nested: [{ a: '}' }] },
});

describe('NetlogScanner', () => {
  it('reads the constants and every event of a whole log, with each event\'s byte offset', () => {
    const r = scan(LOG);
    expect(r.end).toEqual({ complete: true, events: TRICKY.length });
    expect(r.constants).toEqual({ logEventTypes: { A: 1 }, note: 'x{[' });
    expect(r.events.map((e) => (e.value as { params: { text: string } }).params.text)).toEqual(TRICKY);
    const bytes = enc.encode(LOG);
    for (const e of r.events) expect(new TextDecoder().decode(bytes.subarray(e.offset)).startsWith(JSON.stringify(e.value))).toBe(true);
  });

  it.each([1, 2, 3, 7, 64])('gives the same result read in chunks of %i bytes (a value, a string, an escape split anywhere)', (size) => {
    const whole = scan(LOG);
    const chunked = scan(LOG, size);
    expect(chunked.events).toEqual(whole.events);
    expect(chunked.constants).toEqual(whole.constants);
    expect(chunked.end).toEqual(whole.end);
  });

  it('reads Chrome\'s own layout: a line per event, a byte-order mark, events before the constants', () => {
    const chrome = '\ufeff{"events": [\n{"phase":0,"source":{"id":1,"type":1},"time":"5","type":2},\n],\n"constants": {"a": 1}}\n';
    const r = scan(chrome);
    expect(r.events).toHaveLength(1);
    expect(r.constants).toEqual({ a: 1 });
    expect(r.end.complete).toBe(true);
  });

  it.each([
    ['inside an event', LOG.slice(0, LOG.indexOf('"text":"ends in')), 1, /inside event 1 \(byte \d+\), whose text is cut/],
    ['between events', LOG.slice(0, LOG.indexOf(',{"phase"', LOG.indexOf('ends in'))), 2, /after event 1, before the list of events was closed/],
    ['after the events', LOG.slice(0, LOG.indexOf(',"polledData"')), TRICKY.length, /after the list of events, before the file was closed/],
    ['inside the constants', LOG.slice(0, 30), 0, /inside the constants, before any event/],
  ])('reports a log cut %s up to its cut', (_where, text, events, words) => {
    const r = scan(text);
    expect(r.events).toHaveLength(events);
    expect(r.end.complete).toBe(false);
    expect(r.end.stoppedAt).toMatch(new RegExp(`^the file is cut at byte ${enc.encode(text).length}: `));
    expect(r.end.stoppedAt).toMatch(words);
  });

  it.each([
    ['an empty file', '', 'EMPTY', /empty/],
    ['white space', ' \n\t', 'EMPTY', /only white space/],
    ['a pcap file', new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]), 'NOT_JSON', /begins with the bytes d4 c3 b2 a1/],
    ['text', 'GET / HTTP/1.1', 'NOT_JSON', /not JSON/],
    ['a JSON list', '[{"type":1}]', 'NOT_NETLOG', /not a NetLog/],
    ['a JSON object without events', '{"a": 1, "b": [1, 2]}', 'NOT_NETLOG', /without "events"/],
    ['events that are not a list', '{"events": {"a": 1}}', 'NOT_NETLOG', /not a list/],
    ['an event that is not an object', '{"events": [1, 2]}', 'BAD_JSON', /event 0 is not an object/],
    ['an event that is not JSON', '{"events": [{"a": tru}]}', 'BAD_JSON', /event 0 is not valid JSON/],
    ['text after the log', '{"events": []} x', 'BAD_JSON', /text after the end/],
  ])('refuses %s with one error naming what is wrong', (_what, text, code, words) => {
    const e = failure(text);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(words);
  });

  it('names the byte offset of a malformed event', () => {
    const text = '{"events": [{"a": 1}, {"a": tru}]}';
    const e = failure(text);
    expect(e.offset).toBe(text.indexOf('{"a": tru'));
  });
});
