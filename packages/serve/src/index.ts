export { AllowList, AllowListError, parseAllowEntry, type AllowEntry, type Connection } from './allow-list.js';
export { Exporter, type ExporterOptions } from './exporter.js';
export { probeMetrics, type ProbeResult } from './probe-metrics.js';
export { ProbePool, PoolFullError, type PoolOptions } from './probe-pool.js';
export { parseProbeQuery, shareKey, QueryError, type ProbeQuery } from './probe-query.js';
