// Rendering text that came off the wire: control characters never reach a terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../src/report/render.js';

test('regression: escape sequences from a Host header are shown, not sent to the terminal', () => {
  assert.equal(printable('evil\x1b[8m.example'), 'evil\\x1b[8m.example');
  assert.equal(printable('a\u0085b\x7f'), 'a\\x85b\\x7f');
  assert.equal(printable('/menu/café'), '/menu/café');
  assert.doesNotMatch(printable('x\ny\rz\t'), /[\n\r\t]/);
});
