// The importer names weights "node/kernel" by the node ids the checker will give its calls,
// with its own copy of the checker's rule (the engine may not import the server): both
// spellings agree on every catalog layer. (The other import tests load the weights into the
// checked model by those names, which fails on any id that differs.)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allLayers } from '../../../engine/catalog';
import { snakeName as importSnake } from '../../../engine/src/import/keras/emit';
import { snakeName as checkerSnake } from '../../../server/src/sema/state';

test('the importer spells every catalog layer\'s node id as the checker does', () => {
  for (const layer of allLayers()) assert.equal(importSnake(layer.name), checkerSnake(layer.name), layer.name);
});
