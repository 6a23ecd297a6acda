// The parity suite: every case in cases.ts runs on the CPU reference backend and on the
// WebGPU backend with the same inputs, and the outputs must agree (exactly where a case
// says so, else within its atol/rtol; default 1e-5 / 1e-4). The matmul cases run again
// with the other matmul kernel, so both variants are checked on whatever adapter exists.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpAttrs, OpName } from '../../../engine/src/backend';
import { BINARY_FN_NAMES } from '../../../engine/src/primitives/binary_fns';
import { UNARY_FN_NAMES } from '../../../engine/src/primitives/unary_fns';
import { sizeOf } from '../../../engine/src/backend';
import { OPS, outputShape } from '../../../engine/src/primitives/index';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import type { WebGpuOptions } from '../../../engine/src/webgpu/backend';
import type { ParityCase } from './cases';
import { parityCases } from './cases';
import type { HostInput } from './harness';
import { assertClose, gpuOrSkip, runOp } from './harness';

const cpu = new CpuBackend();

/** Max pooling on the CPU, synchronously, to make the y input of pool2d_grad cases. */
function cpuPool(x: HostInput, attrs: OpAttrs['pool2d']): HostInput {
  const shape = outputShape('pool2d', [x.shape], attrs);
  const xb = cpu.alloc(x.data.length * 4, 'float32');
  cpu.upload(xb, x.data);
  const yb = cpu.alloc(sizeOf(shape) * 4, 'float32');
  cpu.run('pool2d', [{ buffer: xb, shape: x.shape, dtype: 'float32' }], { buffer: yb, shape, dtype: 'float32' }, attrs);
  return { shape, dtype: 'float32', data: cpu.readSync(yb) };
}

const CASES = parityCases(cpuPool);

function suite(title: string, cases: ParityCase[], options: WebGpuOptions): void {
  describe(title, () => {
    for (const pc of cases) {
      it(pc.name, async (t) => {
        const gpu = await gpuOrSkip(t, options);
        if (!gpu) return;
        const expected = await runOp(cpu, pc.op, pc.inputs, pc.attrs);
        const actual = await runOp(gpu, pc.op, pc.inputs, pc.attrs);
        assert.deepEqual(actual.shape, expected.shape);
        assert.equal(actual.dtype, expected.dtype);
        assert.equal(actual.data.constructor, expected.data.constructor, `${pc.name}: typed array kind`);
        if (pc.exact) assert.deepEqual(Array.from(actual.data), Array.from(expected.data), `${pc.name}: not bit-identical`);
        else assertClose(actual.data, expected.data, pc.atol ?? 1e-5, pc.rtol ?? 1e-4, pc.name);
      });
    }
  });
}

suite('webgpu parity with the cpu backend (default kernels)', CASES, {});
const matmuls = CASES.filter((pc) => pc.op === 'matmul');
suite('webgpu parity: matmul, blocked kernel', matmuls, { matmul: 'blocked' });
suite('webgpu parity: matmul, tiled kernel', matmuls, { matmul: 'tiled' });

describe('the parity cases themselves', () => {
  it('cover every op, every unary, binary and reduce function, both paddings and strides 1 and 2', () => {
    const ops = new Set(CASES.map((pc) => pc.op));
    for (const op of Object.keys(OPS)) assert.ok(ops.has(op as OpName), `no parity case for ${op}`);
    const fns = (op: string) => new Set(CASES.filter((pc) => pc.op === op).map((pc) => (pc.attrs as { fn: string }).fn));
    assert.equal(fns('unary').size, UNARY_FN_NAMES.length);
    assert.equal(fns('unary_grad').size, UNARY_FN_NAMES.length);
    assert.equal(fns('binary').size, BINARY_FN_NAMES.length);
    assert.equal(fns('reduce').size, 3);
    for (const op of ['conv2d', 'pool2d'] as const) {
      const attrs = CASES.filter((pc) => pc.op === op).map((pc) => pc.attrs as OpAttrs['conv2d']);
      assert.ok(attrs.some((a) => a.padding === 'same') && attrs.some((a) => a.padding === 'valid'), `${op} paddings`);
      assert.ok(attrs.some((a) => a.stride[0] === 1) && attrs.some((a) => a.stride[0] === 2), `${op} strides`);
    }
  });
});
