// A private PKI for the lab, made with the openssl command line: root, intermediate, and one
// leaf per certificate fault. Nothing here is trusted outside the lab.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { altName } from './scenarios.mjs';

const run = (args, cwd) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

function caConfig(dir) {
  return `[ca]
default_ca = lab
[lab]
dir = ${dir}
database = ${dir}/index.txt
new_certs_dir = ${dir}/newcerts
serial = ${dir}/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[v3_intermediate]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;
}

function signWith(dir, caName, csr, out, ext, start, end, sanFile) {
  const args = ['ca', '-batch', '-config', join(dir, `${caName}.cnf`), '-cert', join(dir, `${caName}.crt`), '-keyfile', join(dir, `${caName}.key`),
    '-in', csr, '-out', out, '-extensions', ext, '-notext', '-startdate', start, '-enddate', end];
  if (sanFile) args.push('-extfile', sanFile);
  run(args, dir);
}

/** The self-signed leaf's names: its host's, and that host's second name, so it is self-signed under both and mismatched under neither. */
const SELF_SIGNED_NAMES = ['selfsigned.lab.test', altName('selfsigned.lab.test')];

/** Self-signed defaults: name, subject, SAN. */
const PROXY_DEFAULTS = [
  ['ingressfake', '/O=Acme Co/CN=Kubernetes Ingress Controller Fake Certificate', 'ingress.local'],
  ['traefikdefault', '/CN=TRAEFIK DEFAULT CERT', '4a1c2b3d5e6f7a8b9c0d1e2f3a4b5c6d.traefik.default'],
];

/** Creates (once) the lab PKI in `dir`; returns the paths of what nginx and clients need. */
export function makePki(dir) {
  const done = join(dir, 'ready');
  const paths = {
    dir,
    root: join(dir, 'root.crt'),
    rootKey: join(dir, 'root.key'),
    intermediate: join(dir, 'intermediate.crt'),
    intermediateKey: join(dir, 'intermediate.key'),
    leaf: (name) => ({ cert: join(dir, `${name}.crt`), chain: join(dir, `${name}.chain.crt`), key: join(dir, `${name}.key`) }),
  };
  const now = new Date();
  const stamp = (d) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  const inDays = (n) => stamp(new Date(now.getTime() + n * 86400000));
  const leaves = [
    // name, SANs, validity
    ['good', ['*.lab.test', 'lab.test'], inDays(-30), inDays(365)],
    ['expired', ['*.lab.test'], '20230101000000Z', '20240101000000Z'],
    ['future', ['*.lab.test'], inDays(3650), inDays(4000)],
    ['wrongname', ['other.example.test'], inDays(-30), inDays(365)],
    ['soon', ['*.lab.test'], inDays(-30), inDays(5)],
    // Two faults in one leaf: expired and for another name.
    ['expiredwrong', ['other.example.test'], '20230101000000Z', '20240101000000Z'],
    // A client certificate (mutual TLS), from the lab's intermediate: the mTLS hosts accept it.
    ['client', [], inDays(-30), inDays(365), 'clientAuth'],
  ];
  // A PKI made by an older lab (fewer leaves) is made again.
  const marker = `leaves: ${leaves.map(([name]) => name).join(', ')}, stranger, ${PROXY_DEFAULTS.map(([name]) => name).join(', ')}; self-signed for ${SELF_SIGNED_NAMES.join(', ')}\n`;
  if (existsSync(done) && readFileSync(done, 'utf8') === marker) return paths;
  rmSync(dir, { recursive: true, force: true });

  mkdirSync(join(dir, 'newcerts'), { recursive: true });
  for (const ca of ['root', 'intermediate']) {
    const cadir = join(dir, `${ca}-db`);
    mkdirSync(join(cadir, 'newcerts'), { recursive: true });
    writeFileSync(join(cadir, 'index.txt'), '');
    writeFileSync(join(cadir, 'serial'), ca === 'root' ? '1000\n' : '2000\n');
    writeFileSync(join(dir, `${ca}.cnf`), caConfig(cadir));
  }
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.crt',
    '-subj', '/CN=tlsdoctor Lab Root CA', '-days', '7300', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'intermediate.key', '-out', 'intermediate.csr', '-subj', '/CN=tlsdoctor Lab Intermediate CA'], dir);
  signWith(dir, 'root', 'intermediate.csr', 'intermediate.crt', 'v3_intermediate', '20240101000000Z', '20400101000000Z');
  for (const [name, sans, start, end, usage = 'serverAuth'] of leaves) {
    run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${sans[0] ?? `lab ${name}`}`], dir);
    const sanFile = join(dir, `${name}.ext`);
    // With -extfile, openssl reads the named section from that file alone: it repeats the leaf profile.
    writeFileSync(sanFile, `[v3_leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = ${usage}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
${sans.length > 0 ? `subjectAltName = ${sans.map((s) => `DNS:${s}`).join(', ')}` : ''}
`);
    signWith(dir, 'intermediate', `${name}.csr`, `${name}.crt`, 'v3_leaf', start, end, sanFile);
    writeFileSync(join(dir, `${name}.chain.crt`), readFileSync(join(dir, `${name}.crt`), 'utf8') + readFileSync(paths.intermediate, 'utf8'));
  }
  // Self-signed: its own issuer, no CA behind it.
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'selfsigned.key', '-out', 'selfsigned.crt',
    '-subj', '/CN=selfsigned.lab.test', '-days', '365', '-addext', `subjectAltName=${SELF_SIGNED_NAMES.map((n) => `DNS:${n}`).join(',')}`], dir);
  writeFileSync(join(dir, 'selfsigned.chain.crt'), readFileSync(join(dir, 'selfsigned.crt')));
  // The certificates ingresses and proxies make for themselves, with their subjects (as users
  // report them from curl -v and openssl s_client): served for a name they have no certificate for.
  for (const [name, subj, san] of PROXY_DEFAULTS) {
    run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`,
      '-subj', subj, '-days', '365', '-addext', `subjectAltName=DNS:${san}`], dir);
    writeFileSync(join(dir, `${name}.chain.crt`), readFileSync(join(dir, `${name}.crt`)));
  }
  // A client certificate no lab CA issued: the mTLS hosts refuse it.
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'stranger.key', '-out', 'stranger.crt',
    '-subj', '/CN=stranger client', '-days', '365', '-addext', 'extendedKeyUsage=clientAuth'], dir);
  writeFileSync(done, marker);
  return paths;
}
