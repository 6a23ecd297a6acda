// The `vocab` metadata that `netspec predict` reads for a text source: absent for other
// sources, required for a text source, and a list of distinct words that fits vocab=.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVocabMetadata } from '../../../cli/src/weights_labels';
import type { TrainDataSource } from '../../../engine/catalog/train_ir';

const text: TrainDataSource = { kind: 'csv', path: 'd.csv', target: 'label', text: { column: 'message', vocab: 5, length: 10 } };

test('a source without text= needs no vocabulary, whatever the metadata holds', () => {
  assert.deepEqual(parseVocabMetadata(undefined, { kind: 'csv', path: 'd.csv', target: 'y' }), { ok: true, value: undefined });
  assert.deepEqual(parseVocabMetadata('["a"]', null), { ok: true, value: undefined });
});

test('a text source reads the words of ids 2, 3, ...', () => {
  assert.deepEqual(parseVocabMetadata('["win","money","now"]', text), { ok: true, value: ['win', 'money', 'now'] });
});

test('a missing, malformed or oversized vocabulary is a fault that says what is wrong', () => {
  const fault = (meta: string | undefined) => {
    const r = parseVocabMetadata(meta, text);
    assert.ok(!r.ok);
    return r.message;
  };
  assert.match(fault(undefined), /the "vocab" metadata is missing, but the train block reads text="message"/);
  assert.match(fault('[win'), /is not JSON/);
  assert.match(fault('{"win": 2}'), /should be a list of word strings/);
  assert.match(fault('["a", 3]'), /should be a list of word strings/);
  assert.match(fault('["a","b","a"]'), /lists a word twice/);
  assert.match(fault('["a","b","c","d"]'), /lists 4 words, but vocab=5 has room for 3 \(ids 2 to 4\)/);
});
