// The probe's light entry point (`@tlsdoctor/probe/facts`): how its records read, its profiles
// and suites, without the code that opens sockets. The diagnosis and the reports import this.
export { acceptedVersions, describeHello, PLAIN_HTTP_PORTS, versionLines } from './describe.js';
export { PROFILES, type Profile, type ProfileName } from './profiles.js';
export { LEGACY_SUITES } from './suites.js';
