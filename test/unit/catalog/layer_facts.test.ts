// Facts a layer's catalog entry carries for the checker and the engine: an activation layer
// names its function as the `activation` argument spells it (the engine applies that name,
// the checker follows it to the loss), and the layers taking images say so (a flat vector
// input is then offered a reshape into an image).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIVATIONS, allLayers } from '../../../engine/catalog';

describe('layer facts', () => {
  it('every activation layer names an activation the activation argument accepts', () => {
    const named = allLayers().filter((l) => l.category === 'activation').map((l) => [l.name, l.activation]);
    assert.deepEqual(named, [
      ['ReLU', 'relu'], ['Sigmoid', 'sigmoid'], ['Tanh', 'tanh'], ['GELU', 'gelu'], ['SiLU', 'silu'],
      ['ELU', 'elu'], ['LeakyReLU', 'leaky_relu'], ['Softmax', 'softmax'],
    ]);
    for (const [, fn] of named) assert.ok(ACTIVATIONS.includes(fn!), fn);
    assert.deepEqual(allLayers().filter((l) => l.category !== 'activation' && l.activation), []);
  });

  it('the layers that take [height, width, channels] images are marked', () => {
    const images = allLayers().filter((l) => l.imageInput).map((l) => l.name);
    assert.deepEqual(images, ['Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPool2D', 'AvgPool2D', 'GlobalAvgPool2D', 'GlobalMaxPool2D', 'ZeroPadding2D', 'Cropping2D', 'UpSampling2D']);
    for (const l of allLayers()) assert.equal(l.imageInput ?? false, l.inputDoc === '[height, width, channels]', l.name);
  });
});
