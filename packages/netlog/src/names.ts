import { certStatusFlagNames, FALLBACK_CHROMIUM_VERSION, fallbackEventTypes, fallbackPhases, fallbackSourceTypes, netErrorNames } from './netlog-registry.generated.js';

/**
 * The names a NetLog's numbers stand for. Event and source type numbers change from one Chromium
 * version to the next, so they are read from the file's own `constants`; a file without them is
 * read with the tables of the Chromium version this project checked, and says so.
 */
export interface NetlogNames {
  eventTypes: ReadonlyMap<number, string>;
  sourceTypes: ReadonlyMap<number, string>;
  phases: ReadonlyMap<number, string>;
  netErrors: ReadonlyMap<number, string>;
  /** Certificate status bits (a verifier's `cert_status`). */
  certStatus: ReadonlyMap<number, string>;
  /** QUIC's error codes as Chromium names them (QUIC_NETWORK_IDLE_TIMEOUT); only files carry them. */
  quicErrors: ReadonlyMap<number, string>;
  /** Milliseconds to add to an event's time to get Unix time. */
  timeTickOffset: number;
  /** The file gave that offset: times are Unix times, not only intervals. */
  clockAnchored: boolean;
  /** What wrote the file, from its constants ("Chromium 156.0.8078.129"). */
  client?: string;
  /** The capture mode the user chose in chrome://net-export (Default, IncludeSensitive, Everything). */
  captureMode?: string;
  /** The tables came from this project, not from the file. */
  fallback?: string;
}

export function fallbackNames(): NetlogNames {
  return {
    eventTypes: fallbackEventTypes,
    sourceTypes: fallbackSourceTypes,
    phases: fallbackPhases,
    netErrors: netErrorNames,
    certStatus: certStatusFlagNames,
    quicErrors: new Map(),
    timeTickOffset: 0,
    clockAnchored: false,
    fallback: `the file has no constants: its numbers are read as Chromium ${FALLBACK_CHROMIUM_VERSION} numbers them, and its times are not anchored to the clock`,
  };
}

/** `{"NAME": number}` turned around; anything else in the object is left out. */
function inverted(o: unknown): Map<number, string> | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const m = new Map<number, string>();
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number') m.set(v, k);
  return m.size > 0 ? m : undefined;
}

function text(o: unknown): string | undefined {
  return typeof o === 'string' && o !== '' ? o : undefined;
}

/** The names of a file's `constants`, each table falling back to ours where the file lacks it. */
export function namesFromConstants(c: unknown): NetlogNames {
  const base = fallbackNames();
  if (typeof c !== 'object' || c === null) return base;
  const k = c as Record<string, unknown>;
  const info = (typeof k.clientInfo === 'object' && k.clientInfo !== null ? k.clientInfo : {}) as Record<string, unknown>;
  const product = text(info.name);
  const version = text(info.version);
  const offset = typeof k.timeTickOffset === 'number' || typeof k.timeTickOffset === 'string' ? Number(k.timeTickOffset) : NaN;
  const events = inverted(k.logEventTypes);
  const sources = inverted(k.logSourceType);
  return {
    eventTypes: events ?? base.eventTypes,
    sourceTypes: sources ?? base.sourceTypes,
    phases: inverted(k.logEventPhase) ?? base.phases,
    netErrors: inverted(k.netError) ?? base.netErrors,
    certStatus: inverted(k.certStatusFlag) ?? base.certStatus,
    quicErrors: inverted(k.quicError) ?? base.quicErrors,
    timeTickOffset: Number.isFinite(offset) ? offset : 0,
    clockAnchored: Number.isFinite(offset),
    client: product || version ? [product, version].filter(Boolean).join(' ') : undefined,
    captureMode: text(k.logCaptureMode),
    fallback: events && sources ? undefined : base.fallback,
  };
}

/** A net error's name ("ERR_CERT_DATE_INVALID"), or its number where no table names it. */
export function netErrorName(names: NetlogNames, code: number): string {
  return names.netErrors.get(code) ?? netErrorNames.get(code) ?? `net error ${code}`;
}

/** The names of the bits set in a certificate status. */
export function certStatusNames(names: NetlogNames, status: number): string[] {
  const out: string[] = [];
  for (const [bit, name] of names.certStatus) if (bit > 0 && (status & bit) === bit) out.push(name);
  return out;
}
