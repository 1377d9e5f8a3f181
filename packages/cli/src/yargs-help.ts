/**
 * yargs renders a command's whole help text as soon as the command's handler has started, in
 * case the handler fails later and the help is to be shown: 40-110 ms of every run (the text's
 * layout and the Unicode width tables it loads), for help this CLI never prints on a failure
 * (its `fail` callback says one line). `--help` renders it when asked. Where yargs has no such
 * step, nothing changes.
 */
export function skipHelpCaching(parser: unknown): void {
  const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}
