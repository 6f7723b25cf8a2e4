/**
 * Checks a triage request body from the review UI: which endpoint, which decision,
 * a note of bounded length. Anything else is refused with a message, never stored.
 */
import { TRIAGE_VERDICTS, type EndpointKey, type TriageVerdict } from '../store/triage.js';

/** A checked triage request: verdict null clears the decision. */
export interface TriageInput extends EndpointKey {
  verdict: TriageVerdict | null;
  note: string;
}

function text(v: unknown, name: string, max: number): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw new Error(`${name} must be a string of 1 to ${max} characters`);
  }
  return v;
}

/** The checked input, or an Error saying what is wrong. */
export function parseTriageInput(body: unknown, maxNote: number): TriageInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error('the body must be a JSON object');
  }
  const b = body as Record<string, unknown>;
  const verdict = b.verdict ?? null;
  if (verdict !== null && !(TRIAGE_VERDICTS as readonly unknown[]).includes(verdict)) {
    throw new Error(`verdict must be one of ${TRIAGE_VERDICTS.join(', ')} or null`);
  }
  const note = b.note ?? '';
  if (typeof note !== 'string') throw new Error('note must be a string');
  return {
    host: text(b.host, 'host', 1024),
    method: text(b.method, 'method', 32),
    template: text(b.template, 'template', 8192),
    verdict: verdict as TriageVerdict | null,
    // Control characters other than line breaks and tabs are dropped from notes.
    note: note.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').slice(0, maxNote),
  };
}

/** The reviewer's name from the header, cleaned; null when absent or empty. */
export function reviewerName(header: string | string[] | undefined): string | null {
  const v = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  const clean = v.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 128);
  return clean === '' ? null : clean;
}
