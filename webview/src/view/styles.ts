// The panel's stylesheet and colours. Everything takes VS Code's theme variables, so the
// panel follows light, dark and high-contrast themes; literal colours appear only as
// fallbacks for a page outside VS Code (the browser test). Charts draw on a canvas, which
// cannot read CSS variables, so `themeColor` resolves them from the computed style.

import uplotCss from 'uplot/dist/uPlot.min.css';

const PANEL_CSS = `
:root { color-scheme: light dark; }
body {
  margin: 0; padding: 12px 16px;
  color: var(--vscode-editor-foreground, #333);
  background: var(--vscode-editor-background, #fff);
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
}
h1 { font-size: 1.3em; margin: 0 0 4px; }
h2 { font-size: 1.05em; margin: 18px 0 6px; }
.ns-muted { color: var(--vscode-descriptionForeground, #717171); }
.ns-header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; }
.ns-status { padding: 1px 8px; border-radius: 10px; border: 1px solid var(--vscode-contrastBorder, transparent);
  background: var(--vscode-badge-background, #616161); color: var(--vscode-badge-foreground, #fff); font-size: 0.85em; }
.ns-backend[data-fallback="true"] { color: var(--vscode-editorWarning-foreground, #bf8803); }
.ns-progress-row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin: 10px 0; }
.ns-progress-row progress { flex: 1 1 240px; height: 8px; accent-color: var(--vscode-progressBar-background, #0e70c0); }
.ns-buttons { display: flex; gap: 8px; }
button {
  font: inherit; padding: 4px 12px; border-radius: 2px; cursor: pointer;
  border: 1px solid var(--vscode-button-border, transparent);
  color: var(--vscode-button-foreground, #fff); background: var(--vscode-button-background, #0e639c);
}
button:hover:not(:disabled) { background: var(--vscode-button-hoverBackground, #1177bb); }
button.ns-secondary { color: var(--vscode-button-secondaryForeground, #fff); background: var(--vscode-button-secondaryBackground, #5f6a79); }
button:disabled { opacity: 0.4; cursor: not-allowed; filter: grayscale(1);
  color: var(--vscode-disabledForeground, #888); background: var(--vscode-button-secondaryBackground, #5f6a79); }
.ns-device { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; }
button.ns-link { padding: 0 2px; background: none; border: none; color: var(--vscode-textLink-foreground, #3794ff); }
button.ns-link:hover:not(:disabled) { background: none; text-decoration: underline; }
.ns-backend-why { font-size: 0.9em; }
.ns-facts { margin-top: 2px; }
.ns-chart-tools { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; margin: 6px 0; }
.ns-chart-tools input[type="range"] { vertical-align: middle; width: 120px; }
.ns-final { font-weight: 600; margin: 4px 0; }
button:focus-visible, [tabindex]:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0090f1); outline-offset: 2px; }
.ns-error { padding: 8px 10px; margin: 10px 0; white-space: pre-wrap;
  border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100);
  background: var(--vscode-inputValidation-errorBackground, transparent); }
.ns-charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.ns-chart { min-width: 0; }
.ns-chart h3 { font-size: 0.95em; margin: 4px 0; font-weight: 600; }
.uplot, .uplot .u-legend { font-family: inherit; color: inherit; }
.ns-table-box { max-width: 100%; overflow-x: auto; }
.ns-runs table { border-collapse: collapse; margin: 4px 0 12px; }
.ns-runs th, .ns-runs td { padding: 3px 8px; text-align: left; border: 1px solid var(--vscode-editorWidget-border, #c8c8c8); white-space: nowrap; }
.ns-run-actions button + button { margin-left: 4px; }
.ns-run-actions button { padding: 1px 8px; }
.ns-compare label { display: block; margin: 6px 0; }
:is(.ns-report, .ns-prediction) table { border-collapse: collapse; margin: 4px 0 12px; }
:is(.ns-report, .ns-prediction) :is(th, td) { padding: 3px 8px; text-align: right; border: 1px solid var(--vscode-editorWidget-border, #c8c8c8); }
:is(.ns-report, .ns-prediction) th { font-weight: 600; }
:is(.ns-report, .ns-prediction) th[scope="row"] { text-align: left; }
:is(.ns-report, .ns-prediction) caption { text-align: left; padding-bottom: 2px; }
.ns-prediction { margin: 8px 0; }
.ns-prediction-rows td { white-space: nowrap; }
.uplot .u-legend { font-size: 0.9em; }
td.ns-cell { min-width: 2.5em; }
td.ns-cell[data-diagonal="true"] { font-weight: 700; }
.ns-samples { display: flex; flex-wrap: wrap; gap: 10px; }
.ns-sample { margin: 0; text-align: center; }
.ns-sample canvas { width: 56px; height: 56px; image-rendering: pixelated;
  border: 1px solid var(--vscode-editorWidget-border, #c8c8c8); }
.ns-sample figcaption { font-size: 0.85em; }
.ns-wrong { color: var(--vscode-errorForeground, #f14c4c); }
.ns-right { color: var(--vscode-testing-iconPassed, #73c991); }
`;

/** Adds the panel's styles (and uPlot's) to the document once. */
export function installStyles(doc: Document): void {
  if (doc.getElementById('netspec-styles')) return;
  const style = doc.createElement('style');
  style.id = 'netspec-styles';
  style.textContent = `${uplotCss}\n${PANEL_CSS}`;
  doc.head.appendChild(style);
}

/** The value of a theme variable, or `fallback` outside VS Code. */
export function themeColor(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** The chart colours, resolved from the current theme. */
export function chartColors(): { train: string; val: string; smooth: string; raw: string; grid: string; text: string } {
  return {
    train: themeColor('--vscode-charts-blue', '#3794ff'),
    val: themeColor('--vscode-charts-orange', '#d18616'),
    smooth: themeColor('--vscode-charts-blue', '#3794ff'),
    raw: themeColor('--vscode-charts-lines', '#8080807f'),
    grid: themeColor('--vscode-editorWidget-border', '#8080803f'),
    text: themeColor('--vscode-editor-foreground', '#333333'),
  };
}
