import { formatAddrKey } from './addresses.js';
import { NONE } from './lists.js';
import type { ConnectionEnd, DirectionStats, Endpoint, IcmpFacts, PacketFacts, StreamSink, TcpConnection } from './tcp-types.js';

/**
 * A connection as its sink factory sees it, at its first payload byte: its facts at that moment,
 * nothing logged yet. Its addresses become text only when read: most sinks never read them, and
 * making them twice per connection (here and when it is handed on) cost 4% of the tracker's time
 * on short connections.
 */
export class ConnectionSoFar implements TcpConnection {
  readonly ipVersion: 4 | 6;
  readonly startCaptured: boolean;
  readonly syn = undefined;
  readonly synAck = undefined;
  readonly rsts: PacketFacts[] = NONE;
  readonly fins: PacketFacts[] = NONE;
  readonly packets: PacketFacts[] = NONE;
  readonly endedBy: ConnectionEnd = 'eof';
  sink: StreamSink | undefined = undefined;

  constructor(
    readonly id: number,
    private readonly clientKey: string | number,
    private readonly clientPort: number,
    private readonly serverKey: string | number,
    private readonly serverPort: number,
    readonly roles: TcpConnection['roles'],
    readonly firstTime: number,
    readonly lastTime: number,
    readonly synCount: number,
    readonly synAckCount: number,
    readonly rstCount: number,
    readonly packetCount: number,
    readonly icmp: IcmpFacts[],
    readonly stats: [DirectionStats, DirectionStats],
  ) {
    this.ipVersion = typeof clientKey === 'number' ? 4 : 6;
    this.startCaptured = roles === 'syn';
  }

  get client(): Endpoint {
    return { ip: formatAddrKey(this.clientKey), port: this.clientPort };
  }

  get server(): Endpoint {
    return { ip: formatAddrKey(this.serverKey), port: this.serverPort };
  }
}
