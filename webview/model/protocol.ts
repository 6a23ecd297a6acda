// The messages between the extension and the model view's page (types only). The page asks
// for nothing but `ready`; the extension sends the graphs of the document on open and after
// every edit. The page asks the extension to reveal a source range and to save an export.

import type { ModelGraphAnswer } from '../../server/src/ide/model_graph_types';

export type { GraphEdge, GraphNode, GraphProblem, JsonShape, ModelGraph, ModelGraphAnswer } from '../../server/src/ide/model_graph_types';

export type ToModelView =
  /** The document's graphs; `fileName` is the model file's base name, for the heading. */
  | { type: 'graph'; fileName: string; answer: ModelGraphAnswer }
  /** The document could not be read (the language server is not running, or it failed). */
  | { type: 'error'; message: string };

export type FromModelView =
  | { type: 'ready' }
  /** Show this span of the model file in its editor (UTF-16 offsets). */
  | { type: 'reveal'; start: number; end: number }
  /** Save the drawing: SVG text, or PNG bytes as base64; `name` is a suggested file name. */
  | { type: 'save'; format: 'svg'; name: string; text: string }
  | { type: 'save'; format: 'png'; name: string; base64: string };
