import type { Dir } from '@tlsdoctor/capture';
import { alertName, handshakeTypeName, sslv2MessageName } from '@tlsdoctor/tls-parser-ts';
import { sideOf, type MessageSeen } from './record.js';

/**
 * What a connection's TLS readers saw, in the order they saw it, kept as numbers while the
 * connection lives: the handshake messages (sender, type, frame, time) and the timeline of TLS
 * events that "the connection ended after ..." is read from. A list of numbers only is stored by
 * V8 as raw doubles; as objects each entry took a header, its fields and a boxed time (about 60
 * bytes), and a connection open for minutes (200,000 at once on the concurrent benchmark shape)
 * held a dozen of them. The objects the record shows are made once, when the record is.
 */
export class EventLog {
  /** Per message: code (sender, type, SSL 2.0, renamed), frame, time. */
  private messages: number[] = NO_NUMBERS;
  /** Per timeline entry: code, time. */
  private timeline: number[] = NO_NUMBERS;

  constructor(private readonly max: number) {}

  get messageCount(): number {
    return this.messages.length / 3;
  }

  /** A handshake message (`sslv2`: an SSL 2.0 message, named by SSL 2.0's own list). */
  message(dir: Dir, type: number, frame: number, time: number, sslv2 = false): void {
    if (this.messageCount < this.max) this.messages = pushed3(this.messages, code(sslv2 ? SSLV2 : MESSAGE, dir, type), frame, time);
  }

  /** The last message listed turned out to be a HelloRetryRequest (a ServerHello by its type). */
  renameLastHelloRetry(): void {
    const m = this.messages;
    if (m.length > 0) m[m.length - 3] = m[m.length - 3] | RENAMED;
  }

  /**
   * A TLS event for the timeline: a message's name, an alert, a ChangeCipherSpec, encrypted
   * records, non-TLS bytes. Consecutive events of one name are one entry (the first's time);
   * past `max` entries the last is replaced.
   */
  note(kind: EventKind, dir: Dir, value: number, time: number): void {
    const t = this.timeline;
    const c = code(kind, dir, value);
    if (t.length > 0 && (t[t.length - 2] === c || nameOf(t[t.length - 2]) === nameOf(c))) return;
    if (t.length / 2 < this.max) this.timeline = pushed2(this.timeline, c, time);
    else {
      t[t.length - 2] = c;
      t[t.length - 1] = time;
    }
  }

  /** The last TLS event at or before `time`, in words ("the TCP handshake" when none). */
  lastEventBy(time: number): string {
    const t = this.timeline;
    let after = -1;
    for (let i = 0; i < t.length; i += 2) if (t[i + 1] <= time) after = t[i];
    return after < 0 ? 'the TCP handshake' : nameOf(after);
  }

  /** The messages as the record lists them. */
  messageList(): MessageSeen[] {
    const m = this.messages;
    const out = new Array<MessageSeen>(m.length / 3);
    for (let i = 0; i < m.length; i += 3) {
      const c = m[i];
      out[i / 3] = { from: sideOf(dirOf(c)), type: valueOf(c), name: c & RENAMED ? HELLO_RETRY_REQUEST : nameOf(c), frame: m[i + 1], time: m[i + 2] };
    }
    return out;
  }

  /** Nothing more will be added: the lists keep their exact size, not what growing reserved. */
  trim(): void {
    if (this.messages !== NO_NUMBERS) this.messages = this.messages.slice();
    if (this.timeline !== NO_NUMBERS) this.timeline = this.timeline.slice();
  }
}

/** The kinds of timeline entry, by what names them. */
export const EventKind = {
  Message: 0,
  Sslv2Message: 1,
  HelloRetry: 2,
  Alert: 3,
  ChangeCipherSpec: 4,
  Encrypted: 5,
  NonTls: 6,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

const MESSAGE = EventKind.Message;
const SSLV2 = EventKind.Sslv2Message;
const HELLO_RETRY_REQUEST = 'HelloRetryRequest';
/** A message listed under the name HelloRetryRequest (a ServerHello that was one). */
const RENAMED = 1 << 24;
// Timeline entries made for nearly every connection: one string each, not one per event.
const ENCRYPTED_FROM = ['encrypted records from the client', 'encrypted records from the server'] as const;
const CCS_FROM = ['ChangeCipherSpec from the client', 'ChangeCipherSpec from the server'] as const;
const NON_TLS_FROM = ['non-TLS bytes from the client', 'non-TLS bytes from the server'] as const;

/** A code: the kind (bits 20-23), the direction (bit 16), the value (bits 0-15: a type, an alert). */
function code(kind: EventKind, dir: Dir, value: number): number {
  return (kind << 20) | (dir << 16) | (value & 0xffff);
}

const kindOf = (c: number): EventKind => ((c >> 20) & 0xf) as EventKind;
const dirOf = (c: number): Dir => ((c >> 16) & 1) as Dir;
const valueOf = (c: number): number => c & 0xffff;

function nameOf(c: number): string {
  const v = valueOf(c);
  switch (kindOf(c)) {
    case EventKind.Message:
      return handshakeTypeName(v);
    case EventKind.Sslv2Message:
      return sslv2MessageName(v);
    case EventKind.HelloRetry:
      return HELLO_RETRY_REQUEST;
    case EventKind.Alert:
      return `alert ${alertName(v)}`;
    case EventKind.ChangeCipherSpec:
      return CCS_FROM[dirOf(c)];
    case EventKind.Encrypted:
      return ENCRYPTED_FROM[dirOf(c)];
    case EventKind.NonTls:
      return NON_TLS_FROM[dirOf(c)];
  }
}


/** The shared empty list a log starts with; the first entry replaces it. */
const NO_NUMBERS: number[] = Object.freeze([]) as unknown as number[];

// A new list is made by a literal, whose elements V8 stores as raw doubles once one is not a
// small integer (a time); a list made from rest parameters would hold each as a boxed number.
function pushed2(list: number[], a: number, b: number): number[] {
  if (list === NO_NUMBERS) return [a, b];
  list.push(a, b);
  return list;
}

function pushed3(list: number[], a: number, b: number, c: number): number[] {
  if (list === NO_NUMBERS) return [a, b, c];
  list.push(a, b, c);
  return list;
}
