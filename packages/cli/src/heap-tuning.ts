import { setFlagsFromString } from 'node:v8';

let tuned = false;

/**
 * Turns off V8's allocation-site pretenuring for this process, once, before reading a large
 * capture: the CLI's choice for a process that does little else. It lives here, not in the
 * analysis, because a library never sets a process-wide flag: a program embedding the analysis
 * decides for itself.
 *
 * Why: early in a capture most connections are still open, so the objects made where a
 * connection starts (its state, its packet facts, its record) survive the first young-generation
 * collections. V8 takes that as a sign that those allocation sites make long-lived objects and
 * from then on allocates them straight in the old generation, where every one of them waits for
 * a full collection, though nearly all connections end within a few thousand packets. On the
 * 1.26 GB benchmark capture it made the run about 1.5 times as long and added 30 MB of peak RSS
 * (docs/performance.md). It changes where objects are first placed, never what is kept: no
 * heap limit is set, so a capture with many live connections can still use the memory it needs.
 */
export function tuneHeapForCaptureAnalysis(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
