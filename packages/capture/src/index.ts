export { CaptureError, type CaptureErrorCode } from './errors.js';
export { describeFileStart, detectFormat, type CaptureFormat } from './magic.js';
export { type RawPacket, MAX_PACKET_LENGTH } from './packet.js';
export { PcapParser } from './pcap.js';
export { PcapngParser } from './pcapng.js';
export { firstPacketTime, readCaptureFile, readCaptureStream, type ReadOptions, type ReadResult } from './file.js';
export { addrKey, formatAddr } from './addresses.js';
export { decodePacket } from './decode.js';
export type { DecodedPacket, IcmpError, IcmpKind } from './decoded-packet.js';
export { icmpKind, icmpName, icmpWords, isPortUnreachable, tooBigWords, Icmp6Code, Icmp6Type, IcmpCode, IcmpType } from './icmp.js';
export { LinkType } from './link-layer.js';
export { readTcpOptions, TcpFlag } from './tcp-options.js';
export {
  TcpTracker,
  type ConnectionEnd,
  type Dir,
  type DirectionStats,
  type Endpoint,
  type IcmpFacts,
  type PacketFacts,
  type StreamSink,
  type TcpConnection,
  type TrackerOptions,
  type TrackerStats,
} from './tcp.js';
export { appended, NONE } from './lists.js';
