/**
 * The shape every socket step of the probe has: several events race (data, end, error, the time
 * limit) and the first one decides. `settle` resolves once, clears the timer and runs `cleanup`;
 * later calls do nothing.
 */
export function raceWithTimeout<T>(
  timeoutMs: number,
  onTimeout: () => T,
  cleanup: (result: T) => void,
  start: (settle: (result: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve) => {
    let done = false;
    const settle = (result: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cleanup(result);
      resolve(result);
    };
    const timer = setTimeout(() => settle(onTimeout()), timeoutMs);
    start(settle);
  });
}

/**
 * The time a step may take: its timeout, or what is left before the probe's deadline (a
 * performance.now() time) when that is less; never below 1 ms, so a late step still settles.
 */
export function stepTimeout(o: { timeoutMs: number; deadline?: number }): number {
  return o.deadline === undefined ? o.timeoutMs : Math.max(1, Math.min(o.timeoutMs, Math.floor(o.deadline - performance.now())));
}
