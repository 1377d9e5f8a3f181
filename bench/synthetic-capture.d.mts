// Types of synthetic-capture.mjs, for the tests that write its captures.
export type Shape = 'bulk' | 'handshake-dense' | 'handshake-dense-interleaved' | 'concurrent' | 'non-tls';
export const SHAPES: Record<Shape, { connections: number }>;
export function writeSyntheticCapture(path: string, options?: { shape?: Shape; connections?: number; bulkSegments?: number }): unknown;
