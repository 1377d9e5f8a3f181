import net from 'node:net';
import { raceWithTimeout } from './settle.js';

export type ConnectOutcome =
  | { kind: 'connected'; socket: net.Socket; ms: number }
  | { kind: 'refused' | 'timeout' | 'unreachable' | 'reset' | 'error'; ms: number; code?: string; message: string };

/** Opens a TCP connection with a time limit and names how it failed. */
export function connectTcp(address: string, port: number, timeoutMs: number): Promise<ConnectOutcome> {
  const t0 = performance.now();
  const socket = net.connect({ host: address, port, family: net.isIP(address) });
  return raceWithTimeout<ConnectOutcome>(
    timeoutMs,
    () => ({ kind: 'timeout', ms: performance.now() - t0, message: `no answer to the SYN within ${timeoutMs} ms` }),
    (o) => {
      socket.removeAllListeners('error');
      socket.removeAllListeners('connect');
      if (o.kind !== 'connected') socket.destroy();
      else socket.on('error', () => {});
    },
    (finish) => {
      socket.once('connect', () => finish({ kind: 'connected', socket, ms: performance.now() - t0 }));
      socket.once('error', (e: NodeJS.ErrnoException) => {
        const ms = performance.now() - t0;
        const code = e.code;
        if (code === 'ECONNREFUSED') finish({ kind: 'refused', ms, code, message: e.message });
        else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EACCES' || code === 'EPERM' || code === 'EHOSTDOWN') finish({ kind: 'unreachable', ms, code, message: e.message });
        else if (code === 'ECONNRESET') finish({ kind: 'reset', ms, code, message: e.message });
        else if (code === 'ETIMEDOUT') finish({ kind: 'timeout', ms, code, message: e.message });
        else finish({ kind: 'error', ms, code, message: e.message });
      });
    },
  );
}
