// The model view's graph builder on real checker output: the transformer example's nodes,
// groups and shape-labelled edges, a residual skip edge, several inputs and outputs,
// repeat groups, and diagnostics placed on the node that caused them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { modelGraphs } from '../../../server/src/ide/model_graph';
import type { ModelGraph } from '../../../server/src/ide/model_graph_types';
import { check } from './helpers';

function graph(text: string, name?: string): ModelGraph {
  const graphs = modelGraphs(check(text), text);
  const g = name ? graphs.find((m) => m.name === name) : graphs[0];
  assert.ok(g, `model ${name ?? '(first)'} has a graph`);
  return g;
}

function edge(g: ModelGraph, from: string, to: string) {
  return g.edges.find((e) => e.from === from && e.to === to);
}

test('the transformer example: every layer a node, the encoder a group, edges carry shapes', () => {
  const text = readFileSync('examples/mnist/mnist_transformer.netspec', 'utf8');
  const g = graph(text, 'MnistTransformer');
  const ids = g.nodes.map((n) => n.id);
  assert.deepEqual(ids, [
    'image',
    'dense',
    'position_embedding',
    'encoder',
    'encoder/multi_head_attention',
    'encoder/add',
    'encoder/layer_norm',
    'encoder/dense',
    'encoder/dense_1',
    'encoder/add_1',
    'encoder/layer_norm_1',
    'global_avg_pool1d',
    'dense_1',
    'output',
  ]);
  const encoder = g.nodes.find((n) => n.id === 'encoder')!;
  assert.equal(encoder.kind, 'block');
  assert.equal(encoder.detail, 'Encoder(d=32, heads=4, ff=64)');
  assert.ok(g.nodes.filter((n) => n.id.startsWith('encoder/')).every((n) => n.parent === 'encoder'));
  // Edges connect layers (never a group) and carry the tensor's shape, batch first.
  assert.ok(g.edges.every((e) => e.shape !== null));
  assert.ok(g.edges.every((e) => g.nodes.find((n) => n.id === e.from)?.kind !== 'block'));
  assert.deepEqual(edge(g, 'image', 'dense')?.shape, ['batch', 28, 28]);
  assert.deepEqual(edge(g, 'encoder/dense', 'encoder/dense_1')?.shape, ['batch', 28, 64]);
  assert.deepEqual(edge(g, 'encoder/layer_norm_1', 'global_avg_pool1d')?.shape, ['batch', 28, 32]);
  // Both residual Adds take the skip edge from before the sublayer.
  assert.ok(edge(g, 'position_embedding', 'encoder/add'));
  assert.ok(edge(g, 'encoder/layer_norm', 'encoder/add_1'));
  // Costs: the group's are the block use's; lines are 0-based lines of the calls.
  assert.equal(encoder.params, g.nodes.filter((n) => n.parent === 'encoder').reduce((a, n) => a + n.params, 0));
  assert.equal(g.params, g.nodes.filter((n) => n.parent === null).reduce((a, n) => a + n.params, 0));
  const dense = g.nodes.find((n) => n.id === 'dense')!;
  assert.equal(text.split('\n')[dense.line].trim(), 'Dense(32)');
  assert.equal(dense.params, 28 * 32 + 32);
  assert.equal(dense.activationBytes, 28 * 32 * 4);
  assert.ok(dense.flops! > 0);
  assert.deepEqual(g.problems, []);
});

test('a residual model has the skip edge from the input to the Add', () => {
  const g = graph('model R {\n  input x: [16]\n  h = x -> Dense(16, activation=relu) -> Dense(16)\n  y = (x, h) -> Add()\n}\n');
  assert.deepEqual(edge(g, 'x', 'add')?.shape, ['batch', 16]);
  assert.deepEqual(edge(g, 'dense_1', 'add')?.shape, ['batch', 16]);
  assert.ok(edge(g, 'add', 'output'));
});

test('several inputs and outputs: input nodes, one output node per output, shared trunk fans out', () => {
  const text = readFileSync('examples/penguins/penguins_multitask.netspec', 'utf8');
  const g = graph(text);
  const outs = g.nodes.filter((n) => n.kind === 'output');
  assert.deepEqual(outs.map((n) => [n.label, n.shape]), [
    ['species', ['batch', 3]],
    ['body_mass_kg', ['batch', 1]],
  ]);
  const trunk = g.edges.filter((e) => e.from === 'dense_1');
  assert.equal(trunk.length, 2, 'the trunk feeds both heads');

  const two = graph('model M {\n  input a: [4]\n  input b: [6]\n  c = (a, b) -> Concat()\n  Dense(2)\n}\n');
  assert.deepEqual(g.nodes.filter((n) => n.kind === 'input').map((n) => n.label), ['x']);
  assert.deepEqual(two.nodes.filter((n) => n.kind === 'input').map((n) => n.label), ['a', 'b']);
  assert.deepEqual(edge(two, 'a', 'concat')?.shape, ['batch', 4]);
  assert.deepEqual(edge(two, 'b', 'concat')?.shape, ['batch', 6]);
  assert.deepEqual(edge(two, 'concat', 'dense')?.shape, ['batch', 10]);
});

test('repeat draws its body once inside a group labelled with the count', () => {
  const g = graph('model P {\n  input x: [8]\n  repeat 3 {\n    Dense(8, activation=relu)\n  }\n  Dense(2)\n}\n');
  const group = g.nodes.find((n) => n.kind === 'repeat')!;
  assert.equal(group.label, 'repeat 3');
  assert.deepEqual(g.nodes.filter((n) => n.parent === group.id).map((n) => n.label), ['Dense']);
  assert.deepEqual(group.shape, ['batch', 8]);
  // Its costs are the body's times the count, as the model's total counts them.
  const body = g.nodes.find((n) => n.parent === group.id)!;
  assert.equal(group.params, 3 * body.params);
  assert.equal(g.params, group.params + g.nodes.find((n) => n.id === 'dense')!.params);
  assert.equal(group.activationBytes, 8 * 4);
});

test('errors sit on the node that caused them, and the graph goes on past them', () => {
  const text = 'model E {\n  input x: [28, 28]\n  Dense(32)\n  Conv2D(8, 3)\n  Dense(10)\n}\n';
  const g = graph(text);
  const conv = g.nodes.find((n) => n.label === 'Conv2D')!;
  assert.equal(conv.problems.length, 1);
  assert.equal(conv.problems[0].severity, 'error');
  assert.match(conv.problems[0].message, /Conv2D/);
  assert.equal(conv.shape, null);
  // Downstream: drawn, unknown shape, no cascade of messages.
  const last = g.nodes.find((n) => n.id === 'dense_1')!;
  assert.equal(last.shape, null);
  assert.deepEqual(last.problems, []);
  assert.deepEqual(edge(g, 'conv2d', 'dense_1')?.shape, null);

  const unknown = graph('model U {\n  input x: [4]\n  Dense(3) -> Frobnicate()\n}\n');
  const bad = unknown.nodes.find((n) => n.label === 'Frobnicate')!;
  assert.equal(bad.problems[0].code, 'unknown-layer');
});
