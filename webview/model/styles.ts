// The model view's stylesheet: every colour and font is one of VS Code's theme variables
// (with a light fallback for a page outside the editor), so the view follows the theme.

export const MODEL_VIEW_CSS = `
body { margin: 0; padding: 0 12px 16px; color: var(--vscode-foreground, #333); background: var(--vscode-editor-background, #fff);
  font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
header.toolbar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 8px 0;
  background: var(--vscode-editor-background, #fff); border-bottom: 1px solid var(--vscode-panel-border, #ddd); }
header.toolbar h1 { font-size: 1.1em; margin: 0 8px 0 0; font-weight: 600; }
header.toolbar .stats { color: var(--vscode-descriptionForeground, #666); margin-right: auto; }
button, select { font: inherit; color: var(--vscode-button-secondaryForeground, #000); background: var(--vscode-button-secondaryBackground, #e5e5e5);
  border: 1px solid var(--vscode-button-border, transparent); border-radius: 2px; padding: 2px 8px; cursor: pointer; }
select { color: var(--vscode-dropdown-foreground, #000); background: var(--vscode-dropdown-background, #fff); border-color: var(--vscode-dropdown-border, #ccc); }
button:hover { background: var(--vscode-button-secondaryHoverBackground, #d0d0d0); }
:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0078d4); outline-offset: 1px; }
.graph-wrap { overflow: auto; max-height: 70vh; border: 1px solid var(--vscode-panel-border, #ddd); margin: 8px 0; }
.problems { color: var(--vscode-errorForeground, #c00); margin: 6px 0; padding-left: 1.2em; }
.empty, .error { color: var(--vscode-descriptionForeground, #666); margin: 16px 0; }
svg.model-graph text { fill: var(--vscode-foreground, #333); font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: 12px; }
svg.model-graph text.title { font-weight: 600; }
svg.model-graph text.detail, svg.model-graph text.label { font-family: var(--vscode-editor-font-family, monospace); font-size: 11px; fill: var(--vscode-descriptionForeground, #666); }
svg.model-graph .box { fill: var(--vscode-editorWidget-background, #f3f3f3); stroke: var(--vscode-editorWidget-border, #999); stroke-width: 1; }
svg.model-graph .kind-input .box, svg.model-graph .kind-output .box { stroke: var(--vscode-charts-blue, #1a85ff); }
svg.model-graph .group .box { stroke-dasharray: 4 2; }
svg.model-graph .frame { fill: var(--vscode-editor-inactiveSelectionBackground, rgba(0,0,0,0.04)); stroke: var(--vscode-editorWidget-border, #999); stroke-dasharray: 4 3; stroke-width: 1; }
svg.model-graph text.cluster-title { font-weight: 600; }
svg.model-graph .has-error > .box, svg.model-graph .has-error > .frame { stroke: var(--vscode-editorError-foreground, #e51400); stroke-width: 2; stroke-dasharray: none; }
svg.model-graph .has-warning > .box, svg.model-graph .has-warning > .frame { stroke: var(--vscode-editorWarning-foreground, #bf8803); stroke-width: 2; }
svg.model-graph path.edge { fill: none; stroke: var(--vscode-descriptionForeground, #777); stroke-width: 1.2; }
svg.model-graph .arrow-head { fill: var(--vscode-descriptionForeground, #777); }
svg.model-graph .label-bg { fill: var(--vscode-editor-background, #fff); stroke: none; }
svg.model-graph [role=button] { cursor: pointer; outline: none; }
svg.model-graph .node:focus > .box, svg.model-graph .cluster:focus > .frame { stroke: var(--vscode-focusBorder, #0078d4); stroke-width: 2.5; }
svg.model-graph .node:hover > .box { stroke: var(--vscode-focusBorder, #0078d4); }
.summary { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.95em; }
th, td { text-align: left; padding: 2px 8px; border-bottom: 1px solid var(--vscode-panel-border, #ddd); white-space: nowrap; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.shape { font-family: var(--vscode-editor-font-family, monospace); }
tbody tr { cursor: pointer; }
tbody tr:hover { background: var(--vscode-list-hoverBackground, #f0f0f0); }
tr.has-error td:first-child { border-left: 3px solid var(--vscode-editorError-foreground, #e51400); }
a { color: var(--vscode-textLink-foreground, #006ab1); }
dl.totals { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 10px 0; }
dl.totals dt { color: var(--vscode-descriptionForeground, #666); }
dl.totals dd { margin: 0; font-variant-numeric: tabular-nums; }
`;
