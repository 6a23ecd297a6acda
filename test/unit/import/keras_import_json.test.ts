// `importKeras` on Keras's own JSON (no weights): a Keras 3 functional transformer block with
// MultiHeadAttention (TF.js has none, so the fixture is written by hand in the form Keras 3's
// `model.to_json()` and a .keras file's config.json take), and a Keras 2 Sequential CNN with
// a regularizer. The text checks with no diagnostics and Keras's parameter count; what is
// dropped is in the notes and the file's header.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { importKeras } from '../../../engine/src/import/keras';
import type { Json } from '../../../engine/src/import/keras/graph';
import { checkImported } from './keras_import_helpers';

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const tensor = (layer: string, shape: (number | null)[]) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } });
const seq = [null, 10, 16];
const layer = (className: string, name: string, config: Record<string, Json>, args: Json[], kwargs: Record<string, Json> = {}) => ({
  module: 'keras.layers',
  class_name: className,
  config: { name, trainable: true, dtype: policy, ...config },
  registered_name: null,
  name,
  inbound_nodes: [{ args, kwargs }],
});

/** A Keras 3 functional model: one transformer encoder block and a classifier (to_json form). */
const KERAS3_TRANSFORMER = {
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'tiny_transformer',
    trainable: true,
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: seq, dtype: 'float32', sparse: false, name: 'tokens' }, registered_name: null, name: 'tokens', inbound_nodes: [] },
      layer('MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 8, value_dim: 8, dropout: 0.1, use_bias: true, output_shape: null, attention_axes: null, kernel_regularizer: null }, [tensor('tokens', seq), tensor('tokens', seq)], { query_mask: null, value_mask: null, key_mask: null, use_causal_mask: true }),
      layer('Add', 'add', {}, [[tensor('tokens', seq), tensor('mha', seq)]]),
      layer('LayerNormalization', 'ln1', { axis: -1, epsilon: 1e-6, center: true, scale: true, rms_scaling: false }, [tensor('add', seq)]),
      layer('Dense', 'ff1', { units: 32, activation: 'relu', use_bias: true }, [tensor('ln1', seq)]),
      layer('Dense', 'ff2', { units: 16, activation: 'linear', use_bias: true }, [tensor('ff1', [null, 10, 32])]),
      layer('Add', 'add_1', {}, [[tensor('ln1', seq), tensor('ff2', seq)]]),
      layer('LayerNormalization', 'ln2', { axis: -1, epsilon: 1e-6, center: true, scale: true, rms_scaling: false }, [tensor('add_1', seq)]),
      layer('GlobalAveragePooling1D', 'pool', { data_format: 'channels_last', keepdims: false }, [tensor('ln2', seq)]),
      layer('Dense', 'probs', { units: 3, activation: { module: 'keras.activations', class_name: 'function', config: 'softmax', registered_name: 'function' }, use_bias: true }, [tensor('pool', [null, 16])]),
    ],
    // Keras 3 writes a model built on one tensor (not a list) with flat references.
    input_layers: [['tokens', 0, 0]],
    output_layers: ['probs', 0, 0],
  },
  registered_name: 'Functional',
};

/** A Keras 2 (tf.keras 2.15) Sequential model's to_json(), with an L2 regularizer. */
const KERAS2_CNN = {
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_input' } },
      { class_name: 'Conv2D', config: { name: 'conv2d', trainable: true, dtype: 'float32', filters: 32, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'relu', use_bias: true, kernel_regularizer: { class_name: 'L2', config: { l2: 0.001 } }, bias_regularizer: null } },
      { class_name: 'MaxPooling2D', config: { name: 'max_pooling2d', trainable: true, dtype: 'float32', pool_size: [2, 2], padding: 'valid', strides: [2, 2], data_format: 'channels_last' } },
      { class_name: 'Flatten', config: { name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last' } },
      { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 10, activation: 'softmax', use_bias: true, kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } } } },
    ],
  },
  keras_version: '2.15.0',
  backend: 'tensorflow',
};

/** A Keras 2 functional model: integer ids through a GRU (reset_after=True), cross-attention to a second input (value as a call keyword). */
const KERAS2_CROSS = {
  class_name: 'Functional',
  config: {
    name: 'model',
    trainable: true,
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 12], dtype: 'float32', sparse: false, ragged: false, name: 'ids' }, name: 'ids', inbound_nodes: [] },
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 5, 8], dtype: 'float32', sparse: false, ragged: false, name: 'memory' }, name: 'memory', inbound_nodes: [] },
      { class_name: 'Embedding', config: { name: 'embed', input_dim: 100, output_dim: 8, mask_zero: false, input_length: null }, name: 'embed', inbound_nodes: [[['ids', 0, 0, {}]]] },
      {
        class_name: 'GRU',
        config: { name: 'gru', units: 8, return_sequences: true, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, reset_after: true, dropout: 0.2, recurrent_dropout: 0.0, return_state: false, go_backwards: false, stateful: false, unroll: false, time_major: false },
        name: 'gru',
        inbound_nodes: [[['embed', 0, 0, {}]]],
      },
      {
        class_name: 'MultiHeadAttention',
        config: { name: 'cross', num_heads: 2, key_dim: 4, value_dim: 4, dropout: 0.0, use_bias: true, output_shape: null, attention_axes: null },
        name: 'cross',
        inbound_nodes: [[['gru', 0, 0, { value: ['memory', 0, 0] }]]],
      },
      { class_name: 'GlobalMaxPooling1D', config: { name: 'pool', data_format: 'channels_last', keepdims: false }, name: 'pool', inbound_nodes: [[['cross', 0, 0, {}]]] },
      { class_name: 'Dense', config: { name: 'out', units: 1, activation: 'sigmoid' }, name: 'out', inbound_nodes: [[['pool', 0, 0, {}]]] },
    ],
    input_layers: [['ids', 0, 0], ['memory', 0, 0]],
    output_layers: [['out', 0, 0]],
  },
  keras_version: '2.15.0',
  backend: 'tensorflow',
};

describe('keras import: Keras JSON', () => {
  test('Keras 3 functional transformer block with MultiHeadAttention (causal), residuals and LayerNormalization', () => {
    const result = importKeras({ json: KERAS3_TRANSFORMER as unknown as Json, fileName: 'config.json' });
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    const { text, weights, notes } = result.value;
    assert.equal(weights, null);
    const ir = checkImported(text);
    // Keras: MHA 4·(16·16 + 16) = 1088, two LayerNorms 2·32, Dense 16·32+32 and 32·16+16, classifier 16·3+3.
    assert.equal(ir.params, 1088 + 64 + 544 + 528 + 51);
    assert.match(text, /mha = tokens -> MultiHeadAttention\(2, key_dim=8, causal=true\)/);
    assert.match(text, /ln1 = \(tokens, mha\) -> Add\(\) ->\n\s+LayerNorm\(eps=0\.000001\)|ln1 = \(tokens, mha\) -> Add\(\) ->\n\s+LayerNorm\(eps=1e-6\)/);
    assert.deepEqual(notes, ["MultiHeadAttention mha: dropout=0.1 dropped (it acts in training only; Netspec's recurrent and attention layers have none)"]);
    assert.match(text, /^# Dropped: MultiHeadAttention mha: dropout=0\.1 dropped/m);
  });

  test('Keras 2 Sequential CNN: parameters as Keras counts them, the regularizer named as dropped', () => {
    const result = importKeras({ json: KERAS2_CNN as unknown as Json, fileName: 'cnn.json' });
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    const ir = checkImported(result.value.text);
    assert.equal(ir.params, 320 + 13 * 13 * 32 * 10 + 10);
    assert.match(result.value.text, /model Sequential \{\n {2}input conv2d_input: \[28, 28, 1\]\n {2}Conv2D\(32, 3, activation=relu\)\n {2}MaxPool2D\(\)\n {2}Flatten\(\)\n {2}Dense\(10, activation=softmax\)\n\}/);
    assert.deepEqual(result.value.notes, [
      "Conv2D conv2d: kernel_regularizer dropped (a train block's regularizer applies to every kernel)",
      'Dense dense: kernel_constraint dropped (Netspec has no weight constraints)',
    ]);
  });

  test('Keras 2 functional: GRU with reset_after=True, cross-attention from its value keyword, ids declared int', () => {
    const result = importKeras({ json: KERAS2_CROSS as unknown as Json, fileName: 'model.json' });
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    const { text, notes } = result.value;
    const ir = checkImported(text);
    // Embedding 100·8, GRU 3·(8·8 + 8·8 + 2·8), MHA 4·(8·2·4 + 8), Dense 8 + 1.
    assert.equal(ir.params, 800 + 432 + 288 + 9);
    assert.equal(
      text.split('\n').filter((l) => !l.startsWith('#')).join('\n'),
      [
        'model Model {',
        '  input ids: [12] int',
        '  input memory: [5, 8]',
        '  gru = ids -> Embedding(100, 8) ->',
        '        GRU(8, return_sequences=true)',
        '  out = (gru, memory) -> MultiHeadAttention(2, key_dim=4) ->',
        '        GlobalMaxPool1D() ->',
        '        Dense(1, activation=sigmoid)',
        '}',
        '',
      ].join('\n'),
    );
    assert.match(notes.join('\n'), /GRU gru: dropout=0\.2 dropped/);
    // One output, made last: Netspec's default output name, as a user writes it.
    assert.deepEqual(result.value.outputs, ['output']);
    assert.deepEqual(ir.outputs.map((o) => o.name), ['output']);
  });

  test('a Keras setting Netspec computes differently is refused with the layer named', () => {
    const json = structuredClone(KERAS2_CNN);
    Object.assign(json.config.layers[1].config, { dilation_rate: [2, 2], data_format: 'channels_first' });
    const result = importKeras({ json: json as unknown as Json, fileName: 'cnn.json' });
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.deepEqual(result.problems, [
        { layer: 'conv2d', className: 'Conv2D', message: 'data_format="channels_first" is not supported (Netspec computes channels_last); dilation_rate=[2,2] is not supported (Netspec computes 1)' },
      ]);
    }
  });

  test('Keras 3 Bidirectional: the backward layer it writes is the forward one going backwards; another is refused', () => {
    const lstm = (name: string, goBackwards: boolean) => ({
      module: 'keras.layers', class_name: 'LSTM', registered_name: null,
      config: { name, trainable: true, dtype: policy, units: 6, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, return_sequences: true, return_state: false, go_backwards: goBackwards, stateful: false, unroll: false, dropout: 0, recurrent_dropout: 0 },
    });
    const model = (backward: Json) => ({
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'tagger',
        trainable: true,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 9, 4], dtype: 'float32', sparse: false, name: 'x' }, registered_name: null, name: 'x', inbound_nodes: [] },
          layer('Bidirectional', 'bidirectional', { merge_mode: 'sum', layer: lstm('forward_lstm', false), backward_layer: backward }, [tensor('x', [null, 9, 4])]),
          layer('Dense', 'tag', { units: 3, activation: 'softmax', use_bias: true }, [tensor('bidirectional', [null, 9, 6])]),
        ],
        input_layers: [['x', 0, 0]],
        output_layers: ['tag', 0, 0],
      },
      registered_name: 'Functional',
    });
    const result = importKeras({ json: model(lstm('backward_lstm', true)) as unknown as Json, fileName: 'config.json' });
    assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    const ir = checkImported(result.value.text);
    // Two LSTMs of 4·(4·6 + 6·6 + 6), then 6·3 + 3.
    assert.equal(ir.params, 2 * 264 + 21);
    assert.match(result.value.text, /Bidirectional\(LSTM\(6, return_sequences=true\), merge=sum\)/);
    const other = lstm('backward_lstm', true);
    other.config.units = 5;
    const refused = importKeras({ json: model(other) as unknown as Json, fileName: 'config.json' });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.match(refused.problems[0].message, /a backward_layer other than a copy of the wrapped layer going backwards is not supported/);
  });

  test('a file that is not a Keras model is refused plainly', () => {
    const result = importKeras({ json: { hello: 1 }, fileName: 'x.json' });
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.problems[0].message, /not a Keras model/);
  });
});
