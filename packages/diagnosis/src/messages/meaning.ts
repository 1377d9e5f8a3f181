import type { Code } from '../codes.js';

/** A cause an error message can come from, and what tells it from the others. */
export interface Cause {
  code: Code;
  sign: string;
}

/**
 * What a family of error messages means at the protocol level, the causes it can come from
 * (most likely first) and how sure the message alone is: `decides` when one cause fits, `narrows`
 * when a few do, `generic` when the message is a client's catch-all.
 */
export interface Meaning {
  means: string;
  causes: Cause[];
  certainty: 'decides' | 'narrows' | 'generic';
  /** What to run to decide between the causes; HOST is the server's name, URL a URL on it. */
  check: string;
  /**
   * Set when the message names no cause by itself (a library's bare HTTP 400): what to look at
   * instead. Its causes are then only the ones such answers are known for.
   */
  namesNoCause?: string;
}

/** The one check most causes are told apart by. */
export const PROBE = 'tlsdoctor probe HOST';
/** How to take a capture that shows the failure. */
export const CAPTURE = "tcpdump -i any -w cap.pcap 'tcp port 443 or udp port 443 or icmp or icmp6' while the client fails, then tlsdoctor pcap cap.pcap";

