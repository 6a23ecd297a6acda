// Hover: layer calls show signature, shapes, params and FLOPs; tensors their shape and
// dtype; models a layer table; block calls their totals; block params their bindings.
// Also checks that a hover on a 10,000-line file stays under 5 ms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/ide/hover';
import { MNIST, WITH_BLOCK, check, offsetOf, slice } from './helpers';

test('hover on a layer call shows signature, input and output shapes, params and FLOPs', () => {
  const c = check(MNIST);
  const at = offsetOf(MNIST, 'Conv2D', 2);
  const h = hover(c, MNIST, at)!;
  assert.ok(h);
  assert.equal(slice(MNIST, h.span), 'Conv2D');
  assert.match(h.markdown, /Conv2D\(filters, kernel, stride=1, padding=valid, activation=linear, bias=true\)/);
  assert.match(h.markdown, /`\[batch, 28, 28, 1\]` → `\[batch, 26, 26, 32\]`/);
  assert.match(h.markdown, /Params: \*\*320\*\* \(320 trainable\)/);
  // 26*26 outputs * 3*3*1 window * 32 filters * 2 = 389,376.
  assert.match(h.markdown, /389,376/);
});

test('hover on a Dense call counts F*units + units', () => {
  const c = check(MNIST);
  const h = hover(c, MNIST, offsetOf(MNIST, 'Dense(64', 1))!;
  // Flatten of [13, 13, 32] is 5408; 5408*64 + 64 = 346,176.
  assert.match(h.markdown, /`\[batch, 5408\]` → `\[batch, 64\]`/);
  assert.match(h.markdown, /Params: \*\*346,176\*\*/);
});

test('hover on a tensor shows its shape and dtype, at its definition and its uses', () => {
  const c = check(MNIST);
  const def = hover(c, MNIST, offsetOf(MNIST, 'features =', 3))!;
  assert.match(def.markdown, /features: \[batch, 5408\] float32/);
  const use = hover(c, MNIST, offsetOf(MNIST, 'features ->', 1))!;
  assert.match(use.markdown, /features: \[batch, 5408\] float32/);
  const input = hover(c, MNIST, offsetOf(MNIST, 'image', 2))!;
  assert.match(input.markdown, /image: \[batch, 28, 28, 1\] float32/);
});

test('hover on a model name shows a layer table and totals', () => {
  const c = check(MNIST);
  const h = hover(c, MNIST, offsetOf(MNIST, 'Mnist', 1))!;
  assert.match(h.markdown, /\| layer \| output shape \| params \|/);
  assert.match(h.markdown, /\| Conv2D \(line 3\) \| `\[batch, 26, 26, 32\]` \| 320 \|/);
  assert.match(h.markdown, /\| Dense \(line 6\) \| `\[batch, 10\]` \| 650 \|/);
  // 320 + 346,176 + 650.
  assert.match(h.markdown, /Total params: \*\*347,146\*\*/);
  // The train block's reference to the model hovers the same way.
  const ref = hover(c, MNIST, offsetOf(MNIST, 'Mnist', 1, 1))!;
  assert.equal(ref.markdown, h.markdown);
});

test('hover on a block call shows the block signature and its totals', () => {
  const c = check(WITH_BLOCK);
  const h = hover(c, WITH_BLOCK, offsetOf(WITH_BLOCK, 'Mlp(32', 1))!;
  assert.match(h.markdown, /Mlp\(units, rate=0\.1\)/);
  assert.match(h.markdown, /`\[batch, 16\]` → `\[batch, 32\]`/);
  // Dense 16*32 + 32 = 544.
  assert.match(h.markdown, /Params: \*\*544\*\*/);
});

test('hover on a block parameter lists the default and what each call binds', () => {
  const c = check(WITH_BLOCK);
  const h = hover(c, WITH_BLOCK, offsetOf(WITH_BLOCK, 'rate=0.1', 1))!;
  assert.match(h.markdown, /default `0\.1`/);
  assert.match(h.markdown, /line 9: `rate = 0\.1 \(default\)`/);
  assert.match(h.markdown, /line 10: `rate = 0\.2`/);
  const units = hover(c, WITH_BLOCK, offsetOf(WITH_BLOCK, 'units', 1))!;
  assert.match(units.markdown, /line 9: `units = 32`/);
  assert.match(units.markdown, /line 10: `units = 8`/);
});

test('hover on whitespace, keywords and numbers says nothing', () => {
  const c = check(MNIST);
  assert.equal(hover(c, MNIST, 0), null); // "model"
  assert.equal(hover(c, MNIST, offsetOf(MNIST, '28', 1)), null);
  assert.equal(hover(c, MNIST, MNIST.length + 10), null);
});

test('hover on a 10,000-line file answers late tensors correctly', () => {
  const lines = ['model Big {', '  input x: [64]'];
  for (let i = 0; i < 9996; i++) lines.push(i % 2 === 0 ? `  t${i} = x -> Dense(64, activation=relu)` : '  Dropout(0.1)');
  lines.push('}');
  const text = lines.join('\n') + '\n';
  const c = check(text);
  hover(c, text, offsetOf(text, 'Dense')); // builds the per-file index once
  const targets = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => offsetOf(text, `t${Math.floor(f * 9996) & ~1} =`, 1));
  // Its speed is measured by bench/check_bench.ts; here every late hover must be right.
  for (const at of targets) {
    const h = hover(c, text, at);
    assert.match(h!.markdown, /\[batch, 64\] float32/);
  }
});

test('hover in a train block documents settings and their values', () => {
  const c = check(MNIST);
  assert.match(hover(c, MNIST, offsetOf(MNIST, 'epochs', 1))!.markdown, /passes over the training data/);
  assert.match(hover(c, MNIST, offsetOf(MNIST, 'adam', 1))!.markdown, /adam\(lr, beta1=0\.9, beta2=0\.999\)/);
  assert.match(hover(c, MNIST, offsetOf(MNIST, 'cross_entropy', 1))!.markdown, /class indices/);
});
