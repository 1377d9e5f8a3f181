/**
 * One captured packet as the file readers hand it on. The object is reused from packet to
 * packet and `buf` is the reader's own buffer: copy what you keep.
 */
export interface RawPacket {
  /** Frame number, 1-based, as tshark counts. */
  index: number;
  linkType: number;
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  capLen: number;
  origLen: number;
  buf: Uint8Array;
  start: number;
}

export function newRawPacket(): RawPacket {
  return { index: 0, linkType: 0, interfaceId: 0, tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, buf: new Uint8Array(0), start: 0 };
}

export interface BlockParser {
  /**
   * Parses whole blocks from buf[0, len). Returns the bytes consumed; the caller keeps the rest
   * and calls again with more. `fileOffset` is the file offset of buf[0], for messages.
   */
  feed(buf: Uint8Array, len: number, eof: boolean, fileOffset: number): number;
  warnings: string[];
}

/** Larger than any real packet (Wireshark's own limit is 256 KiB); beyond it a length is absurd. */
export const MAX_PACKET_LENGTH = 262144;
