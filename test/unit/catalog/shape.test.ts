import { test } from 'node:test';
import assert from 'node:assert/strict';
import { windowOutput, formatShape, dimAdd, shapeToJson } from '../../../engine/catalog/shape';

test('window output over known sizes follows the Keras formulas', () => {
  assert.equal(windowOutput(28, 3, 1, 'valid'), 26);
  assert.equal(windowOutput(26, 2, 2, 'valid'), 13);
  assert.equal(windowOutput(13, 3, 2, 'same'), 7);
  assert.equal(windowOutput(2, 3, 1, 'valid'), null);
});

test('symbolic sizes become readable expressions', () => {
  assert.equal(windowOutput('h', 3, 1, 'valid'), 'h-2');
  assert.equal(windowOutput(windowOutput('h', 3, 1, 'valid')!, 3, 1, 'valid'), 'h-4');
  assert.equal(windowOutput('h', 2, 2, 'same'), 'ceil(h/2)');
  assert.equal(windowOutput('h', 2, 2, 'valid'), 'floor((h-2)/2)+1');
  assert.equal(dimAdd('h-1', 1), 'h');
});

test('shapes print with the batch axis', () => {
  assert.equal(formatShape([28, 28, 1]), '[batch, 28, 28, 1]');
  assert.deepEqual(shapeToJson(['seq', 64]), ['batch', 'seq', 64]);
});
