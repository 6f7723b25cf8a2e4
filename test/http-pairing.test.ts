// Which waiting request a response answers, with and without gaps, with TCP
// acknowledgments as evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairResponse, type PairingCandidate } from '../src/http/pairing.js';

const req = (pos: number, ack: number): PairingCandidate => ({ phantom: false, pos, ack });
const phantom = (pos: number): PairingCandidate => ({ phantom: true, pos, ack: NaN });

test('without a gap the oldest request is answered', () => {
  assert.equal(pairResponse([req(1, 1), req(50, 1)], { pos: 1, ack: 100 }, null), 0);
  assert.equal(pairResponse([req(1, NaN)], { pos: NaN, ack: NaN }, null), 0);
  assert.equal(pairResponse([], { pos: 1, ack: 1 }, null), -1);
});

test('a response the server sent before receiving the oldest request answers none', () => {
  assert.equal(pairResponse([req(500, 1)], { pos: 1, ack: 400 }, null), -1);
  // ...nor one the client had already received when it sent the request.
  assert.equal(pairResponse([req(1, 900)], { pos: 800, ack: 100 }, null), -1);
});

test('gap-simple shape: the response lost between /2 and /3 (one at a time)', () => {
  // /2 sent after /1's response (ack 151); /3 after /2's response (ack 320).
  const cands = [req(41, 151), req(81, 320)];
  assert.equal(pairResponse(cands, { pos: 320, ack: 121 }, { boundary: true }), 1);
});

test('a gap without evidence drops exactly the oldest when a response began in it', () => {
  const cands = [req(NaN, NaN), req(NaN, NaN), req(NaN, NaN)];
  assert.equal(pairResponse(cands, { pos: NaN, ack: NaN }, { boundary: true }), 1);
  assert.equal(pairResponse(cands, { pos: NaN, ack: NaN }, { boundary: false }), 0);
  assert.equal(pairResponse([req(NaN, NaN)], { pos: NaN, ack: NaN }, { boundary: true }), 0);
});

test('pipelined requests (same acknowledgment) assume the fewest lost responses', () => {
  const cands = [req(1, 10), req(20, 10), req(40, 10)];
  assert.equal(pairResponse(cands, { pos: 200, ack: 60 }, { boundary: true }), 1);
});

test('evidence beats the boundary guess: only the oldest could be answered', () => {
  // A lost 100 Continue: the final response still answers the oldest request.
  const cands = [req(1, 10), req(300, 500)];
  assert.equal(pairResponse(cands, { pos: 200, ack: 250 }, { boundary: true }), 0);
});

test('phantoms stand for lost requests; a response sent before the next one is unpaired', () => {
  const cands = [phantom(40), req(80, 300)];
  assert.equal(pairResponse(cands, { pos: 250, ack: 70 }, null), -1);
  assert.equal(pairResponse(cands, { pos: 300, ack: 120 }, null), 1);
  assert.equal(pairResponse([phantom(40)], { pos: 250, ack: 70 }, null), -1);
});
