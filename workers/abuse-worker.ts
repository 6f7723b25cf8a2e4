/**
 * Piscina worker entry of the abuse stage: a pool of exactly one thread, so the
 * appends of a run and its analysis (a replay's at the end, a live capture's at
 * each checkpoint) land here in order, on one collector.
 *
 * TEST HOOK: SHADOWTAP_TEST_ABUSE_DELAY_MS makes every task wait that many
 * milliseconds first: a deliberately slow model, with which the tests show that
 * the packet path does not wait for scoring. Not for production use.
 */
import { workerData } from 'piscina';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  AbuseTask, AbuseWorkerData, AnalyseResult, AppendResult, CheckpointResult,
} from '../src/pipeline/abuse-messages.js';
import { AbuseCollector } from '../src/pipeline/abuse-collector.js';

const data = workerData as AbuseWorkerData;
const collector = new AbuseCollector(data.limits, data.live);
const delayMs = Number(process.env.SHADOWTAP_TEST_ABUSE_DELAY_MS ?? 0);

export default async function runAbuseTask(
  task: AbuseTask,
): Promise<AppendResult | AnalyseResult | CheckpointResult> {
  if (Number.isFinite(delayMs) && delayMs > 0) await sleep(delayMs);
  if (task.op === 'append') return collector.append(task);
  return task.op === 'analyse' ? collector.analyse(task) : collector.checkpoint(task);
}
