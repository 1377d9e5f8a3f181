import { derElement as element, oid } from './der.js';
import { ByteReader, latin1 } from './reader.js';

// The Encoding API exists in Node 20 and in browsers; the core uses nothing Node-only.
declare const TextDecoder: new () => { decode(b: Uint8Array): string };

/** Attribute types a server's list of acceptable CAs uses, by their short names (RFC 4514). */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** Text of a directory string: UTF-8 (12), printable (19), IA5 (22), T61 (20) or BMP (30). */
function text(tag: number, bytes: Uint8Array): string {
  if (tag === 12) return new TextDecoder().decode(bytes);
  if (tag === 30) {
    let s = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
    return s;
  }
  return latin1(bytes);
}

/**
 * A DER X.501 Name as text, in the order it is encoded ("C=US, O=Example, CN=Example CA"), as
 * `openssl s_client` lists a server's acceptable CA names.
 */
export function distinguishedName(der: Uint8Array, origin = 0): string {
  const r = new ByteReader(der, 0, der.length, origin);
  const name = element(r, 'Name');
  if (name.tag !== 0x30) r.fail('Name', 'not a SEQUENCE');
  const out: string[] = [];
  while (name.body.remaining > 0) {
    const set = element(name.body, 'RelativeDistinguishedName');
    while (set.body.remaining > 0) {
      const atv = element(set.body, 'AttributeTypeAndValue');
      const type = element(atv.body, 'attribute type');
      const value = element(atv.body, 'attribute value');
      const id = oid(type.body.bytes(type.body.remaining, 'attribute type'));
      out.push(`${ATTRIBUTE_NAMES[id] ?? id}=${text(value.tag, value.body.bytes(value.body.remaining, 'attribute value'))}`);
    }
  }
  return out.join(', ');
}
