/**
 * What browsers' root programs decided about certificates, kept as data with where it was read:
 * the chain-rules judge applies it, docs/certificates.md cites it. Dates are UTC.
 */

/** A root a client family stops trusting for certificates issued after a date. */
export interface RootDistrust {
  family: string;
  /** The root's SHA-256 fingerprint, lowercase hex without separators. */
  sha256: string;
  /** The root's subject, as Node writes it on one line ("C=US, O=Entrust\, Inc., …, CN=…"). */
  subject: string;
  /** The last issue time still trusted (ms since the epoch): a certificate issued after it is not. */
  trustedUntil: number;
  /**
   * What the family takes as the issue time: Chrome the earliest SCT embedded in the leaf (its
   * root store's `sct_not_after_sec`: at least one SCT not after the date), Mozilla the notBefore.
   */
  compares: 'earliest SCT' | 'notBefore';
  source: string;
  /** When the source was read. */
  read: string;
}

const CHROME_ENTRUST = {
  family: 'Chrome',
  trustedUntil: Date.UTC(2024, 10, 11, 23, 59, 59),
  compares: 'earliest SCT' as const,
  source: 'https://security.googleblog.com/2024/06/sustaining-digital-certificate-security.html (first announced for 2024-10-31, enforced after 2024-11-11); fingerprints as in Chromium net/data/ssl/chrome_root_store/root_store.textproto',
  read: '2026-12-07',
};
const CHROME_2025 = {
  family: 'Chrome',
  trustedUntil: Date.UTC(2025, 6, 31, 23, 59, 59),
  compares: 'earliest SCT' as const,
  source: 'Chrome Root Program announcement of 2025-05-30 (https://security.googleblog.com/); Chromium net/data/ssl/chrome_root_store/root_store.textproto, sct_not_after_sec 1754006399 (root_store.proto: the leaf must have at least one valid SCT not after it)',
  read: '2026-12-07',
};
const MOZILLA_ENTRUST = {
  family: 'Mozilla',
  trustedUntil: Date.UTC(2024, 10, 30, 23, 59, 59),
  compares: 'notBefore' as const,
  source: 'https://wiki.mozilla.org/CA/Additional_Trust_Changes (Distrust After); https://sslmate.com/blog/post/entrust_distrust_more_disruptive_than_intended',
  read: '2026-12-07',
};

const ENTRUST_2006 = { sha256: '73c176434f1bc6d5adf45b0e76e727287c8de57616c1e6e6141a2b2cbc7d8e4c', subject: 'C=US, O=Entrust\\, Inc., OU=www.entrust.net/CPS is incorporated by reference, OU=(c) 2006 Entrust\\, Inc., CN=Entrust Root Certification Authority' };
const ENTRUST_G2 = { sha256: '43df5774b03e7fef5fe40d931a7bedf1bb2e6b42738c4e6d3841103d3aa7f339', subject: 'C=US, O=Entrust\\, Inc., OU=See www.entrust.net/legal-terms, OU=(c) 2009 Entrust\\, Inc. - for authorized use only, CN=Entrust Root Certification Authority - G2' };
const ENTRUST_EC1 = { sha256: '02ed0eb28c14da45165c566791700d6451d7fb56f0b2ab1d3b8eb070e56edff5', subject: 'C=US, O=Entrust\\, Inc., OU=See www.entrust.net/legal-terms, OU=(c) 2012 Entrust\\, Inc. - for authorized use only, CN=Entrust Root Certification Authority - EC1' };
const ENTRUST_G4 = { sha256: 'db3517d1f6732a2d5ab97c533ec70779ee3270a62fb4ac4238372460e6f01e88', subject: 'C=US, O=Entrust\\, Inc., OU=See www.entrust.net/legal-terms, OU=(c) 2015 Entrust\\, Inc. - for authorized use only, CN=Entrust Root Certification Authority - G4' };
const ENTRUST_2048 = { sha256: '6dc47172e01cbcb0bf62580d895fe2b8ac9ad4f873801e0c10b9c837d21eb177', subject: 'O=Entrust.net, OU=www.entrust.net/CPS_2048 incorp. by ref. (limits liab.), OU=(c) 1999 Entrust.net Limited, CN=Entrust.net Certification Authority (2048)' };
const AFFIRMTRUST = [
  { sha256: '0376ab1d54c5f9803ce4b2e201a0ee7eef7b57b636e8a93c9b8d4860c96f5fa7', subject: 'C=US, O=AffirmTrust, CN=AffirmTrust Commercial' },
  { sha256: '0a81ec5a929777f145904af38d5d509f66b5e2c58fcdb531058b0e17f3f0b41b', subject: 'C=US, O=AffirmTrust, CN=AffirmTrust Networking' },
  { sha256: '70a73f7f376b60074248904534b11482d5bf0e698ecc498df52577ebf2e93b9a', subject: 'C=US, O=AffirmTrust, CN=AffirmTrust Premium' },
  { sha256: 'bd71fdf6da97e4cf62d1647add2581b07d79adf8397eb4ecba9c5e8488821423', subject: 'C=US, O=AffirmTrust, CN=AffirmTrust Premium ECC' },
];
const CHUNGHWA = [
  { sha256: 'c0a6f4dc63a24bfdcf54ef2a6a082a0a72de35803e2ff5ff527ae5d87206dfd5', subject: 'C=TW, O=Chunghwa Telecom Co.\\, Ltd., OU=ePKI Root Certification Authority' },
  { sha256: 'f015ce3cc239bfef064be9f1d2c417e1a0264a0a94be1f0c8d121864eb6949cc', subject: 'C=TW, O=Chunghwa Telecom Co.\\, Ltd., CN=HiPKI Root CA - G1' },
];
const NETLOCK = { sha256: '6c61dac3a2def031506be036d2a6fe401994fbd13df9c8d466599274c446ec98', subject: 'C=HU, L=Budapest, O=NetLock Kft., OU=Tanúsítványkiadók (Certification Services), CN=NetLock Arany (Class Gold) Főtanúsítvány' };

export const ROOT_DISTRUST: readonly RootDistrust[] = [
  ...[ENTRUST_2006, ENTRUST_G2, ENTRUST_EC1, ENTRUST_G4, ENTRUST_2048, ...AFFIRMTRUST].map((r) => ({ ...r, ...CHROME_ENTRUST })),
  ...[...CHUNGHWA, NETLOCK].map((r) => ({ ...r, ...CHROME_2025 })),
  ...[ENTRUST_2006, ENTRUST_G2, ENTRUST_EC1].map((r) => ({ ...r, ...MOZILLA_ENTRUST })),
];

/**
 * The longest lifetime a publicly trusted server certificate may have, by the day it was issued
 * (its notBefore): CA/B Forum BR 6.3.2 and ballot SC-081, which Apple's and Chrome's policies
 * enforce. Newest first.
 */
export const LIFETIME_CAPS: readonly { from: number; days: number; source: string }[] = [
  { from: Date.UTC(2029, 2, 15), days: 47, source: 'CA/B Forum ballot SC-081' },
  { from: Date.UTC(2027, 2, 15), days: 100, source: 'CA/B Forum ballot SC-081' },
  { from: Date.UTC(2026, 2, 15), days: 200, source: 'CA/B Forum ballot SC-081' },
  { from: Date.UTC(2020, 8, 1), days: 398, source: 'Apple and Chrome root program policies (BR 6.3.2 since ballot SC-31)' },
  { from: Date.UTC(2018, 2, 1), days: 825, source: 'CA/B Forum ballot 193 (BR 6.3.2)' },
];
