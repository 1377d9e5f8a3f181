/**
 * Where `value` stands as a whole word in `text`, in any case: not inside a longer number, name
 * or address (`10.0.0.1` is not in `10.0.0.10`), but before a full stop or a colon.
 */
export function occurs(text: string, value: string): boolean {
  const t = text.toLowerCase();
  const v = value.toLowerCase();
  for (let i = t.indexOf(v); i >= 0; i = t.indexOf(v, i + 1)) {
    const before = t[i - 1] ?? ' ';
    const after = t[i + v.length] ?? ' ';
    if (!/[\w.-]/.test(before) && !/[\w-]/.test(after) && !(after === '.' && /\w/.test(t[i + v.length + 1] ?? ''))) return true;
  }
  return false;
}
