import { NetlogError } from './errors.js';

/**
 * Where the scan of a NetLog stopped: the whole file, or a cut (the browser was closed or
 * crashed before it wrote the closing brackets), said in words for the report.
 */
export interface ScanEnd {
  complete: boolean;
  /** Events handed on. */
  events: number;
  /** For a cut file: where the text stopped, in words ("inside event 1,204", "after event 1,203"). */
  stoppedAt?: string;
}

export interface ScanHandlers {
  /** The file's `constants` object, parsed. */
  constants(value: unknown): void;
  /** One element of `events`, parsed, with its number (from 0) and its byte offset. */
  event(value: unknown, index: number, offset: number): void;
}

/** A value's text larger than this is not an event a browser writes: stop rather than hold it. */
const MAX_EVENT_BYTES = 16 * 1024 * 1024;
const MAX_CONSTANTS_BYTES = 64 * 1024 * 1024;

const enum State {
  Start,
  Key,
  KeyString,
  Colon,
  Value,
  Events,
  InValue,
  Scalar,
  Done,
}

const enum Take {
  Skip,
  Constants,
  Event,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/**
 * Reads a NetLog (`{"constants": {...}, "events": [{...}, ...], "polledData": {...}}`) as it
 * arrives, in chunks, and parses one event at a time: memory holds one event's text, not the
 * file, whatever its size. Only the structure is scanned byte by byte; strings are skipped with
 * indexOf, since a NetLog is mostly strings.
 */
export class NetlogScanner {
  private state = State.Start;
  private key = '';
  private take = Take.Skip;
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  private valueOffset = 0;
  private eventCount = 0;
  private sawEvents = false;
  private sawConstants = false;
  private consumed = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly on: ScanHandlers) {}

  /** Scans the next chunk of the file. Chunks are held only while an event spans them. */
  push(chunk: Uint8Array): void {
    const base = this.consumed;
    let i = 0;
    if (base === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    let valueStart = this.state === State.InValue || this.state === State.Scalar ? 0 : -1;
    const n = chunk.length;
    while (i < n) {
      const b = chunk[i];
      switch (this.state) {
        case State.Start:
          if (isSpace(b)) break;
          if (b !== OPEN_BRACE) throw this.notNetlog(chunk, i, base);
          this.state = State.Key;
          break;
        case State.Key:
          if (isSpace(b) || b === COMMA) break;
          if (b === QUOTE) {
            this.key = '';
            this.state = State.KeyString;
          } else if (b === CLOSE_BRACE) {
            this.state = State.Done;
          } else {
            throw new NetlogError('BAD_JSON', `unexpected "${String.fromCharCode(b)}" where a key of the NetLog's object should be`, base + i);
          }
          break;
        case State.KeyString:
          if (b === QUOTE) this.state = State.Colon;
          else if (this.key.length < 64) this.key += String.fromCharCode(b);
          break;
        case State.Colon:
          if (isSpace(b)) break;
          if (b !== COLON) throw new NetlogError('BAD_JSON', `expected ":" after the key "${this.key}"`, base + i);
          this.state = State.Value;
          break;
        case State.Value:
          if (isSpace(b)) break;
          if (this.startValue(b, base + i)) valueStart = i;
          break;
        case State.Events:
          if (isSpace(b) || b === COMMA) break;
          if (b === CLOSE_BRACKET) {
            this.state = State.Key;
            break;
          }
          if (b !== OPEN_BRACE) throw new NetlogError('BAD_JSON', `event ${this.eventCount} is not an object`, base + i);
          this.take = Take.Event;
          this.beginValue(base + i);
          valueStart = i;
          this.depth = 1;
          this.state = State.InValue;
          break;
        case State.InValue: {
          const end = this.valueEnd(chunk, i);
          if (end < 0) {
            i = n;
            continue;
          }
          this.endValue(chunk, valueStart, end);
          valueStart = -1;
          i = end;
          continue;
        }
        case State.Scalar:
          if (b === COMMA || b === CLOSE_BRACE || isSpace(b)) {
            this.state = State.Key;
            valueStart = -1;
            continue; // the comma or brace belongs to the object
          }
          break;
        case State.Done:
          if (!isSpace(b)) throw new NetlogError('BAD_JSON', 'text after the end of the NetLog\'s object', base + i);
          break;
      }
      i++;
    }
    if (valueStart >= 0 && this.take !== Take.Skip) this.hold(chunk.subarray(valueStart), base + n);
    this.consumed = base + n;
  }

  /** Says how the file ended: whole, cut, or not a NetLog at all. */
  finish(): ScanEnd {
    if (this.consumed === 0) throw new NetlogError('EMPTY', 'the file is empty');
    if (this.state === State.Start) throw new NetlogError('EMPTY', 'the file holds only white space');
    if (this.state === State.Done) {
      if (!this.sawEvents) throw new NetlogError('NOT_NETLOG', 'a JSON object without "events": not a NetLog');
      return { complete: true, events: this.eventCount };
    }
    if (!this.sawEvents && !this.sawConstants) throw new NetlogError('NOT_NETLOG', 'the file ends before any "constants" or "events": not a NetLog', this.consumed);
    const inside = this.state === State.InValue && this.take === Take.Event;
    const last = this.eventCount.toLocaleString('en-US');
    const stoppedAt = inside
      ? `inside event ${last} (byte ${this.valueOffset}), whose text is cut`
      : this.state === State.Events
        ? this.eventCount > 0 ? `after event ${(this.eventCount - 1).toLocaleString('en-US')}, before the list of events was closed` : 'at the start of the list of events'
        : this.sawEvents ? 'after the list of events, before the file was closed' : 'inside the constants, before any event';
    return { complete: false, events: this.eventCount, stoppedAt: `the file is cut at byte ${this.consumed}: ${stoppedAt}` };
  }

  /** A value of the NetLog's object begins with `b`: the events list, or a value kept (the constants) or skipped. True when the value's text starts here. */
  private startValue(b: number, at: number): boolean {
    if (this.key === 'events') {
      if (b !== OPEN_BRACKET) throw new NetlogError('NOT_NETLOG', '"events" is not a list: not a NetLog', at);
      this.sawEvents = true;
      this.state = State.Events;
      return false;
    }
    this.take = this.key === 'constants' ? Take.Constants : Take.Skip;
    if (this.take === Take.Constants) this.sawConstants = true;
    this.beginValue(at);
    if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      this.depth = 1;
      this.state = State.InValue;
    } else if (b === QUOTE) {
      this.depth = 0;
      this.inString = true;
      this.state = State.InValue;
    } else {
      this.state = State.Scalar;
    }
    return true;
  }

  /**
   * The hot loop: most of a NetLog is inside events. Scans a value from `from`; returns the index
   * just past its end, or -1 when the chunk ends first. Depth is kept in a local while the value
   * lasts; strings are skipped with indexOf.
   */
  private valueEnd(chunk: Uint8Array, from: number): number {
    const n = chunk.length;
    let depth = this.depth;
    let j = from;
    let end = -1;
    while (j < n) {
      if (this.inString) {
        j = this.skipString(chunk, j);
        if (this.inString) break;
        if (depth === 0) {
          end = j + 1;
          break;
        }
        j++;
        continue;
      }
      const c = chunk[j];
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
        end = j + 1;
        break;
      }
      j++;
    }
    this.depth = depth;
    return end;
  }

  private beginValue(offset: number): void {
    this.valueOffset = offset;
    this.parts = [];
    this.partsBytes = 0;
    this.inString = false;
    this.escape = false;
  }

  /** Keeps the part of a value this chunk holds until the value ends in a later one. */
  private hold(part: Uint8Array, at: number): void {
    this.partsBytes += part.length;
    const max = this.take === Take.Constants ? MAX_CONSTANTS_BYTES : MAX_EVENT_BYTES;
    if (this.partsBytes > max) {
      throw new NetlogError('TOO_LARGE', `${this.take === Take.Constants ? 'the constants' : `event ${this.eventCount}`} run past ${max / 1024 / 1024} MiB without ending: not a NetLog a browser wrote`, at);
    }
    this.parts.push(part);
  }

  private endValue(chunk: Uint8Array, start: number, end: number): void {
    const take = this.take;
    const wasEvent = take === Take.Event;
    this.state = wasEvent ? State.Events : State.Key;
    if (take === Take.Skip) return;
    const tail = chunk.subarray(Math.max(start, 0), end);
    let text: string;
    if (this.parts.length === 0) {
      text = this.decoder.decode(tail);
    } else {
      this.hold(tail, this.consumed + end);
      const whole = new Uint8Array(this.partsBytes);
      let at = 0;
      for (const p of this.parts) {
        whole.set(p, at);
        at += p.length;
      }
      text = this.decoder.decode(whole);
      this.parts = [];
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new NetlogError('BAD_JSON', `${wasEvent ? `event ${this.eventCount}` : 'the constants'} is not valid JSON (${(e as Error).message})`, this.valueOffset);
    }
    if (wasEvent) this.on.event(value, this.eventCount++, this.valueOffset);
    else this.on.constants(value);
  }

  /** From inside a string, finds its closing quote (or the chunk's end); returns its index. */
  private skipString(chunk: Uint8Array, from: number): number {
    let i = from;
    if (this.escape) {
      this.escape = false;
      i++;
    }
    for (;;) {
      const q = chunk.indexOf(QUOTE, i);
      if (q < 0) {
        // The chunk ends inside the string: an odd run of backslashes at its end escapes the next byte.
        let k = chunk.length - 1;
        while (k >= i && chunk[k] === BACKSLASH) k--;
        this.escape = (chunk.length - 1 - k) % 2 === 1;
        return chunk.length;
      }
      let k = q - 1;
      while (k >= i && chunk[k] === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 0) {
        this.inString = false;
        return q;
      }
      i = q + 1;
    }
  }

  private notNetlog(chunk: Uint8Array, i: number, base: number): NetlogError {
    const b = chunk[i];
    if (b === OPEN_BRACKET || b === QUOTE || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x74 || b === 0x66 || b === 0x6e) {
      return new NetlogError('NOT_NETLOG', 'JSON, but not a NetLog (a NetLog is one object holding "constants" and "events")', base + i);
    }
    const head = Array.from(chunk.subarray(i, i + 4), (x) => x.toString(16).padStart(2, '0')).join(' ');
    return new NetlogError('NOT_JSON', `not JSON: it begins with the bytes ${head}, where a NetLog begins with "{"`, base + i);
  }
}
