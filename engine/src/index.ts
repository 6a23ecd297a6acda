// The engine's public surface in one import: tensors and memory, the backend contract and
// the CPU backend, ops, autograd, losses, optimizers, initialisers, layers and the model.
// Backends other than the CPU (WebGPU) are imported from their own folders so that the
// CPU-only bundles never load GPU code.

export type { Backend, DeviceBuffer, DeviceTensor, DType, OpAttrs, OpName, TypedArray } from './backend';
export { GRAD_FROM_OUTPUT } from './primitives/unary_fns';
export { OPS, outputShape, outputDType } from './primitives/index';
export { broadcastShapes, windowGeometry } from './primitives/geometry';
export { CpuBackend } from './cpu/backend';
export { Tensor, tensor, empty, tidy, keep, setBackend, getBackend, memory } from './tensor';
import * as ops from './ops';
export { ops };
export { valueAndGrads } from './autograd/backward';
export type { ValueAndGrads } from './autograd/backward';
export { EPSILON, binaryCrossEntropy, crossEntropy, loss, meanAbsoluteError, meanSquaredError, regularization } from './losses';
export type { LossName, Regularizer } from './losses';
export { Optimizer } from './optimizers';
export type { OptimizerConfig } from './optimizers';
export { initWeight, initialValues, glorotUniform, orthogonal, fans } from './init';
export { Rng, hash3, uniform01, mix32 } from './rng';
export { LAYER_FORWARDS, findForward } from './layers';
export type { LayerContext, LayerForward } from './layers';
export { Model } from './model';
export type { BuildResult, ForwardOptions, ForwardResult, ModelError, ModelWeight } from './model';
