// Lays out one model's graph with dagre: the nodes still visible under the collapsed groups
// become dagre nodes, expanded groups become clusters (dagre's compound graphs keep their
// members together), and every edge carries its shape as a label that dagre places without
// overlap. An edge into or out of a collapsed group is lifted to the group; edges that then
// join a node to itself vanish and parallel ones merge. No DOM here: text widths come from
// the `measure` the page passes, so the layout can be checked on its own.

import * as dagre from '@dagrejs/dagre';
import type { GraphNode, JsonShape, ModelGraph } from './protocol';

export interface Box {
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidNode {
  node: GraphNode;
  box: Box;
  /** A block or repeat group drawn as one node (collapsed, or with nothing inside). */
  group: boolean;
  collapsed: boolean;
}

export interface LaidCluster {
  node: GraphNode;
  box: Box;
  /** Where its header goes: a row of its own at the top, reserved in the layout. */
  header: Box;
  headerText: string;
}

export interface LaidEdge {
  from: string;
  to: string;
  label: string;
  points: { x: number; y: number }[];
  labelBox: Box;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LaidNode[];
  clusters: LaidCluster[];
  edges: LaidEdge[];
}

/** Width in pixels of `text` in the font of its role. */
export type Measure = (text: string, role: 'title' | 'detail' | 'label') => number;

export const NODE_HEIGHT = 40;
export const LABEL_HEIGHT = 16;
/** Height of an expanded group's header row. */
export const CLUSTER_HEADER = 20;
const NODE_PADDING = 20;
const MIN_NODE_WIDTH = 72;
const MARGIN = 16;

/** "[batch, 28, 32]" as everywhere in Netspec; "?" when the checker could not tell. */
export function shapeLabel(shape: JsonShape): string {
  return shape === null ? '?' : `[${shape.join(', ')}]`;
}

export function isGroup(n: GraphNode): boolean {
  return n.kind === 'block' || n.kind === 'repeat';
}

/** The first line of a node: the layer or group name; inputs and outputs say which they are. */
export function nodeTitle(n: GraphNode, collapsed: boolean): string {
  if (n.kind === 'input') return `input ${n.label}`;
  if (n.kind === 'output') return n.label === 'output' ? 'output' : `output ${n.label}`;
  if (isGroup(n)) return `${collapsed ? '▸' : '▾'} ${n.label}`;
  return n.label;
}

/** An expanded group's header: its call as written ("▾ Encoder(d=32)") or "▾ repeat 3". */
export function clusterHeader(n: GraphNode): string {
  return `▾ ${n.detail || n.label}`;
}

/** The second line: the call as written, or the shape of an input or output. */
export function nodeDetail(n: GraphNode): string {
  return n.kind === 'input' || n.kind === 'output' ? shapeLabel(n.shape) : n.detail;
}

/**
 * For each node, the node that stands for it in the drawing: itself, or the outermost
 * collapsed group around it.
 */
export function visibleStandIns(g: ModelGraph, collapsed: ReadonlySet<string>): Map<string, string> {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const out = new Map<string, string>();
  for (const n of g.nodes) {
    let stand = n.id;
    for (let p = n.parent; p !== null; p = byId.get(p)?.parent ?? null) if (collapsed.has(p)) stand = p;
    out.set(n.id, stand);
  }
  return out;
}

export function layoutGraph(g: ModelGraph, collapsed: ReadonlySet<string>, measure: Measure): GraphLayout {
  const stand = visibleStandIns(g, collapsed);
  const visible = g.nodes.filter((n) => stand.get(n.id) === n.id);
  const hasChildren = new Set(visible.filter((n) => n.parent !== null).map((n) => n.parent!));
  const clusterIds = new Set(visible.filter((n) => isGroup(n) && !collapsed.has(n.id) && hasChildren.has(n.id)).map((n) => n.id));

  const dg = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  dg.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 28, edgesep: 12, marginx: MARGIN, marginy: MARGIN });
  dg.setDefaultEdgeLabel(() => ({}));
  // Each expanded group gets a header node inside it that every member ranks below, so the
  // header has a row of its own that no node or label can take.
  const headerOf = (id: string) => `${id}\u0000header`;
  for (const n of visible) {
    if (clusterIds.has(n.id)) {
      dg.setNode(n.id, { width: 0, height: 0 });
      dg.setNode(headerOf(n.id), { width: Math.ceil(measure(clusterHeader(n), 'title')) + 12, height: CLUSTER_HEADER });
      dg.setParent(headerOf(n.id), n.id);
    } else {
      const width = Math.max(MIN_NODE_WIDTH, measure(nodeTitle(n, true), 'title'), measure(nodeDetail(n), 'detail')) + NODE_PADDING;
      dg.setNode(n.id, { width: Math.ceil(width), height: NODE_HEIGHT });
    }
    if (n.parent !== null && clusterIds.has(n.parent)) dg.setParent(n.id, n.parent);
  }
  const edges = new Map<string, { from: string; to: string; label: string }>();
  for (const e of g.edges) {
    const from = stand.get(e.from) ?? e.from;
    const to = stand.get(e.to) ?? e.to;
    if (from === to || clusterIds.has(from) || clusterIds.has(to)) continue;
    const label = shapeLabel(e.shape);
    // One edge per pair: a tensor used twice by one layer (x, x) is one arrow.
    if (!edges.has(`${from}\u0000${to}`)) edges.set(`${from}\u0000${to}`, { from, to, label });
  }
  linkHeaders(dg, visible, clusterIds, [...edges.values()], headerOf);
  for (const e of edges.values()) {
    dg.setEdge(e.from, e.to, { width: Math.ceil(measure(e.label, 'label')) + 8, height: LABEL_HEIGHT, labelpos: 'c', minlen: 1 });
  }
  dagre.layout(dg);

  const box = (id: string): Box => {
    const l = dg.node(id);
    return { x: l.x! - l.width / 2, y: l.y! - l.height / 2, width: l.width, height: l.height };
  };
  const layout: GraphLayout = { width: 0, height: 0, nodes: [], clusters: [], edges: [] };
  for (const n of visible) {
    if (clusterIds.has(n.id)) layout.clusters.push({ node: n, box: box(n.id), header: box(headerOf(n.id)), headerText: clusterHeader(n) });
    else layout.nodes.push({ node: n, box: box(n.id), group: isGroup(n), collapsed: collapsed.has(n.id) });
  }
  for (const e of edges.values()) {
    const l = dg.edge(e.from, e.to);
    const lw = l.width ?? 0;
    layout.edges.push({
      ...e,
      points: (l.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })),
      labelBox: { x: (l.x ?? 0) - lw / 2, y: (l.y ?? 0) - LABEL_HEIGHT / 2, width: lw, height: LABEL_HEIGHT },
    });
  }
  const gl = dg.graph();
  layout.width = Math.ceil(gl.width ?? 0);
  layout.height = Math.ceil(gl.height ?? 0);
  for (const c of layout.clusters) {
    layout.width = Math.max(layout.width, Math.ceil(c.box.x + c.box.width + MARGIN));
    layout.height = Math.max(layout.height, Math.ceil(c.box.y + c.box.height + MARGIN));
  }
  return layout;
}

/**
 * Ranks each expanded group's header above its members: an invisible edge from the header
 * to every member that nothing else in the group feeds (a nested group through its own
 * header). Edges to the other members would add nothing to the ranking but would pull them
 * sideways towards the header.
 */
function linkHeaders(dg: dagre.graphlib.Graph, visible: GraphNode[], clusterIds: ReadonlySet<string>, edges: { from: string; to: string }[], headerOf: (id: string) => string): void {
  const parent = new Map(visible.map((n) => [n.id, n.parent]));
  const inside = (id: string, group: string): boolean => {
    for (let p: string | null | undefined = id; p; p = parent.get(p)) if (p === group) return true;
    return false;
  };
  for (const c of clusterIds) {
    const members = visible.filter((n) => n.parent === c);
    const sources = members.filter((m) => !edges.some((e) => inside(e.to, m.id) && inside(e.from, c) && !inside(e.from, m.id)));
    for (const m of sources.length > 0 ? sources : members.slice(0, 1)) {
      dg.setEdge(headerOf(c), clusterIds.has(m.id) ? headerOf(m.id) : m.id, { width: 0, height: 0, minlen: 1, weight: 1 });
    }
  }
}

/** True when two boxes share any area (touching edges do not count). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
