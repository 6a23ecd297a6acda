// Importing Keras's Average, Maximum, Minimum, Rescaling, Activation and Subtract. A model
// TF.js builds and saves (it has all but Subtract) imports to text that checks, counts
// TF.js's parameters and predicts what TF.js predicts; Subtract and a per-channel Rescaling
// come from Keras 3 JSON written by hand. Keras's Activation layer keeps importing as
// Netspec's own activation layers (ReLU(), Softmax(), ...), as it did before Activation(name).

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { importKeras } from '../../../engine/src/import/keras';
import type { Json } from '../../../engine/src/import/keras/graph';
import { setBackend } from '../../../engine/src/tensor';
import { checkImported, importMatches } from './keras_import_helpers';

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const shape = [null, 4];
const tensor = (layer: string) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } });
const input = (name: string) => ({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: shape, dtype: 'float32', sparse: false, name }, registered_name: null, name, inbound_nodes: [] });
const layer = (className: string, name: string, config: Record<string, Json>, args: Json[]) => ({
  module: 'keras.layers',
  class_name: className,
  config: { name, trainable: true, dtype: policy, ...config },
  registered_name: null,
  name,
  inbound_nodes: [{ args, kwargs: {} }],
});

/** A Keras 3 functional model (to_json form): a - b, rescaled. */
function keras3(rescaling: Record<string, Json>) {
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: 'difference',
      trainable: true,
      layers: [
        input('a'),
        input('b'),
        layer('Subtract', 'diff', {}, [[tensor('a'), tensor('b')]]),
        layer('Rescaling', 'scaled', rescaling, [tensor('diff')]),
      ],
      input_layers: [['a', 0, 0], ['b', 0, 0]],
      output_layers: [['scaled', 0, 0]],
    },
    registered_name: 'Functional',
  };
}

describe('keras import: element-wise merges, Rescaling and Activation', () => {
  before(async () => {
    setBackend(new CpuBackend());
    await tf.setBackend('cpu');
  });

  test('TF.js Average, Maximum, Minimum, Rescaling and Activation predict what TF.js predicts', async () => {
    const a = tf.input({ shape: [3, 4], name: 'a' });
    const b = tf.input({ shape: [3, 4], name: 'b' });
    const scaled = tf.layers.rescaling({ scale: 0.5, offset: -0.25, name: 'scaled' }).apply(a) as tf.SymbolicTensor;
    const hi = tf.layers.maximum({ name: 'hi' }).apply([scaled, b]) as tf.SymbolicTensor;
    const lo = tf.layers.minimum({ name: 'lo' }).apply([scaled, b, hi]) as tf.SymbolicTensor;
    const mean = tf.layers.average({ name: 'mean' }).apply([hi, lo, b]) as tf.SymbolicTensor;
    const probs = tf.layers.activation({ activation: 'softmax', name: 'probs' }).apply(mean) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ units: 2, name: 'dense' }).apply(probs) as tf.SymbolicTensor;
    const r = await importMatches(tf.model({ name: 'pointwise', inputs: [a, b], outputs: dense }), 13);
    const text = r.imported.text;
    assert.match(text, /scaled = a -> Rescaling\(0\.5, offset=-0\.25\)/);
    assert.match(text, /hi = \(scaled, b\) -> Maximum\(\)/);
    assert.match(text, /lo = \(scaled, b, hi\) -> Minimum\(\)/);
    assert.match(text, /\(hi, lo, b\) -> Average\(\)/);
    assert.match(text, /Softmax\(\)/);
    assert.equal(r.ir.params, 4 * 2 + 2);
  });

  test('Keras 3 Subtract and Rescaling (offset at its default left out)', () => {
    const result = importKeras({ json: keras3({ scale: 0.00392156862745098, offset: 0.0 }) as unknown as Json, fileName: 'config.json' });
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    assert.match(result.value.text, /\(a, b\) -> Subtract\(\) ->\s+Rescaling\(0\.00392156862745098\)/);
    const ir = checkImported(result.value.text);
    assert.deepEqual(ir.nodes.map((n) => n.op), ['Subtract', 'Rescaling']);
  });

  test('a per-channel Rescaling is refused by name, with the reason', () => {
    const result = importKeras({ json: keras3({ scale: [0.5, 0.25, 1, 2], offset: 0 }) as unknown as Json, fileName: 'config.json' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.problems.length, 1);
    assert.match(JSON.stringify(result.problems[0]), /scaled/);
    assert.match(JSON.stringify(result.problems[0]), /scale=\[0\.5,0\.25,1,2\] is not supported \(Netspec's Rescaling takes one number\)/);
  });
});
