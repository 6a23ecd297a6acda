// The model view page's controller: keeps the latest graphs, the chosen model, the collapsed
// groups and the zoom (saved with the webview's state, so they survive a hidden panel and a
// reload), and redraws the toolbar, the graph and the summary table on each new answer.
// Mouse: a click on a node reveals its line; a click on a group folds or unfolds it.
// Keyboard: Tab moves between nodes and the arrows Down and Up along the edges, Enter
// reveals, Space folds or unfolds a group.

import type { FromModelView, GraphNode, ModelGraph, ModelGraphAnswer, ToModelView } from './protocol';
import { isGroup, layoutGraph, type GraphLayout, type Measure } from './layout';
import { renderGraph } from './render';
import { renderTable, totals } from './table';
import { formatCount, formatFlops } from './format';
import { pngBase64, standaloneSvg } from './export';

export interface VsCodeApi {
  postMessage(message: FromModelView): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface ViewState {
  model?: string;
  /** Per model, the groups the user folded (true) or unfolded (false); others keep the default. */
  folded: Record<string, Record<string, boolean>>;
  /** A scale, or 'fit': as large as fits the panel's width, at most 1. */
  zoom: number | 'fit';
}

/** A group inside another starts folded, so a deep model opens as its outline. */
function foldedByDefault(n: GraphNode): boolean {
  return n.parent !== null;
}

const ZOOM_STEPS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2];

function button(label: string, onClick: () => void, aria?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (aria) b.setAttribute('aria-label', aria);
  b.addEventListener('click', onClick);
  return b;
}

export class ModelView {
  private answer: ModelGraphAnswer | null = null;
  private fileName = '';
  private state: ViewState;
  private svg: SVGSVGElement | null = null;
  private size = { width: 0, height: 0 };

  constructor(
    private readonly root: HTMLElement,
    private readonly api: VsCodeApi,
    private readonly measure: Measure,
  ) {
    const saved = api.getState() as Partial<ViewState> | undefined;
    this.state = { model: saved?.model, folded: saved?.folded ?? {}, zoom: saved?.zoom ?? 'fit' };
    window.addEventListener('resize', () => {
      if (this.state.zoom === 'fit' && this.svg) this.applyZoom(this.svg);
    });
  }

  receive(msg: ToModelView): void {
    if (msg.type === 'error') {
      this.root.replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: msg.message }));
      return;
    }
    this.answer = msg.answer;
    this.fileName = msg.fileName;
    this.render();
  }

  private current(): ModelGraph | undefined {
    const models = this.answer?.models ?? [];
    return models.find((m) => m.name === this.state.model) ?? models[0];
  }

  private collapsed(g: ModelGraph): Set<string> {
    const folded = this.state.folded[g.name] ?? {};
    return new Set(g.nodes.filter((n) => isGroup(n) && (folded[n.id] ?? foldedByDefault(n))).map((n) => n.id));
  }

  private save(): void {
    this.api.setState(this.state);
  }

  private toggle(g: ModelGraph, id: string): void {
    const folded = (this.state.folded[g.name] ??= {});
    folded[id] = !this.collapsed(g).has(id);
    this.save();
    this.render(id);
  }

  private setCollapsed(g: ModelGraph, all: boolean): void {
    this.state.folded[g.name] = Object.fromEntries(g.nodes.filter(isGroup).map((n) => [n.id, all]));
    this.save();
    this.render();
  }

  private zoom(delta: number): void {
    const now = this.scale();
    const i = ZOOM_STEPS.findIndex((z) => z >= now - 1e-6);
    this.state.zoom = ZOOM_STEPS[Math.max(0, Math.min(ZOOM_STEPS.length - 1, (i < 0 ? ZOOM_STEPS.length - 1 : i) + delta))];
    this.save();
    if (this.svg) this.applyZoom(this.svg);
  }

  private fit(): void {
    this.state.zoom = 'fit';
    this.save();
    if (this.svg) this.applyZoom(this.svg);
  }

  /** The scale in effect: 'fit' measures the graph's box, so it needs the page laid out. */
  private scale(): number {
    if (this.state.zoom !== 'fit') return this.state.zoom;
    const room = (this.root.querySelector('.graph-wrap') as HTMLElement | null)?.clientWidth ?? 0;
    if (room <= 0 || this.size.width <= 0) return 1;
    return Math.max(0.25, Math.min(1, (room - 2) / this.size.width));
  }

  private applyZoom(svg: SVGSVGElement): void {
    const scale = this.scale();
    svg.setAttribute('width', String(Math.floor(this.size.width * scale)));
    svg.setAttribute('height', String(Math.floor(this.size.height * scale)));
  }

  private reveal(n: GraphNode): void {
    this.api.postMessage({ type: 'reveal', start: n.span.start, end: n.span.end });
  }

  private async export(format: 'svg' | 'png'): Promise<void> {
    const g = this.current();
    if (!this.svg || !g) return;
    const text = standaloneSvg(this.svg);
    if (format === 'svg') this.api.postMessage({ type: 'save', format, name: `${g.name}.svg`, text });
    else this.api.postMessage({ type: 'save', format, name: `${g.name}.png`, base64: await pngBase64(text, this.size.width, this.size.height) });
  }

  /** Redraws everything; `focusId` (else the node focused before) gets the focus back. */
  render(focusId?: string): void {
    const active = document.activeElement as Element | null;
    const keepFocus = focusId ?? active?.closest?.('[data-id]')?.getAttribute('data-id') ?? undefined;
    const scroller = this.root.querySelector('.graph-wrap');
    const scroll = scroller ? { left: scroller.scrollLeft, top: scroller.scrollTop } : null;
    const g = this.current();
    const models = this.answer?.models ?? [];
    const header = document.createElement('header');
    header.className = 'toolbar';
    const h1 = document.createElement('h1');
    h1.textContent = g ? `${g.name}` : this.fileName;
    header.appendChild(h1);
    if (models.length > 1) {
      const select = document.createElement('select');
      select.setAttribute('aria-label', 'Model');
      for (const m of models) select.appendChild(new Option(m.name, m.name, false, m === g));
      select.addEventListener('change', () => {
        this.state.model = select.value;
        this.save();
        this.render();
      });
      header.appendChild(select);
    }
    const parts: Node[] = [header];
    if (!g) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = `${this.fileName} defines no model.`;
      this.root.replaceChildren(...parts, p);
      return;
    }
    const t = totals(g);
    const stats = document.createElement('span');
    stats.className = 'stats';
    stats.textContent = `${formatCount(t.params)} params · ${formatFlops(t.flops)} FLOPs per sample`;
    header.append(
      stats,
      button('Collapse all', () => this.setCollapsed(g, true)),
      button('Expand all', () => this.setCollapsed(g, false)),
      button('−', () => this.zoom(-1), 'Zoom out'),
      button('+', () => this.zoom(1), 'Zoom in'),
      button('Fit', () => this.fit(), 'Fit the graph to the width'),
      button('Export SVG', () => void this.export('svg')),
      button('Export PNG', () => void this.export('png')),
    );

    const collapsed = this.collapsed(g);
    const layout = layoutGraph(g, collapsed, this.measure);
    this.size = { width: layout.width, height: layout.height };
    const svg = renderGraph(layout, g.nodes, g.name);
    this.svg = svg;
    this.wire(svg, g, layout);
    const wrap = document.createElement('div');
    wrap.className = 'graph-wrap';
    wrap.appendChild(svg);
    parts.push(wrap);
    if (g.problems.length > 0 || g.truncated) {
      const ul = document.createElement('ul');
      ul.className = 'problems';
      for (const p of g.problems) ul.appendChild(Object.assign(document.createElement('li'), { textContent: `${p.severity}: ${p.message}` }));
      if (g.truncated) ul.appendChild(Object.assign(document.createElement('li'), { textContent: 'The graph is too large; only its first part is drawn.' }));
      parts.push(ul);
    }
    parts.push(renderTable(g, (n) => this.reveal(n)));
    this.root.replaceChildren(...parts);
    this.applyZoom(svg);
    if (scroll) Object.assign(wrap, { scrollLeft: scroll.left, scrollTop: scroll.top });
    if (keepFocus) (svg.querySelector(`[data-id="${CSS.escape(keepFocus)}"]`) as SVGElement | null)?.focus();
  }

  private wire(svg: SVGSVGElement, g: ModelGraph, layout: GraphLayout): void {
    const nodeOf = (e: Event): GraphNode | undefined => {
      const id = (e.target as Element).closest('[data-id]')?.getAttribute('data-id');
      return id ? g.nodes.find((n) => n.id === id) : undefined;
    };
    svg.addEventListener('click', (e) => {
      const n = nodeOf(e);
      if (!n) return;
      if (isGroup(n)) this.toggle(g, n.id);
      else this.reveal(n);
    });
    svg.addEventListener('dblclick', (e) => {
      const n = nodeOf(e);
      if (n && isGroup(n)) this.reveal(n);
    });
    svg.addEventListener('keydown', (e) => {
      const n = nodeOf(e);
      if (!n) return;
      const step = e.key === 'ArrowDown' ? 'to' : e.key === 'ArrowUp' ? 'from' : null;
      if (step) {
        // Follow the arrows: down to a node this one feeds, up to one that feeds it.
        e.preventDefault();
        const next = layout.edges.find((x) => (step === 'to' ? x.from : x.to) === n.id);
        if (next) (svg.querySelector(`[data-id="${CSS.escape(step === 'to' ? next.to : next.from)}"]`) as SVGElement | null)?.focus();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        this.reveal(n);
      } else if (e.key === ' ' && isGroup(n)) {
        e.preventDefault();
        this.toggle(g, n.id);
      }
    });
  }
}
