// Hand-made ClientEvents for the abuse tests: defaults for an ordinary GET, overridden per case.
import { createHmac } from 'node:crypto';
import { exampleLine, type ClientEvent } from '../../src/abuse/events.js';

/** A stand-in for src/privacy's tokenisation: HMAC with a fixed test key. */
export function testTokenize(value: string): string {
  return createHmac('sha256', 'abuse-test-key').update(value).digest('hex').slice(0, 16);
}

/** An event at `ts` from `clientAddress`; anything else overridden by `over`. */
export function ev(ts: number, over: Partial<ClientEvent> = {}): ClientEvent {
  const method = over.method ?? 'GET';
  const template = over.template ?? '/products';
  return {
    ts,
    clientAddress: '10.0.0.1',
    principal: null,
    host: 'api.example.test',
    method,
    template,
    params: {},
    status: 200,
    responseBytes: 500,
    userAgent: 'test-agent/1.0',
    shadow: false,
    loginAttempt: null,
    probes: [],
    example: exampleLine(method, template),
    ...over,
  };
}
