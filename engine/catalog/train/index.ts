// The train catalog's front door: every setting, loss, metric, optimizer, regularizer,
// schedule and data source of spec §5. The checker, lowering, hover, completion, semantic
// tokens, the memory estimate and the engine all read train vocabulary from here, so an
// entry exists exactly when it is listed in one of these files.

export * from './define';
export * from './losses';
export * from './metrics';
export * from './optimizers';
export * from './regularizers';
export * from './resolve';
export * from './schedules';
export * from './settings';
export * from './sources';
