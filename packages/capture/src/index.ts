export { CaptureError, type CaptureErrorCode } from './errors.js';
export { describeFileStart, detectFormat, type CaptureFormat } from './magic.js';
export { type RawPacket, MAX_PACKET_LENGTH } from './packet.js';
export { PcapParser } from './pcap.js';
export { PcapngParser } from './pcapng.js';
export { firstPacketTime, readCaptureFile, readCaptureStream, type ReadOptions, type ReadResult } from './file.js';
export { addrKey, decodePacket, formatAddr, LinkType, readTcpOptions, TcpFlag, type DecodedPacket, type IcmpUnreachable } from './decode.js';
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
