/**
 * The review UI's JSON API over the store: the page data (the same report every
 * format prints, with details, chart and alerts), reviewers' decisions, and the
 * accepted endpoints as an OpenAPI overlay. Answers hold names, templates, counts,
 * tokens and masked previews only, as the store does.
 */
import type { Catalog } from '../catalog/types.js';
import type { Limits } from '../config/limits.js';
import { pageFromStore, reportFromStore } from '../report/from-store.js';
import type { PageData } from '../report/html/page-data.js';
import { buildOverlay } from '../report/overlay.js';
import type { Store } from '../store/db.js';
import { triageKey } from '../store/triage.js';
import type { TriageInput } from './triage-input.js';

/** An API answer: status and JSON body. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

/** Routes' state: the store, the catalog, and a cache of the page data. */
export class ReviewApi {
  private cached: { version: string; data: PageData } | null = null;
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog | null,
    private readonly limits: Limits,
    private readonly readOnly: boolean,
  ) {}

  /**
   * The page data, rebuilt only when the database changed: another connection
   * committed (a replay into the same file) or this one recorded a decision.
   */
  report(): ApiAnswer {
    const version = `${this.store.dataVersion()}:${this.generation}`;
    if (this.cached === null || this.cached.version !== version) {
      const data = pageFromStore(this.store, this.catalog, {
        now: Date.now() / 1000, mode: 'serve', canTriage: !this.readOnly, limits: this.limits,
      });
      this.cached = { version, data };
    }
    return { status: 200, body: this.cached.data };
  }

  /** Decisions in force and the newest entries of their trail. */
  triage(): ApiAnswer {
    return { status: 200, body: { decisions: this.store.triage(),
      history: this.store.triageHistory(200) } };
  }

  /** Records or clears a decision on an endpoint the store knows. */
  decide(input: TriageInput, who: string, now: number): ApiAnswer {
    if (this.readOnly) return { status: 403, body: { error: 'this server is read-only' } };
    const known = this.store.endpoints().some((e) => triageKey(e) === triageKey(input));
    if (!known) return { status: 404, body: { error: 'no such endpoint in the database' } };
    const key = { host: input.host, method: input.method, template: input.template };
    this.generation++;
    if (input.verdict === null) {
      const cleared = this.store.clearTriage(key, who, now);
      return { status: 200, body: { ok: true, cleared, triage: null } };
    }
    const record = { ...key, verdict: input.verdict, note: input.note, who, at: now };
    this.store.setTriage(record);
    return { status: 200, body: { ok: true, triage: record } };
  }

  /** The accepted endpoints as an OpenAPI 3.1 document. */
  overlay(): ApiAnswer {
    const { report, records } = reportFromStore(this.store, this.catalog, Date.now() / 1000);
    return { status: 200, body: buildOverlay(report, records) };
  }
}
