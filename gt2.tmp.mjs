import { analyzeCapture } from './packages/analysis/dist/index.js';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
const dir = '../shared/ground-truth/ja4/';
let ok = 0, bad = 0;
for (const f of readdirSync(dir).filter(f => /\.pcap(ng)?$/.test(f))) {
  const out = execFileSync('tshark', ['-r', dir + f, '-Y', 'tls.handshake.type==1 && tcp', '-T', 'fields', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport', '-e', 'tls.handshake.ja3_full', '-e', 'tls.handshake.ja3', '-e', 'tls.handshake.ja3s'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const a = await analyzeCapture(dir + f);
  for (const line of out.trim().split('\n').filter(Boolean)) {
    const [ip4, ip6, port, full, hash] = line.split('\t');
    const r = a.connections.find(c => c.client.port == port.split(',')[0] && (c.client.ip === ip4.split(',')[0] || c.client.ip === ip6.split(',')[0]));
    if (!r) { console.log('MISSING', f, line); bad++; continue; }
    if (r.ja3?.string === full.split(',').slice(0,5).join(',') || r.ja3?.hash === hash.split(',')[0]) ok++; else { bad++; console.log('BAD', f, r.ja3, full, hash); }
  }
}
console.log({ ok, bad });
