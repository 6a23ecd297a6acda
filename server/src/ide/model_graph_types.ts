// The model view's data: each model of a file as a graph of its source structure (layers,
// inputs and outputs as nodes, block uses and `repeat` bodies as groups that hold their
// nodes, tensors as edges carrying their shapes), with every node's span, costs and
// diagnostics. The `netspec/modelGraph` request answers it as JSON; the webview draws it.
// Types only, so the client and the webview can import them without pulling in the checker.

import type { Span } from '../syntax/ast';

/** spec §7's JSON shape: "batch" first, symbolic sizes as strings; null when unknown. */
export type JsonShape = (number | string)[] | null;

export type GraphNodeKind = 'input' | 'layer' | 'block' | 'repeat' | 'output';

export interface GraphProblem {
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

export interface GraphNode {
  /** Unique within the model and stable across edits that keep the structure ("encoder/dense_1"). */
  id: string;
  kind: GraphNodeKind;
  /** The layer or block name, the tensor name of an input or output, or "repeat N". */
  label: string;
  /** The call as written (whitespace collapsed, shortened), for the node's second line. */
  detail: string;
  /** The block or repeat group this node sits in, or null at the model's top level. */
  parent: string | null;
  /** Where to reveal it: the call, or the input/output/repeat statement. */
  span: Span;
  /** 0-based line of `span.start`. */
  line: number;
  /** The tensor it produces (a group: its result). */
  shape: JsonShape;
  params: number;
  trainableParams: number;
  /** Per sample; null when a size is symbolic or the shape is unknown. */
  flops: number | null;
  /** Bytes of its output per sample (4 per element); null when not known. */
  activationBytes: number | null;
  problems: GraphProblem[];
}

export interface GraphEdge {
  /** Producer and consumer node ids (never a group that holds nodes: the client lifts them to a folded one). */
  from: string;
  to: string;
  shape: JsonShape;
}

export interface ModelGraph {
  name: string;
  span: Span;
  line: number;
  /** In source order, groups before the nodes they hold. */
  nodes: GraphNode[];
  edges: GraphEdge[];
  params: number;
  trainableParams: number;
  flops: number | null;
  /** Diagnostics of the model that belong to no node. */
  problems: GraphProblem[];
  /** True when the graph was cut at MAX_GRAPH_NODES. */
  truncated: boolean;
}

/** The `netspec/modelGraph` answer: the graphs of the document version it was built from. */
export interface ModelGraphAnswer {
  uri: string;
  version: number;
  models: ModelGraph[];
}
