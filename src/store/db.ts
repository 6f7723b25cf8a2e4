/**
 * Owns the SQLite file (STYLE 10): opens it with WAL, migrates the schema, prepares
 * statements once, and batches writes in transactions. Nothing raw is stored here:
 * templates, names, counts and types only.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ShadowtapError } from '../errors.js';
import type { Catalog } from '../catalog/types.js';
import type { ParamShape } from '../infer/template.js';
import type { AnomalyCode } from '../anomalies.js';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { emptyEndpointSchema, mergeSchemas, type EndpointSchema } from '../infer/schema.js';
import type { PiiFindings } from '../infer/pii-aggregate.js';
import type { Activity } from '../infer/inventory.js';
import type { PiiKind } from '../pii/types.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { ActivityTable, type StoredActivity } from './activity.js';
import { TriageTable, type EndpointKey, type TriageLogEntry, type TriageRecord } from './triage.js';
import { readAlerts, type AlertRow } from './alerts-view.js';
import { EncryptedTable } from './encrypted.js';
import type { EncryptedHost, UninspectedTotals } from '../tls/hosts.js';
import { AlertsTable, type AlertJson } from './alerts.js';
import type { Alert } from '../abuse/alerts.js';
import { HostLossTable } from './host-loss.js';
import type { HostLoss } from '../pipeline/loss.js';

/** Personal data at one endpoint as stored: counts, a masked preview, no values. */
export interface StoredPii {
  kind: PiiKind;
  in: 'request' | 'response';
  location: string;
  count: number;
  confidence: number;
  preview: string;
  /** Distinct values seen (distinct tokens), up to limits.maxTokensPerFinding. */
  distinct: number;
}

/** One endpoint as stored: the inventory key and its merged statistics. */
export interface EndpointRecord {
  host: string;
  method: string;
  template: string;
  params: ParamShape[];
  requests: number;
  statusCodes: Record<string, number>;
  auth: string[];
  requestTypes: string[];
  responseTypes: string[];
  queryNames: string[];
  firstSeen: number;
  lastSeen: number;
  firstRun: number;
  lastRun: number;
  /** Stream bytes of its exchanges the capture lacked, summed over runs (schema v7). */
  gapBytes: number;
  schema: EndpointSchema;
  pii: StoredPii[];
}

/** An endpoint of one run as it is handed to commitRun. */
export interface RunEndpointInput extends Omit<EndpointRecord, 'firstRun' | 'lastRun' | 'pii'> {
  pii: PiiFindings;
  /** Requests over capture time; absent from callers that do not count it. */
  activity?: Activity;
}

export interface RunRecord {
  id: number;
  command: string;
  startedAt: number;
  finishedAt: number | null;
  captureFirst: number | null;
  captureLast: number | null;
  packets: number;
  bytes: number;
  flows: number;
  exchanges: number;
  anomalies: Partial<Record<AnomalyCode, number>>;
  /** Stream bytes the capture lacked (holes reassembly declared), in all. */
  gapBytes: number;
}

/** What a run hands over when it ends (or at a live checkpoint). */
export interface RunCommit extends Omit<RunRecord, 'command' | 'startedAt' | 'finishedAt'> {
  finishedAt: number;
  /** Gap bytes no exchange could be charged with, by host; added to the stored ones. */
  hostLoss: HostLoss[];
  files: Array<{ sha256: string; path: string; size: number; packets: number; truncated: boolean }>;
  endpoints: RunEndpointInput[];
  catalog: Catalog | null;
}

interface EndpointRow {
  id: number;
  host: string;
  method: string;
  template: string;
  params: string;
  requests: number;
  status_codes: string;
  auth: string;
  request_types: string;
  response_types: string;
  query_names: string;
  first_seen: number;
  last_seen: number;
  first_run: number;
  last_run: number;
  gap_bytes: number;
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function fromRow(r: EndpointRow): Omit<EndpointRecord, 'schema' | 'pii'> {
  return {
    host: r.host,
    method: r.method,
    template: r.template,
    params: JSON.parse(r.params) as ParamShape[],
    requests: r.requests,
    statusCodes: JSON.parse(r.status_codes) as Record<string, number>,
    auth: JSON.parse(r.auth) as string[],
    requestTypes: JSON.parse(r.request_types) as string[],
    responseTypes: JSON.parse(r.response_types) as string[],
    queryNames: JSON.parse(r.query_names) as string[],
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    firstRun: r.first_run,
    lastRun: r.last_run,
    gapBytes: r.gap_bytes,
  };
}

/** What a live run adds to its totals (schema v3). */
export interface CaptureRecord {
  interface: string;
  /** libpcap's counters (pcap_stats). */
  received: number;
  dropped: number;
  ifDropped: number;
}

/** Why SQLite could not open `file`, in words an operator can act on. */
function openFailure(file: string, e: unknown): string {
  const why = e instanceof Error ? e.message : String(e);
  if (!/unable to open/.test(why)) return why;
  const dir = dirname(resolve(file));
  if (!existsSync(dir)) return `the folder ${dir} does not exist`;
  try {
    accessSync(existsSync(file) ? file : dir, constants.W_OK);
  } catch {
    return `permission denied (${existsSync(file) ? file : dir} is not writable)`;
  }
  return why;
}

/** The shadowtap database. */
export class Store {
  private readonly db: Database.Database;
  private readonly activityTable: ActivityTable;
  private readonly triageTable: TriageTable;
  private readonly alertsTable: AlertsTable;
  private readonly encryptedTable: EncryptedTable;
  private readonly hostLossTable: HostLossTable;

  private constructor(db: Database.Database) {
    this.db = db;
    this.activityTable = new ActivityTable(db);
    this.triageTable = new TriageTable(db);
    this.alertsTable = new AlertsTable(db);
    this.encryptedTable = new EncryptedTable(db);
    this.hostLossTable = new HostLossTable(db);
  }

  /** Opens (creating if needed) and migrates the database at `file`. */
  static open(file: string, options: { readonly?: boolean } = {}): Store {
    let db: Database.Database;
    try {
      const readonly = options.readonly ?? false;
      db = new Database(file, { readonly, fileMustExist: readonly });
    } catch (e) {
      throw new ShadowtapError('db-error',
        `${file}: cannot open database: ${openFailure(file, e)}`);
    }
    try {
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('foreign_keys = ON');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new ShadowtapError(
          'db-error',
          `${file}: schema version ${version} is newer than this shadowtap (${SCHEMA_VERSION})`,
        );
      }
      if (version < SCHEMA_VERSION && options.readonly) {
        if (version === 0) {
          throw new ShadowtapError('db-error', `${file}: not a shadowtap database`);
        }
        // A database from an earlier shadowtap: bring it up to date once, then read it.
        db.close();
        try {
          Store.open(file).close();
        } catch (e) {
          const why = e instanceof ShadowtapError ? e.message : String(e);
          throw new ShadowtapError('db-error',
            `${file}: schema version ${version} needs upgrading to ${SCHEMA_VERSION} and ` +
              `that failed (${why})`);
        }
        return Store.open(file, options);
      }
      for (let v = version; v < SCHEMA_VERSION; v++) {
        db.transaction(() => {
          db.exec(MIGRATIONS[v]!);
          db.pragma(`user_version = ${v + 1}`);
        })();
      }
    } catch (e) {
      db.close();
      if (e instanceof ShadowtapError) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new ShadowtapError('db-error', `${file}: ${why}`);
    }
    return new Store(db);
  }

  close(): void {
    this.db.close();
  }

  /** Starts a run and returns its id. */
  beginRun(command: string, startedAt: number): number {
    const info = this.db
      .prepare('INSERT INTO runs (command, started_at) VALUES (?, ?)')
      .run(command, startedAt);
    return Number(info.lastInsertRowid);
  }

  /** The file's earlier replay, if its SHA-256 is known. */
  findFile(sha256: string): { path: string; runId: number } | null {
    const row = this.db.prepare('SELECT path, run_id FROM files WHERE sha256 = ?').get(sha256) as
      | { path: string; run_id: number }
      | undefined;
    return row === undefined ? null : { path: row.path, runId: row.run_id };
  }

  /** All endpoints, ordered by host, template, method, with schemas and PII. */
  endpoints(): EndpointRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM endpoints ORDER BY host, template, method')
      .all() as EndpointRow[];
    const schemas = new Map<number, EndpointSchema>();
    for (const r of this.db.prepare('SELECT endpoint_id, schema FROM endpoint_schemas').all() as
      Array<{ endpoint_id: number; schema: string }>) {
      schemas.set(r.endpoint_id, JSON.parse(r.schema) as EndpointSchema);
    }
    const pii = new Map<number, StoredPii[]>();
    const findings = this.db.prepare(`
      SELECT f.endpoint_id, f.direction, f.location, f.kind, f.count, f.confidence, f.preview,
        (SELECT COUNT(*) FROM pii_tokens t WHERE t.finding_id = f.id) AS distinct_values
      FROM pii_findings f ORDER BY f.endpoint_id, f.direction, f.location, f.kind`).all() as Array<{
      endpoint_id: number; direction: 'request' | 'response'; location: string; kind: PiiKind;
      count: number; confidence: number; preview: string; distinct_values: number }>;
    for (const f of findings) {
      let list = pii.get(f.endpoint_id);
      if (list === undefined) pii.set(f.endpoint_id, (list = []));
      list.push({ kind: f.kind, in: f.direction, location: f.location, count: f.count,
        confidence: f.confidence, preview: f.preview, distinct: f.distinct_values });
    }
    return rows.map((r) => ({
      ...fromRow(r),
      schema: schemas.get(r.id) ?? emptyEndpointSchema(),
      pii: pii.get(r.id) ?? [],
    }));
  }

  latestRun(): RunRecord | null {
    const r = this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get() as
      | Record<string, unknown>
      | undefined;
    if (r === undefined) return null;
    return {
      id: r.id as number,
      command: r.command as string,
      startedAt: r.started_at as number,
      finishedAt: (r.finished_at as number | null) ?? null,
      captureFirst: (r.capture_first as number | null) ?? null,
      captureLast: (r.capture_last as number | null) ?? null,
      packets: r.packets as number,
      bytes: r.bytes as number,
      flows: r.flows as number,
      exchanges: r.exchanges as number,
      anomalies: JSON.parse(r.anomalies as string) as RunRecord['anomalies'],
      gapBytes: r.gap_bytes as number,
    };
  }

  /** The catalog last given to a run, or null. */
  catalog(): Catalog | null {
    const row = this.db.prepare('SELECT files, operations FROM catalog WHERE id = 1').get() as
      | { files: string; operations: string }
      | undefined;
    if (row === undefined) return null;
    return {
      files: JSON.parse(row.files) as string[],
      operations: JSON.parse(row.operations) as Catalog['operations'],
    };
  }

  /**
   * Finishes a run in one transaction: merges its endpoints (counts add up, first and
   * last seen widen), records its files and totals, and replaces the stored catalog
   * when one was given.
   */
  commitRun(run: RunCommit): void {
    const get = this.db.prepare(
      'SELECT * FROM endpoints WHERE host = ? AND method = ? AND template = ?',
    );
    const upsert = this.db.prepare(`
      INSERT INTO endpoints (host, method, template, params, requests, status_codes, auth,
        request_types, response_types, query_names, first_seen, last_seen, first_run, last_run,
        gap_bytes)
      VALUES (@host, @method, @template, @params, @requests, @status_codes, @auth,
        @request_types, @response_types, @query_names, @first_seen, @last_seen, @first_run,
        @last_run, @gap_bytes)
      ON CONFLICT (host, method, template) DO UPDATE SET
        params = excluded.params, requests = excluded.requests,
        status_codes = excluded.status_codes, auth = excluded.auth,
        request_types = excluded.request_types, response_types = excluded.response_types,
        query_names = excluded.query_names, first_seen = excluded.first_seen,
        last_seen = excluded.last_seen, last_run = excluded.last_run,
        gap_bytes = excluded.gap_bytes`);
    const addFile = this.db.prepare(
      'INSERT OR REPLACE INTO files (sha256, path, size, run_id, packets, truncated) ' +
        'VALUES (?, ?, ?, ?, ?, ?)',
    );
    const finish = this.db.prepare(`
      UPDATE runs SET finished_at = ?, capture_first = ?, capture_last = ?, packets = ?,
        bytes = ?, flows = ?, exchanges = ?, anomalies = ?, gap_bytes = ? WHERE id = ?`);
    const getSchema = this.db.prepare('SELECT schema FROM endpoint_schemas WHERE endpoint_id = ?');
    const putSchema = this.db.prepare(
      'INSERT OR REPLACE INTO endpoint_schemas (endpoint_id, schema) VALUES (?, ?)',
    );
    const upsertPii = this.db.prepare(`
      INSERT INTO pii_findings (endpoint_id, direction, location, kind, count, confidence, preview)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (endpoint_id, direction, location, kind) DO UPDATE SET
        count = count + excluded.count, confidence = MAX(confidence, excluded.confidence)
      RETURNING id`);
    const tokenCount = this.db.prepare('SELECT COUNT(*) AS n FROM pii_tokens WHERE finding_id = ?');
    const addToken = this.db.prepare(
      'INSERT OR IGNORE INTO pii_tokens (finding_id, token) VALUES (?, ?)',
    );
    const tokenCap = DEFAULT_LIMITS.maxTokensPerFinding;
    const setCatalog = this.db.prepare(
      'INSERT OR REPLACE INTO catalog (id, loaded_at, files, operations) VALUES (1, ?, ?, ?)',
    );

    this.db.transaction(() => {
      for (const e of run.endpoints) {
        const old = get.get(e.host, e.method, e.template) as EndpointRow | undefined;
        const prev = old === undefined ? null : fromRow(old);
        const codes = { ...(prev?.statusCodes ?? {}) };
        for (const [k, n] of Object.entries(e.statusCodes)) codes[k] = (codes[k] ?? 0) + n;
        upsert.run({
          host: e.host,
          method: e.method,
          template: e.template,
          params: JSON.stringify(e.params),
          requests: (prev?.requests ?? 0) + e.requests,
          status_codes: JSON.stringify(codes),
          auth: JSON.stringify(union(prev?.auth ?? [], e.auth)),
          request_types: JSON.stringify(union(prev?.requestTypes ?? [], e.requestTypes)),
          response_types: JSON.stringify(union(prev?.responseTypes ?? [], e.responseTypes)),
          query_names: JSON.stringify(union(prev?.queryNames ?? [], e.queryNames)),
          first_seen: Math.min(prev?.firstSeen ?? Infinity, e.firstSeen),
          last_seen: Math.max(prev?.lastSeen ?? -Infinity, e.lastSeen),
          first_run: prev?.firstRun ?? run.id,
          last_run: run.id,
          gap_bytes: (prev?.gapBytes ?? 0) + e.gapBytes,
        });
        const id = (old?.id ?? (get.get(e.host, e.method, e.template) as EndpointRow).id);
        const stored = getSchema.get(id) as { schema: string } | undefined;
        const schema = stored === undefined
          ? e.schema
          : mergeSchemas(JSON.parse(stored.schema) as EndpointSchema, e.schema, DEFAULT_LIMITS);
        putSchema.run(id, JSON.stringify(schema));
        for (const f of Object.values(e.pii)) {
          const row = upsertPii.get(
            id, f.in, f.location, f.kind, f.count, f.confidence, f.preview,
          ) as { id: number };
          let have = (tokenCount.get(row.id) as { n: number }).n;
          for (const t of f.tokens) {
            if (have >= tokenCap) break;
            have += addToken.run(row.id, t).changes;
          }
        }
        if (e.activity !== undefined) {
          this.activityTable.merge(id, e.activity, DEFAULT_LIMITS.maxActivityBuckets);
        }
      }
      for (const f of run.files) {
        addFile.run(f.sha256, f.path, f.size, run.id, f.packets, f.truncated ? 1 : 0);
      }
      this.hostLossTable.add(run.hostLoss);
      finish.run(
        run.finishedAt, run.captureFirst, run.captureLast, run.packets, run.bytes, run.flows,
        run.exchanges, JSON.stringify(run.anomalies), run.gapBytes, run.id,
      );
      if (run.catalog !== null) {
        setCatalog.run(
          run.finishedAt,
          JSON.stringify(run.catalog.files),
          JSON.stringify(run.catalog.operations),
        );
      }
    })();
  }

  /**
   * A live run's checkpoint in one transaction: commitRun with this interval's
   * endpoints (merged additively) and the cumulative totals, plus the capture
   * counters. Until `final`, finished_at stays NULL: the run is still going.
   */
  checkpointCapture(
    run: Parameters<Store['commitRun']>[0],
    capture: CaptureRecord,
    final: boolean,
  ): void {
    const update = this.db.prepare(`
      UPDATE runs SET interface = ?, pcap_received = ?, pcap_dropped = ?,
        pcap_if_dropped = ?, finished_at = CASE WHEN ? THEN finished_at ELSE NULL END
      WHERE id = ?`);
    this.db.transaction(() => {
      this.commitRun(run);
      update.run(
        capture.interface, capture.received, capture.dropped, capture.ifDropped,
        final ? 1 : 0, run.id,
      );
    })();
  }

  /**
   * Deletes endpoints last seen (capture time) before `cutoff`, with their schemas
   * and personal-data findings, and hosts whose loss outside exchanges is as old;
   * returns how many endpoints went.
   * LIMITATION: run and file rows are kept (a few bytes per run or file).
   */
  pruneEndpoints(cutoff: number): number {
    return this.db.transaction(() => {
      this.hostLossTable.pruneBefore(cutoff);
      return this.db.prepare('DELETE FROM endpoints WHERE last_seen < ?').run(cutoff).changes;
    })();
  }

  /** Gap bytes no exchange could be charged with, by host, summed over runs. */
  hostLoss(): HostLoss[] {
    return this.hostLossTable.list();
  }

  /** The latest capture time the database knows (retention counts back from it). */
  latestCaptureTime(): number | null {
    const row = this.db.prepare(`
      SELECT MAX(t) AS t FROM (
        SELECT MAX(capture_last) AS t FROM runs UNION ALL SELECT MAX(last_seen) FROM endpoints
      )`).get() as { t: number | null };
    return row.t;
  }

  /** Requests over capture time per endpoint (the report's chart). */
  activity(): StoredActivity[] {
    return this.activityTable.all();
  }

  /** Every reviewer's decision in force. */
  triage(): TriageRecord[] {
    return this.triageTable.all();
  }

  /** Records a reviewer's decision (replacing the endpoint's previous one). */
  setTriage(r: TriageRecord): void {
    this.triageTable.set(r);
  }

  /** Clears an endpoint's decision; returns whether there was one. */
  clearTriage(k: EndpointKey, who: string, at: number): boolean {
    return this.triageTable.clear(k, who, at);
  }

  /** The newest entries of the decision trail. */
  triageHistory(limit: number): TriageLogEntry[] {
    return this.triageTable.history(limit);
  }

  /** The newest abuse alerts, or null when this database keeps none. */
  alerts(limit: number): AlertRow[] | null {
    return readAlerts(this.db, limit);
  }

  /** Stores the abuse alerts run `runId` raised. */
  addAlerts(runId: number, alerts: readonly Alert[]): void {
    this.alertsTable.add(runId, alerts);
  }

  /** Abuse alerts whose window ends at or after `since` (capture time), oldest first. */
  alertsSince(since: number): AlertJson[] {
    return this.alertsTable.list(since);
  }

  /** Merges run `runId`'s hosts seen over TLS and records its uninspected volume. */
  addEncrypted(
    runId: number, hosts: readonly EncryptedHost[], totals: UninspectedTotals, maxAlpn: number,
  ): void {
    this.encryptedTable.add(runId, hosts, totals, maxAlpn);
  }

  /** Every host seen over TLS, by name. */
  encryptedHosts(): EncryptedHost[] {
    return this.encryptedTable.list();
  }

  /** Changes whenever another connection commits: views cache on it. */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }
}

