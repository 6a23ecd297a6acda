// The engine's operation vocabulary in one import.
export * from './math';
export * from './nn';
export * from './conv_transpose';
export * from './depthwise';
