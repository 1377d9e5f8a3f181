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
