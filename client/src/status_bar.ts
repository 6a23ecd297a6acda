// The status bar item shown while a model trains: model, epoch, loss and backend; clicking
// it reveals the training panel. The item is created by the caller (extension.ts passes
// `window.createStatusBarItem`), so the formatting here is tested without an editor.

import { formatMetric, type StatusState } from './run_session';

/** The part of `vscode.StatusBarItem` this module sets. */
export interface StatusItemLike {
  text: string;
  tooltip: string | undefined | unknown;
  command: string | undefined | unknown;
  show(): void;
  hide(): void;
}

export const REVEAL_PANEL_COMMAND = 'netspec.showTrainingPanel';

/** The item's text: `$(sync~spin) Iris 3/60 · loss 0.512 · webgpu`, with an icon per state. */
export function statusText(s: StatusState): string {
  const icon = s.status === 'running' ? '$(sync~spin)' : s.status === 'paused' ? '$(debug-pause)' : s.status === 'failed' ? '$(error)' : '$(check)';
  const parts = [`${icon} ${s.model} ${s.epoch}/${s.epochs}`];
  if (s.loss !== null) parts.push(`loss ${formatMetric(s.loss)}`);
  if (s.backend) parts.push(s.backend);
  return parts.join(' · ');
}

export function statusTooltip(s: StatusState): string {
  const what = s.status === 'running' ? 'training' : s.status;
  return `Netspec: ${s.model} ${what}, epoch ${s.epoch} of ${s.epochs}${s.backend ? ` on ${s.backend}` : ''}. Click to show the training panel.`;
}

/** Shows the run's state; after the run ends the item stays a while, then hides. */
export class TrainingStatus {
  private hideTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly item: StatusItemLike,
    private readonly lingerMs = 30_000,
  ) {
    item.command = REVEAL_PANEL_COMMAND;
  }

  update(s: StatusState): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.hideTimer = undefined;
    this.item.text = statusText(s);
    this.item.tooltip = statusTooltip(s);
    this.item.show();
    if (s.status !== 'running' && s.status !== 'paused') {
      this.hideTimer = setTimeout(() => this.item.hide(), this.lingerMs);
      (this.hideTimer as { unref?: () => void }).unref?.();
    }
  }

  dispose(): void {
    if (this.hideTimer) clearTimeout(this.hideTimer);
    this.item.hide();
  }
}
