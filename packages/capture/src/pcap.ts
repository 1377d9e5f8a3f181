import { CaptureError } from './errors.js';
import { MAX_PACKET_LENGTH, newRawPacket, type BlockParser, type RawPacket } from './packet.js';

/** Classic libpcap format: a 24-byte global header, then 16-byte record headers. */
export class PcapParser implements BlockParser {
  warnings: string[] = [];
  private headerDone = false;
  private le = true;
  private nano = false;
  private snaplen = 0;
  private linkType = 0;
  private count = 0;
  private readonly pkt: RawPacket = newRawPacket();

  constructor(private readonly onPacket: (p: RawPacket) => void) {}

  feed(buf: Uint8Array, len: number, eof: boolean, fileOffset: number): number {
    const dv = new DataView(buf.buffer, buf.byteOffset, len);
    let p = 0;
    if (!this.headerDone) {
      if (len < 24) {
        if (eof) throw new CaptureError('TRUNCATED', `pcap global header cut short: ${len} of 24 bytes`, fileOffset);
        return 0;
      }
      const magic = dv.getUint32(0, false);
      this.le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
      this.nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
      this.snaplen = dv.getUint32(16, this.le);
      // The upper bits of the link-type field may carry FCS information (pcap-savefile(5)).
      this.linkType = dv.getUint32(20, this.le) & 0x0fffffff & 0xffff;
      this.headerDone = true;
      p = 24;
    }
    const le = this.le;
    const pkt = this.pkt;
    const limit = Math.max(this.snaplen, MAX_PACKET_LENGTH);
    while (len - p >= 16) {
      const incl = dv.getUint32(p + 8, le);
      if (incl > limit) {
        throw new CaptureError('BAD_PACKET_LENGTH', `packet ${this.count + 1} claims ${incl} captured bytes, more than the snap length ${this.snaplen} allows`, fileOffset + p + 8);
      }
      if (len - p - 16 < incl) {
        if (eof) {
          this.warnings.push(`the last packet (${this.count + 1}) is cut short: ${len - p - 16} of ${incl} bytes; everything before it was read`);
          return len;
        }
        return p;
      }
      pkt.index = ++this.count;
      pkt.linkType = this.linkType;
      pkt.tsSec = dv.getUint32(p, le);
      const frac = dv.getUint32(p + 4, le);
      pkt.tsNsec = this.nano ? frac : frac * 1000;
      pkt.capLen = incl;
      pkt.origLen = dv.getUint32(p + 12, le);
      pkt.buf = buf;
      pkt.start = p + 16;
      this.onPacket(pkt);
      p += 16 + incl;
    }
    if (eof && p < len) {
      this.warnings.push(`the file ends inside a packet header after packet ${this.count}; everything before it was read`);
      return len;
    }
    return p;
  }
}
