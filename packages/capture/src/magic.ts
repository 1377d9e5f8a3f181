/** Describes the first bytes of a file that is not a capture, for the "wrong magic" message. */
export function describeFileStart(b: Uint8Array): string {
  if (b.length === 0) return 'an empty file';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip data';
  const head = String.fromCharCode(...b.subarray(0, Math.min(64, b.length)));
  if (/^\s*<(!doctype html|html)/i.test(head)) return 'an HTML page';
  if (/^\s*[{[]/.test(head)) return 'JSON or other text';
  let printable = 0;
  const n = Math.min(64, b.length);
  for (let i = 0; i < n; i++) if ((b[i] >= 0x20 && b[i] < 0x7f) || b[i] === 9 || b[i] === 10 || b[i] === 13) printable++;
  const hex = Array.from(b.subarray(0, Math.min(8, b.length)), (x) => x.toString(16).padStart(2, '0')).join(' ');
  if (printable === n) return `text ("${head.split(/\r?\n/)[0].slice(0, 40)}")`;
  return `unknown binary data (${hex})`;
}

export type CaptureFormat = 'pcap' | 'pcapng';

export function detectFormat(b: Uint8Array): CaptureFormat | undefined {
  if (b.length < 4) return undefined;
  const m = ((b[0] << 24) >>> 0) + ((b[1] << 16) | (b[2] << 8) | b[3]);
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
  if (m === 0x0a0d0d0a) return 'pcapng';
  return undefined;
}
