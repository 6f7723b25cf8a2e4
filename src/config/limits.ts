/**
 * Every limit the sensor enforces, with its default, in one place (STYLE 6).
 * Hitting a limit records an anomaly and degrades; it never ends a run.
 */
export interface Limits {
  /** Flows tracked at once; the longest-idle flow is evicted past this. */
  maxFlows: number;
  /** Out-of-order bytes held per direction before the hole is declared a gap. */
  maxBufferedBytesPerDirection: number;
  /** Out-of-order segments held per direction. */
  maxBufferedSegmentsPerDirection: number;
  /** A flow with no packet for this long (capture time, seconds) is closed. */
  flowIdleTimeoutSec: number;
  /**
   * A packet seen again within this many seconds (capture time), IP id included, is
   * the same packet mirrored twice (two taps, or both ends of a flow), not a
   * retransmission: counted as duplicate-packet and dropped.
   */
  duplicateWindowSec: number;
  /** Recent packets remembered for duplicate detection, at most (oldest forgotten first). */
  maxDuplicateCandidates: number;
  /** Body bytes kept per message for inference (after decoding). */
  maxBodyBytesKept: number;
  /** Largest decoded body we inflate, in bytes; larger bodies are cut there. */
  maxDecodedBodyBytes: number;
  /** Largest ratio of decoded to encoded body size before decoding stops. */
  maxDecompressionRatio: number;
  /** Longest request line plus header block accepted, in bytes. */
  maxHeaderBytes: number;
  /** Requests waiting for a response on one connection (pipelining depth). */
  maxPendingRequests: number;
  /**
   * Requests given up past maxPendingRequests (reported without response) whose
   * responses may still come, remembered by position only so those responses are
   * not paired with later requests.
   */
  maxGivenUpRequests: number;
  /** IP fragment reassembly: datagrams in flight at once. */
  maxFragmentDatagrams: number;
  /** IP fragment reassembly: bytes held across all datagrams. */
  maxFragmentBytes: number;
  /** IP fragment reassembly: seconds (capture time) before a datagram is dropped. */
  fragmentTimeoutSec: number;
  /** Distinct concrete paths remembered per (host, method) for templating. */
  maxPathsPerHostMethod: number;
  /** Distinct concrete paths remembered in all, whatever the hosts and methods. */
  maxPaths: number;
  /** Distinct query parameter names kept per endpoint. */
  maxQueryParamsPerEndpoint: number;
  /** Distinct value tokens kept per PII finding (distinct counts stop here). */
  maxTokensPerFinding: number;
  /**
   * Hosts whose gap bytes outside any exchange are counted apart in one run; the
   * loss of further hosts joins one row, OTHER_LOSS_HOST (src/pipeline/loss.ts).
   */
  maxLossHosts: number;
  /** Packets sent to the worker pool in one round. */
  batchPackets: number;
  /** Rounds in flight in the worker pool before the reader waits. */
  roundsInFlight: number;
  /** Templating: distinct values (some not plain words) that make a position a parameter. */
  templateMinDistinct: number;
  /** Templating: the same when every value is a plain word (words are usually literals). */
  templateMinDistinctWords: number;
  /** Templating: distinct values that make a position a parameter whatever their counts. */
  templateManyDistinct: number;
  /** Templating: median requests per value at or under which values look like ids. */
  templateRareHits: number;
  /** Templating: requests from which a word beside parameter values stays literal. */
  templateLiteralMinHits: number;
  /** Templating: path segments looked at; the rest of a longer path is one literal. */
  templateMaxSegments: number;
  /** Catalog: server URLs produced by expanding server variables, per server. */
  catalogMaxServerExpansions: number;
  /** Largest captured length of one capture record; past it the file is taken as corrupt. */
  maxCaptureRecordBytes: number;
  /** 802.1Q/802.1ad tags decoded on one frame before it is called malformed. */
  maxVlanTags: number;
  /** MPLS labels decoded on one frame before it is called malformed. */
  maxMplsLabels: number;
  /** Tunnels (GRE, VXLAN, GENEVE, ERSPAN) nested in one packet before decoding stops. */
  maxTunnelDepth: number;
  /** Schema paths (fields, array items, map values) kept per body, query or header schema. */
  maxSchemaFields: number;
  /** Nesting levels of a JSON body described by a schema; deeper values count as their type. */
  maxSchemaDepth: number;
  /** Items of one array observed per message when inferring a schema. */
  maxSchemaArrayItems: number;
  /** Media types kept per request and per response status in an endpoint schema. */
  maxSchemaMediaTypes: number;
  /** Response status codes kept per endpoint schema. */
  maxSchemaStatuses: number;
  /** Characters of one string value examined for personal data; the rest is not scanned. */
  maxPiiScanChars: number;
  /** PII findings kept per exchange; later ones are dropped. */
  maxPiiFindingsPerExchange: number;
  /**
   * One exchange in this many is scanned for personal data in full; the others skip
   * locations that have settled (see src/pipeline/settled.ts). 1 scans everything.
   */
  fullScanEvery: number;
  /** Abuse: clients (principals or addresses) tracked per window; the rest are counted only. */
  abuseMaxClientsPerWindow: number;
  /** Abuse: distinct endpoints counted per client per window. */
  abuseMaxEndpointsPerClient: number;
  /** Abuse: templated path parameters tracked per client per window. */
  abuseMaxParamsPerClient: number;
  /** Abuse: distinct values counted per parameter per client per window (as hashes). */
  abuseMaxValuesPerParam: number;
  /** Abuse: clients whose user agents are remembered across windows; the oldest are forgotten. */
  abuseMaxClientsRemembered: number;
  /** Abuse: user agents remembered per client. */
  abuseMaxUserAgentsPerClient: number;
  /** Abuse: characters of one path, query or body scanned for attack probes. */
  abuseMaxProbeScanChars: number;
  /** Abuse: (client, endpoint, parameter) series watched for enumeration at once. */
  abuseMaxEnumerationSeries: number;
  /** Abuse: recent values kept per enumeration series. */
  abuseMaxEnumerationValues: number;
  /** Abuse: windows waiting for the scorer; live capture drops what overflows. */
  abuseQueueCapacity: number;
  /** Abuse: seconds a replay waits for the scorer to drain before reporting the rest. */
  abuseDrainTimeoutSec: number;
  /** Abuse: endpoints listed per alert. */
  abuseMaxAlertEndpoints: number;
  /** Abuse: redacted example requests listed per alert. */
  abuseMaxAlertExamples: number;
  /** Abuse: standing-out features listed per alert. */
  abuseMaxAlertReasons: number;
  /** Abuse: largest model file accepted, in bytes. */
  abuseMaxModelBytes: number;
  /**
   * Abuse: exchanges a replay (or a live capture between two checkpoints) holds for
   * scoring; the rest are counted, not scored.
   */
  abuseMaxReplayEvents: number;
  /** Abuse: client-window rows a live capture keeps to train on; past it, a uniform sample. */
  abuseMaxTrainingRows: number;
  /** Live capture: bytes kept of each packet (a loopback frame is 65536 + 14). */
  liveSnapLength: number;
  /** Live capture: libpcap's kernel buffer, in bytes; packets past it are dropped there. */
  liveBufferBytes: number;
  /** Live capture: longest wait (ms) before captured packets go down the pipeline. */
  liveBatchIntervalMs: number;
  /** Live capture: captured bytes waiting for the pipeline before reading pauses. */
  liveMaxPendingBytes: number;
  /** Live capture: packets read from libpcap's buffer when capture stops. */
  liveDrainMaxPackets: number;
  /** Catalog: nesting levels of a body schema kept per operation (drift reads them). */
  catalogMaxSchemaDepth: number;
  /** Catalog: body schema nodes kept per operation; past it schemas are left open. */
  catalogMaxSchemaNodes: number;
  /** Report: drift entries listed per endpoint (those carrying personal data first). */
  maxDriftPerEndpoint: number;
  /** Report: capture-time width (seconds) of the finest per-endpoint activity bucket. */
  activityBucketSec: number;
  /** Report: activity buckets kept per endpoint; past it buckets double in width. */
  maxActivityBuckets: number;
  /** Report: bars in the requests-over-time chart. */
  reportChartBins: number;
  /** Serve: largest request body accepted by the review UI's API, in bytes. */
  serveMaxBodyBytes: number;
  /** Triage: characters kept of a reviewer's note. */
  triageMaxNoteChars: number;
  /** TLS: longest ClientHello read (it may span segments and records); longer: counted. */
  tlsMaxClientHelloBytes: number;
  /** TLS: distinct SNI hosts aggregated per run; flows to further hosts are not listed. */
  tlsMaxHosts: number;
  /** TLS: ALPN protocol names kept per ClientHello and per host. */
  tlsMaxAlpn: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFlows: 200_000,
  maxBufferedBytesPerDirection: 1 << 20,
  maxBufferedSegmentsPerDirection: 512,
  flowIdleTimeoutSec: 300,
  duplicateWindowSec: 0.01,
  maxDuplicateCandidates: 65_536,
  maxBodyBytesKept: 64 * 1024,
  maxDecodedBodyBytes: 1 << 20,
  maxDecompressionRatio: 200,
  maxHeaderBytes: 64 * 1024,
  maxPendingRequests: 64,
  maxGivenUpRequests: 256,
  maxFragmentDatagrams: 4096,
  maxFragmentBytes: 16 << 20,
  fragmentTimeoutSec: 30,
  maxPathsPerHostMethod: 20_000,
  maxPaths: 100_000,
  maxQueryParamsPerEndpoint: 64,
  maxTokensPerFinding: 10_000,
  maxLossHosts: 10_000,
  batchPackets: 4096,
  roundsInFlight: 4,
  templateMinDistinct: 5,
  templateMinDistinctWords: 10,
  templateManyDistinct: 32,
  templateRareHits: 3,
  templateLiteralMinHits: 5,
  templateMaxSegments: 64,
  catalogMaxServerExpansions: 64,
  maxCaptureRecordBytes: 256 * 1024,
  maxVlanTags: 8,
  maxMplsLabels: 16,
  maxTunnelDepth: 8,
  maxSchemaFields: 512,
  maxSchemaDepth: 12,
  maxSchemaArrayItems: 16,
  maxSchemaMediaTypes: 8,
  maxSchemaStatuses: 32,
  maxPiiScanChars: 64 * 1024,
  maxPiiFindingsPerExchange: 256,
  fullScanEvery: 8,
  abuseMaxClientsPerWindow: 20_000,
  abuseMaxEndpointsPerClient: 256,
  abuseMaxParamsPerClient: 64,
  abuseMaxValuesPerParam: 1024,
  abuseMaxClientsRemembered: 100_000,
  abuseMaxUserAgentsPerClient: 16,
  abuseMaxProbeScanChars: 16 * 1024,
  abuseMaxEnumerationSeries: 50_000,
  abuseMaxEnumerationValues: 64,
  abuseQueueCapacity: 1024,
  abuseDrainTimeoutSec: 120,
  abuseMaxAlertEndpoints: 5,
  abuseMaxAlertExamples: 3,
  abuseMaxAlertReasons: 5,
  abuseMaxModelBytes: 64 << 20,
  abuseMaxReplayEvents: 1_000_000,
  abuseMaxTrainingRows: 200_000,
  liveSnapLength: 262_144,
  liveBufferBytes: 32 << 20,
  liveBatchIntervalMs: 100,
  liveMaxPendingBytes: 64 << 20,
  liveDrainMaxPackets: 1_000_000,
  catalogMaxSchemaDepth: 16,
  catalogMaxSchemaNodes: 2_000,
  maxDriftPerEndpoint: 50,
  activityBucketSec: 1,
  maxActivityBuckets: 512,
  reportChartBins: 96,
  serveMaxBodyBytes: 16 * 1024,
  triageMaxNoteChars: 2_000,
  tlsMaxClientHelloBytes: 32 * 1024,
  tlsMaxHosts: 10_000,
  tlsMaxAlpn: 8,
});

/** Limits with some defaults overridden. */
export function limitsWith(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
