// The model view's page script (dist/model_view.js): adds the stylesheet, measures text
// with the same SVG classes the drawing uses (so boxes fit their labels in any theme font),
// starts the view and tells the extension it is ready for the graphs.

import type { ToModelView } from './protocol';
import { MODEL_VIEW_CSS } from './styles';
import { ModelView, type VsCodeApi } from './view';
import type { Measure } from './layout';

declare function acquireVsCodeApi(): VsCodeApi;

/** Text widths from hidden SVG text elements styled as the graph's title, detail and label. */
function svgMeasure(): Measure {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'model-graph');
  svg.setAttribute('aria-hidden', 'true');
  svg.style.cssText = 'position:absolute;left:-10000px;top:0;width:1px;height:1px;visibility:hidden';
  document.body.appendChild(svg);
  const probes = new Map<string, SVGTextElement>();
  const cache = new Map<string, number>();
  return (text, role) => {
    const key = `${role}\u0000${text}`;
    let w = cache.get(key);
    if (w !== undefined) return w;
    let probe = probes.get(role);
    if (!probe) {
      probe = document.createElementNS('http://www.w3.org/2000/svg', 'text');
      probe.setAttribute('class', role);
      svg.appendChild(probe);
      probes.set(role, probe);
    }
    probe.textContent = text;
    w = probe.getComputedTextLength();
    cache.set(key, w);
    return w;
  };
}

function boot(): void {
  const style = document.createElement('style');
  style.textContent = MODEL_VIEW_CSS;
  document.head.appendChild(style);
  const root = document.getElementById('netspec-model-view') ?? document.body.appendChild(document.createElement('main'));
  const api = acquireVsCodeApi();
  const view = new ModelView(root, api, svgMeasure());
  window.addEventListener('message', (e: MessageEvent) => view.receive(e.data as ToModelView));
  (window as unknown as { netspecModelView?: ModelView }).netspecModelView = view;
  api.postMessage({ type: 'ready' });
}

boot();
