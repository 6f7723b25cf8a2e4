/**
 * The database schema and its migrations. `PRAGMA user_version` holds the version;
 * each migration moves it up by one inside a transaction.
 */
export const SCHEMA_VERSION = 7;

/** Migrations by target version; index 0 creates version 1. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    command TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL,
    capture_first REAL,
    capture_last REAL,
    packets INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    flows INTEGER NOT NULL DEFAULT 0,
    exchanges INTEGER NOT NULL DEFAULT 0,
    anomalies TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    packets INTEGER NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE endpoints (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    method TEXT NOT NULL,
    template TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '[]',
    requests INTEGER NOT NULL,
    status_codes TEXT NOT NULL,
    auth TEXT NOT NULL,
    request_types TEXT NOT NULL,
    response_types TEXT NOT NULL,
    query_names TEXT NOT NULL,
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL,
    first_run INTEGER NOT NULL REFERENCES runs(id),
    last_run INTEGER NOT NULL REFERENCES runs(id),
    UNIQUE (host, method, template)
  );
  CREATE TABLE catalog (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    loaded_at REAL NOT NULL,
    files TEXT NOT NULL,
    operations TEXT NOT NULL
  );
  `,
  // v2: what endpoints carry. Schemas hold types and counts; personal data is kept
  // as (kind, location) counts, a masked preview and keyed tokens, never a value.
  `
  CREATE TABLE endpoint_schemas (
    endpoint_id INTEGER PRIMARY KEY REFERENCES endpoints(id) ON DELETE CASCADE,
    schema TEXT NOT NULL
  );
  CREATE TABLE pii_findings (
    id INTEGER PRIMARY KEY,
    endpoint_id INTEGER NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    direction TEXT NOT NULL CHECK (direction IN ('request', 'response')),
    location TEXT NOT NULL,
    kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    confidence REAL NOT NULL,
    preview TEXT NOT NULL,
    UNIQUE (endpoint_id, direction, location, kind)
  );
  CREATE TABLE pii_tokens (
    finding_id INTEGER NOT NULL REFERENCES pii_findings(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    PRIMARY KEY (finding_id, token)
  ) WITHOUT ROWID;
  `,
  // v3: live capture. A run's capture counters say how complete its view was:
  // libpcap's (received, dropped by the kernel, dropped by the interface) and the
  // bytes the peers acknowledged that the sensor never saw. Retention prunes by
  // last_seen, hence the index.
  `
  ALTER TABLE runs ADD COLUMN interface TEXT;
  ALTER TABLE runs ADD COLUMN gap_bytes INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN pcap_received INTEGER;
  ALTER TABLE runs ADD COLUMN pcap_dropped INTEGER;
  ALTER TABLE runs ADD COLUMN pcap_if_dropped INTEGER;
  CREATE INDEX endpoints_last_seen ON endpoints (last_seen);
  `,
  // v4: review. Requests per capture-time bucket for the report's chart (bounded per
  // endpoint, see Activity), and reviewers' decisions keyed by the inventory identity
  // (no foreign key: a decision outlives a pruned endpoint and applies when it returns),
  // with an append-only trail of who decided what and when.
  `
  CREATE TABLE endpoint_activity (
    endpoint_id INTEGER NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
    bucket_start REAL NOT NULL,
    bucket_seconds REAL NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY (endpoint_id, bucket_start)
  ) WITHOUT ROWID;
  CREATE TABLE triage (
    host TEXT NOT NULL,
    method TEXT NOT NULL,
    template TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'false-positive', 'needs-owner')),
    note TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (host, method, template)
  );
  CREATE TABLE triage_log (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    method TEXT NOT NULL,
    template TEXT NOT NULL,
    verdict TEXT CHECK (verdict IN ('accepted', 'false-positive', 'needs-owner')),
    note TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL,
    at REAL NOT NULL
  );
  `,
  // v5: abuse alerts (docs/abuse.md). Tokens, addresses, templates and numbers only;
  // JSON columns hold the endpoints, reasons and redacted example lines. Listed by
  // capture time (`shadowtap alerts --since`), hence the index.
  `
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    detector TEXT NOT NULL,
    client_address TEXT NOT NULL,
    client TEXT,
    window_start REAL NOT NULL,
    window_end REAL NOT NULL,
    score REAL NOT NULL,
    threshold REAL NOT NULL,
    endpoints TEXT NOT NULL,
    reasons TEXT NOT NULL,
    examples TEXT NOT NULL
  );
  CREATE INDEX alerts_window_end ON alerts (window_end);
  `,
  // v6: hosts seen only over TLS, by SNI (src/tls/hosts.ts), merged across runs; and
  // each run's TLS and HTTP/2 volume, which the sensor counts but cannot inspect.
  `
  CREATE TABLE encrypted_hosts (
    host TEXT PRIMARY KEY,
    flows INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    alpn TEXT NOT NULL DEFAULT '[]',
    first_seen REAL NOT NULL,
    last_seen REAL NOT NULL
  );
  ALTER TABLE runs ADD COLUMN tls_flows INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN tls_bytes INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN h2_flows INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN h2_bytes INTEGER NOT NULL DEFAULT 0;
  `,
  // v7: capture loss per endpoint, so a report says how complete its view of each one
  // is: stream bytes of its exchanges the sensor never saw, summed across runs; and,
  // per host, the bytes of holes no exchange could be charged with (a request lost
  // whole). runs.gap_bytes (v3) now holds every run's total, replays' too.
  `
  ALTER TABLE endpoints ADD COLUMN gap_bytes INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE host_loss (
    host TEXT PRIMARY KEY,
    gap_bytes INTEGER NOT NULL,
    last_seen REAL NOT NULL
  );
  `,
];
