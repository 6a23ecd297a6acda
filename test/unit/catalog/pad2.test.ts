// The pad2 argument type (ZeroPadding2D's padding, Cropping2D's cropping): a number, a pair
// for both ends of each axis, or the four amounts of ((top, bottom), (left, right)),
// normalised to [top, bottom, left, right]; and the shape rules that read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkArgs, findLayer } from '../../../engine/catalog/index';

const spec = findLayer('ZeroPadding2D')!;

function normalised(v: number | number[]): unknown {
  const r = checkArgs('ZeroPadding2D', spec.args, { padding: v });
  return 'args' in r ? r.args.padding : r.issue.ok ? null : r.issue.issue.message;
}

test('pad2 normalises k, (rows, columns) and the nested form to four amounts', () => {
  assert.deepEqual(normalised(2), [2, 2, 2, 2]);
  assert.deepEqual(normalised([1, 3]), [1, 1, 3, 3]);
  assert.deepEqual(normalised([0, 1, 2, 3]), [0, 1, 2, 3]);
  assert.match(String(normalised([1, 2, 3])), /must be an integer k, a pair \(a, b\) or \(\(top, bottom\), \(left, right\)\)/);
  assert.match(String(normalised(-1)), /must be at least 0/);
});

test('the shape rules apply each amount to its own end', () => {
  const x = [{ name: 'x', shape: [5, 7, 2], dtype: 'float32' as const }];
  const pad = spec.infer(x, { padding: [0, 1, 2, 3] });
  assert.ok(pad.ok && pad.shape.join() === '6,12,2');
  const crop = findLayer('Cropping2D')!.infer(x, { cropping: [0, 1, 2, 3] });
  assert.ok(crop.ok && crop.shape.join() === '4,2,2');
  const gone = findLayer('Cropping2D')!.infer(x, { cropping: [0, 0, 4, 3] });
  assert.ok(!gone.ok && gone.issue.code === 'empty-dimension');
});
