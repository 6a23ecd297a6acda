// The ONNX cases of Subtract, Average, Maximum, Minimum, Rescaling and Activation, run by
// onnx_layers.test.ts against the engine.

const ab = 'input a: [2, 3]\n  input b: [2, 3]';
const abc = 'input a: [4]\n  input b: [4]\n  input c: [4]';

export const POINTWISE_CASES = [
  { inputs: ab, text: 'output y = (a, b) -> Subtract()' },
  { inputs: abc, text: 'output y = (a, b, c) -> Average()' },
  { inputs: abc, text: 'output y = (a, b, c) -> Maximum()' },
  { inputs: ab, text: 'output y = (a, b) -> Minimum()' },
  { inputs: 'input x: [3, 2]', text: 'Rescaling(0.5, offset=-1)' },
  { inputs: 'input x: [4]', text: 'Rescaling(-2)' },
  { inputs: 'input x: [2, 5]', text: 'Activation(softmax)' },
  { inputs: 'input x: [5]', text: 'Activation(leaky_relu)' },
  { inputs: 'input x: [5]', text: 'Activation(gelu)' },
  { inputs: 'input x: [5]', text: 'Activation(linear)' },
];
