import { Version } from '@tlsdoctor/tls-parser-ts';
import { ATS_SUITES, LEGACY_SUITES, MOZILLA_INTERMEDIATE_SUITES, MOZILLA_MODERN_SUITES, TLS13_SUITES } from './suites.js';

export type ProfileName = 'browser' | 'wechat-miniprogram' | 'modern' | 'intermediate';

/**
 * A client whose point of view the probe takes: the versions and suites it offers. Sources are
 * in docs/probe.md.
 */
export interface Profile {
  name: ProfileName;
  label: string;
  versions: number[];
  suites: number[];
  /** The client refuses IP addresses and wants the name on an allow list (WeChat). */
  domainRules: boolean;
}

export const PROFILES: Record<ProfileName, Profile> = {
  // Current browsers: TLS 1.2 and 1.3 (TLS 1.0/1.1 removed in 2020), broad suites.
  browser: { name: 'browser', label: 'a current browser', versions: [Version.TLS13, Version.TLS12], suites: [...TLS13_SUITES, ...LEGACY_SUITES], domainRules: false },
  // WeChat mini-program runtime: TLS 1.2 or later; on iOS App Transport Security (forward-secret ECDHE suites).
  'wechat-miniprogram': { name: 'wechat-miniprogram', label: 'a WeChat mini-program', versions: [Version.TLS13, Version.TLS12], suites: ATS_SUITES, domainRules: true },
  // Mozilla server-side TLS "modern": clients that speak TLS 1.3 only.
  modern: { name: 'modern', label: 'a "modern" (TLS 1.3-only) client', versions: [Version.TLS13], suites: MOZILLA_MODERN_SUITES, domainRules: false },
  // Mozilla "intermediate": TLS 1.2 and 1.3 with ECDHE/DHE and AEAD suites only.
  intermediate: { name: 'intermediate', label: 'an "intermediate" client (TLS 1.2+, AEAD suites)', versions: [Version.TLS13, Version.TLS12], suites: MOZILLA_INTERMEDIATE_SUITES, domainRules: false },
};
