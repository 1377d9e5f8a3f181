import { latin1 } from '@tlsdoctor/tls-parser-ts';
import { CaptureError } from './errors.js';
import { MAX_PACKET_LENGTH, newRawPacket, type BlockParser, type RawPacket } from './packet.js';

const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OPB = 0x00000002; // obsolete Packet Block
const SPB = 0x00000003;
const EPB = 0x00000006;
/** Decryption Secrets Block: a secrets type, then the secrets (pcapng draft, section 4.7). */
const DSB = 0x0000000a;
/** The secrets type of a TLS key log in NSS format ("TLSK"). */
const TLS_KEY_LOG = 0x544c534b;
/** No legitimate block approaches this; a larger length means a corrupt file. */
const MAX_BLOCK = 64 * 1024 * 1024;

interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second. */
  unitsPerSec: number;
  offsetSec: number;
}

/** pcapng (draft-ietf-opsawg-pcapng): sections, interfaces, packet blocks; unknown blocks skipped. */
export class PcapngParser implements BlockParser {
  warnings: string[] = [];
  private le = true;
  private ifaces: Iface[] = [];
  private count = 0;
  private sections = 0;
  private readonly pkt: RawPacket = newRawPacket();

  private readonly skippedSecrets = new Set<number>();

  constructor(
    private readonly onPacket: (p: RawPacket) => void,
    private readonly onTlsKeyLog?: (text: string) => void,
  ) {}

  feed(buf: Uint8Array, len: number, eof: boolean, fileOffset: number): number {
    const dv = new DataView(buf.buffer, buf.byteOffset, len);
    let p = 0;
    while (len - p >= 12) {
      const typeBE = dv.getUint32(p, false);
      if (typeBE === SHB) {
        const bom = dv.getUint32(p + 8, false);
        if (bom === 0x1a2b3c4d) this.le = false;
        else if (bom === 0x4d3c2b1a) this.le = true;
        else throw new CaptureError('BAD_BLOCK', `section header with an unknown byte-order magic 0x${bom.toString(16)}`, fileOffset + p + 8);
      } else if (this.sections === 0) {
        throw new CaptureError('BAD_BLOCK', 'pcapng data before any section header block', fileOffset + p);
      }
      const le = this.le;
      const type = dv.getUint32(p, le);
      const blen = dv.getUint32(p + 4, le);
      if (blen < 12 || blen % 4 !== 0 || blen > MAX_BLOCK) {
        throw new CaptureError('BAD_BLOCK', `block of type 0x${type.toString(16)} has an impossible length ${blen}`, fileOffset + p + 4);
      }
      if (len - p < blen) {
        if (eof) {
          this.warnings.push(`the file ends inside a block (type 0x${type.toString(16)}, ${len - p} of ${blen} bytes) after packet ${this.count}; everything before it was read`);
          return len;
        }
        return p;
      }
      if (dv.getUint32(p + blen - 4, le) !== blen) {
        throw new CaptureError('BAD_BLOCK', `block of type 0x${type.toString(16)}: trailing length differs from leading length ${blen}`, fileOffset + p + blen - 4);
      }
      switch (type) {
        case SHB:
          this.sections++;
          // Interface ids are numbered per section.
          this.ifaces = [];
          break;
        case IDB:
          this.ifaces.push(this.readIdb(dv, p, blen, fileOffset));
          break;
        case EPB:
        case OPB:
          this.readPacket(buf, dv, p, blen, type, fileOffset);
          break;
        case SPB:
          this.readSimple(buf, dv, p, blen, fileOffset);
          break;
        case DSB:
          this.readSecrets(buf, dv, p, blen, fileOffset);
          break;
        default:
          break;
      }
      p += blen;
    }
    if (eof && p < len) {
      this.warnings.push(`the file ends inside a block header after packet ${this.count}; everything before it was read`);
      return len;
    }
    return p;
  }

  /**
   * A Decryption Secrets Block: a TLS key log goes to onTlsKeyLog; secrets of other kinds
   * (WireGuard, ZigBee, ...) are skipped with one warning per kind, as is a block whose length
   * field does not fit it.
   */
  private readSecrets(buf: Uint8Array, dv: DataView, p: number, blen: number, fileOffset: number): void {
    if (blen < 20) {
      this.warnings.push(`a decryption secrets block at byte ${fileOffset + p} is too short (${blen} bytes) and was skipped`);
      return;
    }
    const kind = dv.getUint32(p + 8, this.le);
    const length = dv.getUint32(p + 12, this.le);
    if (length > blen - 20) {
      this.warnings.push(`a decryption secrets block at byte ${fileOffset + p} says it holds ${length} bytes in a block of ${blen}; it was skipped`);
      return;
    }
    if (kind !== TLS_KEY_LOG) {
      if (!this.skippedSecrets.has(kind)) {
        this.skippedSecrets.add(kind);
        this.warnings.push(`a decryption secrets block of type 0x${kind.toString(16).padStart(8, '0')} (not a TLS key log) was skipped`);
      }
      return;
    }
    // Key log text is ASCII; a stray byte stays one character and fails that line only.
    this.onTlsKeyLog?.(latin1(buf.subarray(p + 16, p + 16 + length)));
  }

  private readIdb(dv: DataView, p: number, blen: number, fileOffset: number): Iface {
    const le = this.le;
    if (blen < 20) throw new CaptureError('BAD_BLOCK', `interface description block too short (${blen} bytes)`, fileOffset + p);
    const iface: Iface = { linkType: dv.getUint16(p + 8, le), snaplen: dv.getUint32(p + 12, le), unitsPerSec: 1e6, offsetSec: 0 };
    let o = p + 16;
    const end = p + blen - 4;
    while (end - o >= 4) {
      const code = dv.getUint16(o, le);
      const olen = dv.getUint16(o + 2, le);
      if (code === 0) break;
      if (o + 4 + olen > end) throw new CaptureError('BAD_BLOCK', `interface option ${code} runs past its block`, fileOffset + o);
      if (code === 9 && olen >= 1) {
        const v = dv.getUint8(o + 4);
        const exp = v & 0x7f;
        // The resolution must stay small enough for exact arithmetic in readPacket.
        if (exp > ((v & 0x80) ? 36 : 10)) throw new CaptureError('BAD_BLOCK', `if_tsresol ${v} is beyond what any clock gives`, fileOffset + o + 4);
        iface.unitsPerSec = (v & 0x80) ? 2 ** exp : 10 ** exp;
      } else if (code === 14 && olen >= 8) {
        // A signed 64-bit count of seconds in the section's byte order.
        const first = dv.getUint32(o + 4, le);
        const second = dv.getUint32(o + 8, le);
        const [high, low] = le ? [second, first] : [first, second];
        iface.offsetSec = (high | 0) * 4294967296 + low;
      }
      o += 4 + ((olen + 3) & ~3);
    }
    return iface;
  }

  private iface(id: number, fileOffset: number, p: number): Iface {
    const i = this.ifaces[id];
    if (!i) throw new CaptureError('BAD_BLOCK', `packet for interface ${id}, which no interface block described`, fileOffset + p);
    return i;
  }

  private readPacket(buf: Uint8Array, dv: DataView, p: number, blen: number, type: number, fileOffset: number): void {
    const le = this.le;
    if (blen < 32) throw new CaptureError('BAD_BLOCK', `packet block too short (${blen} bytes)`, fileOffset + p);
    const id = type === EPB ? dv.getUint32(p + 8, le) : dv.getUint16(p + 8, le);
    const iface = this.iface(id, fileOffset, p);
    const hi = dv.getUint32(p + 12, le);
    const lo = dv.getUint32(p + 16, le);
    const cap = dv.getUint32(p + 20, le);
    const orig = dv.getUint32(p + 24, le);
    if (cap > blen - 32 || cap > Math.max(iface.snaplen, MAX_PACKET_LENGTH)) {
      throw new CaptureError('BAD_PACKET_LENGTH', `packet ${this.count + 1} claims ${cap} captured bytes in a block of ${blen}`, fileOffset + p + 20);
    }
    const pkt = this.pkt;
    this.setTime(pkt, hi, lo, iface);
    pkt.index = ++this.count;
    pkt.linkType = iface.linkType;
    pkt.interfaceId = id;
    pkt.capLen = cap;
    pkt.origLen = orig;
    pkt.buf = buf;
    pkt.start = p + 28;
    this.onPacket(pkt);
  }

  private readSimple(buf: Uint8Array, dv: DataView, p: number, blen: number, fileOffset: number): void {
    const iface = this.iface(0, fileOffset, p);
    const orig = dv.getUint32(p + 8, this.le);
    // A simple packet block has no captured length: it is the smaller of the original length, the snap length and the room in the block.
    let cap = Math.min(orig, blen - 16);
    if (iface.snaplen > 0) cap = Math.min(cap, iface.snaplen);
    const pkt = this.pkt;
    pkt.index = ++this.count;
    pkt.linkType = iface.linkType;
    pkt.interfaceId = 0;
    pkt.tsSec = 0;
    pkt.tsNsec = 0;
    pkt.capLen = cap;
    pkt.origLen = orig;
    pkt.buf = buf;
    pkt.start = p + 12;
    this.onPacket(pkt);
  }

  /** Splits the 64-bit timestamp into seconds and nanoseconds exactly, by long division in 16-bit digits. */
  private setTime(pkt: RawPacket, hi: number, lo: number, iface: Iface): void {
    const d = iface.unitsPerSec;
    const digits = [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff];
    let q = 0;
    let r = 0;
    for (const dg of digits) {
      const cur = r * 65536 + dg;
      const qd = Math.floor(cur / d);
      r = cur - qd * d;
      q = q * 65536 + qd;
    }
    pkt.tsSec = q + iface.offsetSec;
    pkt.tsNsec = Math.floor((r * 1e9) / d);
  }
}

