// Records an editor run in its folder (engine/catalog/run_record.ts) from the messages the
// run's router sees, whichever place trains it: the device, every step's loss, every
// epoch, the weights of each epoch and the end, the class report; then the outcome.

import { newRunRecord, RunWriter, type RunFs } from '../../engine/catalog/run_record';
import type { TrainIR } from '../../engine/catalog/train_ir';
import type { FromPanel, RunSnapshot } from '../../webview/protocol';
import type { RunOutcome } from './run_session';
import { toBytes } from './weights_writer';

export class RunRecording {
  private report: Pick<RunSnapshot, 'classes' | 'samples'> | undefined;

  constructor(readonly writer: RunWriter) {}

  static start(args: { fs: RunFs; folder: string; id: string; model: string; source: string; train: TrainIR; rerunOf?: string; onError(message: string): void }): RunRecording {
    const record = newRunRecord({ id: args.id, model: args.model, source: args.source, tool: 'editor', train: args.train, date: new Date(), rerunOf: args.rerunOf });
    return new RunRecording(new RunWriter(args.fs, args.folder, record, args.onError));
  }

  observe(m: FromPanel): void {
    const w = this.writer;
    switch (m.type) {
      case 'backend':
        w.device({ name: m.info.name, detail: m.info.detail, place: m.info.place ?? 'panel' });
        return;
      case 'step':
        for (const p of m.earlier ?? []) w.step(p.epoch, p.step, p.loss);
        w.step(m.event.epoch, m.event.step, m.event.loss);
        return;
      case 'epoch':
        w.epoch(m.event);
        return;
      case 'weights': {
        const bytes = toBytes(m.bytes);
        if (bytes) w.weights(bytes);
        return;
      }
      case 'finished':
        if (m.snapshot?.classes) this.report = { classes: m.snapshot.classes, samples: m.snapshot.samples };
        return;
    }
  }

  end(o: RunOutcome): Promise<void> {
    if (o.firstPointMs !== undefined) this.writer.firstPoint(o.firstPointMs);
    const s = o.snapshot;
    const error = s.error ? { code: String(s.error.code), message: String(s.error.message) } : null;
    return this.writer.end(s.status === 'running' || s.status === 'paused' ? 'stopped' : s.status, error, this.report);
  }
}
