// The lowered train settings live in the catalog (engine/catalog/train_ir.ts) because the
// engine consumes them and must not import the server; this keeps the old import path.
export * from '../../../engine/catalog/train_ir';
