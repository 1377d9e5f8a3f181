// Report items made up for the tests of what collects them (ShownItems, JsonSpool): every
// severity, secondaries, and addresses and names that repeat across items, as redaction meets them.
import { summarize, type CaptureItem, type PcapReport, type TcpItem, type TcpRowFacts } from '@tlsdoctor/report';
import { finding, worst, type Code } from '@tlsdoctor/diagnosis';

const CODES: Code[] = ['HANDSHAKE_OK', 'CAPTURE_PARTIAL', 'DEPRECATED_PROTOCOL', 'TCP_TIMEOUT', 'RESET_AFTER_CLIENT_HELLO'];

export function makeItems(file: string, n: number, seed: number): TcpItem[] {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) % 1000) / 1000;
  return Array.from({ length: n }, (_, id) => {
    const client = `10.0.${seed % 7}.${id % 23}`;
    // Now and then the server is an address also seen as a client: it is numbered as a client.
    const server = id % 17 === 5 ? `10.0.${seed % 7}.${(id + 3) % 23}` : `198.18.0.${id % 4}`;
    const diagnoses = [finding(CODES[Math.floor(rnd() * CODES.length)], [`evidence ${file} ${id}: RST/ACK from ${server}:443 to ${client}`])];
    if (rnd() < 0.3) diagnoses.push(finding('DEPRECATED_PROTOCOL', ['old']));
    // Characters JSON escapes, next to a value that redaction replaces.
    if (id % 13 === 7) diagnoses.push(finding('CAPTURE_PARTIAL', [`quoted "${client}"\n${server}:443\tend → 终`]));
    return {
      id, source: file, client: { ip: client, port: 1000 + id }, server: { ip: server, port: 443 }, sni: id % 9 === 0 ? null : `h${id % 11}.test`,
      version: null, versionCode: null, cipher: null, alpn: null, ja3: null, ja3s: null, ja4: null, outcome: worst(diagnoses.map((d) => d.severity)), diagnoses,
    };
  });
}

export function report(items: CaptureItem[], summary = summarize(items)): PcapReport {
  return { schemaVersion: 2, tool: { name: 'tlsdoctor', version: '0' }, command: 'pcap', generatedAt: 'now', input: { files: [] }, summary, connections: items };
}

/** The items of a file in an order connections could end in. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The facts of a TCP row with nothing seen, `over` adding what a test is about. */
export function tcpFacts(over: Partial<TcpRowFacts> = {}): TcpRowFacts {
  const none = { client: 0, server: 0 };
  return {
    ipVersion: 4, tlsEvidence: 'client-hello', startCaptured: true, firstPacket: null, durationMs: 0, history: '',
    timingsMs: { syn: null, synAck: null, clientHello: null, serverHello: null, end: null },
    tcp: { synCount: 0, mss: { client: null, server: null }, synAck: null, resets: [], icmp: [], bytes: none, retransmissions: none },
    end: null, clientHelloCut: null, decryption: null, clientHello: null, serverHello: null, certificates: [], alerts: [], messages: [],
    nonTls: null, tunnel: null, parseErrors: [], partial: [], ladder: { steps: [], notes: [] }, ...over,
  };
}
