// Metrics against values worked out by hand: accuracy, macro precision / recall / f1 with a
// class that is never predicted, binary metrics over the positive class, mae and mse, the
// accumulation over batches (not a mean of batch values), and Keras-style names.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyOf, confusionMatrix, MetricAccumulator, precisionRecallF1 } from '../../../engine/src/train/metrics';

const close = (a: number, e: number, what: string) => assert.ok(Math.abs(a - e) < 1e-9, `${what}: ${a} vs ${e}`);

/** Logit rows whose argmax is each given class. */
function logits(classes: number[], c: number): Float32Array {
  const out = new Float32Array(classes.length * c);
  classes.forEach((k, i) => (out[i * c + k] = 3));
  return out;
}

describe('metrics', () => {
  // Targets 0 0 1 1 2 2, predictions 0 1 1 1 0 0: class 2 is never predicted.
  const target = [0, 0, 1, 1, 2, 2];
  const pred = [0, 1, 1, 1, 0, 0];

  it('counts a confusion matrix by [target][prediction]', () => {
    assert.deepEqual(confusionMatrix(pred, target, 3), [[1, 1, 0], [0, 2, 0], [2, 0, 0]]);
    assert.deepEqual(confusionMatrix([0, 5, 1.5], [0, 0, 1], 2), [[1, 0], [0, 0]], 'out-of-range and fractional pairs are skipped');
  });

  it('computes accuracy and macro precision, recall and f1 as worked out by hand', () => {
    const m = confusionMatrix(pred, target, 3);
    close(accuracyOf(m), 3 / 6, 'accuracy');
    const r = precisionRecallF1(m);
    // precision: 1/3, 2/3, 0 (0/0); recall: 1/2, 1, 0; f1: 0.4, 0.8, 0.
    close(r.precision, (1 / 3 + 2 / 3 + 0) / 3, 'precision');
    close(r.recall, (0.5 + 1 + 0) / 3, 'recall');
    close(r.f1, (0.4 + 0.8 + 0) / 3, 'f1');
  });

  it('leaves out classes absent from both targets and predictions (as scikit-learn does)', () => {
    const m = confusionMatrix([0, 1], [0, 1], 4);
    assert.deepEqual(precisionRecallF1(m), { precision: 1, recall: 1, f1: 1 });
  });

  it('accumulates over batches instead of averaging batch values', () => {
    const acc = new MetricAccumulator([{ name: 'y', kind: 'classes', classes: 3, probabilities: false }], ['accuracy', 'precision', 'recall', 'f1']);
    acc.add('y', logits(pred.slice(0, 4), 3), target.slice(0, 4)); // batch accuracy 0.75
    acc.add('y', logits(pred.slice(4), 3), target.slice(4)); // batch accuracy 0
    const r = acc.results();
    close(r.accuracy, 0.5, 'accuracy (the batch mean would be 0.375)');
    close(r.f1, 0.4, 'f1');
    close(r.precision, 1 / 3, 'precision');
    close(r.recall, 0.5, 'recall');
    assert.deepEqual(acc.confusion('y'), [[1, 1, 0], [0, 2, 0], [2, 0, 0]]);
    acc.reset();
    assert.deepEqual(acc.confusion('y'), [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it('scores binary outputs over the positive class, with mae and mse on probabilities', () => {
    const acc = new MetricAccumulator([{ name: 'y', kind: 'binary', classes: 2, probabilities: true }], ['accuracy', 'precision', 'recall', 'f1', 'mae', 'mse']);
    // p > 0.5 gives 1 0 1 0 1 against 1 0 0 1 1: TP 2, FP 1, FN 1, TN 1.
    acc.add('y', Float32Array.from([0.9, 0.2, 0.6, 0.4, 0.7]), [1, 0, 0, 1, 1]);
    const r = acc.results('val_');
    close(r.val_accuracy, 0.6, 'accuracy');
    close(r.val_precision, 2 / 3, 'precision');
    close(r.val_recall, 2 / 3, 'recall');
    close(r.val_f1, 2 / 3, 'f1');
    assert.ok(Math.abs(r.val_mae - 1.8 / 5) < 1e-6, `mae ${r.val_mae}`);
    assert.ok(Math.abs(r.val_mse - 0.86 / 5) < 1e-6, `mse ${r.val_mse}`);
  });

  it('compares class probabilities with the one-hot target for mae and mse', () => {
    const acc = new MetricAccumulator([{ name: 'y', kind: 'classes', classes: 3, probabilities: true }], ['mae', 'mse']);
    acc.add('y', Float32Array.from([0.7, 0.2, 0.1]), [0]);
    const r = acc.results();
    assert.ok(Math.abs(r.mae - 0.6 / 3) < 1e-6, `mae ${r.mae}`);
    assert.ok(Math.abs(r.mse - 0.14 / 3) < 1e-6, `mse ${r.mse}`);
    // Logits are turned into probabilities first: equal logits are a uniform distribution.
    const fromLogits = new MetricAccumulator([{ name: 'y', kind: 'classes', classes: 2, probabilities: false }], ['mae']);
    fromLogits.add('y', Float32Array.from([5, 5]), [1]);
    close(fromLogits.results().mae, 0.5, 'mae from logits');
  });

  it('prefixes metric names with the output name for several outputs', () => {
    const acc = new MetricAccumulator(
      [
        { name: 'kind', kind: 'classes', classes: 2, probabilities: false },
        { name: 'size', kind: 'regression', classes: 2, probabilities: false },
      ],
      ['accuracy', 'mae'],
    );
    acc.add('kind', logits([1, 0], 2), [1, 1]);
    acc.add('size', Float32Array.from([1, 3]), [2, 2]);
    const r = acc.results('val_');
    // A list applies accuracy to the class output only, and mae to both (Keras semantics).
    assert.deepEqual(Object.keys(r).sort(), ['val_kind_accuracy', 'val_kind_mae', 'val_size_mae']);
    close(r.val_kind_accuracy, 0.5, 'kind accuracy');
    close(r.val_size_mae, 1, 'size mae');
  });

  it('a dict names each output\'s metrics, computed as asked', () => {
    const acc = new MetricAccumulator(
      [
        { name: 'kind', kind: 'classes', classes: 2, probabilities: false },
        { name: 'size', kind: 'regression', classes: 2, probabilities: false },
      ],
      { kind: ['f1'], size: ['mse', 'accuracy'] },
    );
    acc.add('kind', logits([1, 0], 2), [1, 0]);
    acc.add('size', Float32Array.from([1, 3]), [2, 2]);
    const r = acc.results('');
    assert.deepEqual(Object.keys(r).sort(), ['kind_f1', 'size_accuracy', 'size_mse']);
    close(r.kind_f1, 1, 'kind f1');
    close(r.size_mse, 1, 'size mse');
    // Named explicitly, accuracy on a value output thresholds both sides at 0.5: 1 vs 2 and 3 vs 2 are all "1".
    close(r.size_accuracy, 1, 'size accuracy');
  });

  it('a binary output counts as a class output for a list', () => {
    const acc = new MetricAccumulator([{ name: 'y', kind: 'binary', classes: 2, probabilities: true }, { name: 'z', kind: 'regression', classes: 2, probabilities: false }], ['precision']);
    acc.add('y', Float32Array.from([0.9, 0.2]), [1, 1]);
    acc.add('z', Float32Array.from([0.9]), [1]);
    const r = acc.results();
    assert.deepEqual(Object.keys(r), ['y_precision']);
    close(r.y_precision, 1, 'y precision');
  });
});
