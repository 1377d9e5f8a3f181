export * from './record.js';
export { LiveTlsFacts, QuicConnectionRecord, TcpConnectionRecord, type LiveTls } from './records.js';
export { analyzeCapture, DEFAULT_TLS_PORTS, type AnalyzeOptions, type CaptureAnalysis, type CapturePart } from './analyze.js';
export { CaptureContext, MAX_WAITING, type OnRecord, type OneSegmentAnswer } from './capture-context.js';
export { cutHelloSegments, helloSegments, serverMss, unansweredSplitHello, wireSegments } from './hello-segments.js';
export { TlsConnectionSink } from './tls-sink.js';
export { checkChain, describeCertificate, hostMatches, type CertificateInfo, type ChainCheck } from './certificate.js';
export { nodeHandshakeCrypto } from './node-crypto.js';
export { QuicTable, type QuicTableOptions } from './quic-table.js';
