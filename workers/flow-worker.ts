/**
 * Piscina worker entry: one shard of the flow table. Each worker thread belongs to
 * a pool of exactly one thread, so every round of a shard lands here, in order.
 */
import { workerData } from 'piscina';
import type { Limits } from '../src/config/limits.js';
import { unpackSegments, type RoundResult, type RoundTask } from '../src/pipeline/messages.js';
import { ShardState } from '../src/pipeline/round.js';

const data = workerData as { limits: Limits; secret: Uint8Array };
const state = new ShardState(data.limits, data.secret);

export default function runRound(task: RoundTask): RoundResult {
  const segments = unpackSegments(task.header, task.payloads);
  return state.run(segments, task.clock, task.finish, task.settled);
}
