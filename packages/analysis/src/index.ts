export * from './record.js';
export { analyzeCapture, DEFAULT_TLS_PORTS, type AnalyzeOptions, type CaptureAnalysis, type CapturePart } from './analyze.js';
export { TlsConnectionSink } from './tls-sink.js';
export { checkChain, describeCertificate, hostMatches, type CertificateInfo, type ChainCheck } from './certificate.js';
export { tuneHeapForCaptureAnalysis } from './heap-tuning.js';
export { nodeHandshakeCrypto } from './node-crypto.js';
export { QuicTable, type QuicTableOptions } from './quic.js';
