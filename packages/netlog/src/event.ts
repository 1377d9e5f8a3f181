import type { NetlogNames } from './names.js';

export type Phase = 'begin' | 'end' | 'none';

/** One NetLog event, its numbers named. */
export interface NetlogEvent {
  /** Its place among the file's events, from 0: how evidence cites it. */
  index: number;
  /** Milliseconds on the browser's tick clock (add the names' timeTickOffset for Unix time). */
  time: number;
  type: string;
  phase: Phase;
  sourceId: number;
  sourceType: string;
  params?: Record<string, unknown>;
}

/** A number the log wrote as a number or a string; anything else (an object, a list) is not one. */
function numberIn(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
}

const PHASES: Readonly<Record<string, Phase>> = { PHASE_BEGIN: 'begin', PHASE_END: 'end', PHASE_NONE: 'none' };

/**
 * An element of `events` as typed facts, or undefined when it is not an event (an object
 * without a numbered type and source): such elements are counted, not judged.
 */
export function toEvent(raw: unknown, index: number, names: NetlogNames): NetlogEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as { time?: unknown; type?: unknown; phase?: unknown; source?: { id?: unknown; type?: unknown }; params?: unknown };
  if (typeof e.type !== 'number' || typeof e.source !== 'object' || e.source === null) return undefined;
  const sourceId = numberIn(e.source.id);
  if (!Number.isFinite(sourceId)) return undefined;
  return {
    index,
    time: numberIn(e.time) || 0,
    type: names.eventTypes.get(e.type) ?? `event type ${e.type}`,
    phase: PHASES[names.phases.get(numberIn(e.phase)) ?? ''] ?? 'none',
    sourceId,
    sourceType: names.sourceTypes.get(numberIn(e.source.type)) ?? `source type ${numberIn(e.source.type)}`,
    params: typeof e.params === 'object' && e.params !== null ? (e.params as Record<string, unknown>) : undefined,
  };
}
