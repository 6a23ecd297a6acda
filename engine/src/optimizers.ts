// Optimizers with Keras 3's update formulas (Adam and RMSprop epsilon 1e-7, AdamW decaying
// every variable before the Adam step). Arguments and their defaults come from the train
// catalog (engine/catalog/train/optimizers.ts); the learning rate of each step is given to
// `step`, so a schedule never rewrites the optimizer's settings. A step replaces each parameter's
// buffer with its updated value (`assign`), so parameters keep their identity and the
// buffer pool recycles the old storage: steady-state training allocates nothing new. Adam
// runs as one fused kernel per parameter where the backend has one (`adamStep`: the CPU and
// WebAssembly backends), updating in place to exactly the values of the ops written below.

import type { TrainOptimizer } from '../catalog/train_ir';
import { argDefaults, byName, OPTIMIZER_FAMILY, OPTIMIZERS, resolveCall, type OptimizerName } from '../catalog/train/index';
import * as o from './ops';
import { getBackend, keep, tidy, Tensor } from './tensor';

/** An optimizer as a train block names it: `{ name: 'adam', args: { lr: 0.002 } }`. */
export type OptimizerConfig = TrainOptimizer;

/** Keras's fuzz factor of Adam and RMSprop: part of the update rule, not a train setting. */
export const KERAS_EPSILON = 1e-7;

/** AdamW declares no moment decays of its own; it runs Adam's at their defaults (Keras). */
const ADAM_DEFAULTS = argDefaults(byName(OPTIMIZERS, 'adam')!);

export class Optimizer {
  /** Completed steps (Keras `iterations`). */
  iterations = 0;
  private slots = new Map<Tensor, Tensor[]>();
  /** A device copy of the state (`save`), reused from one save to the next. */
  private saved: { iterations: number; slots: Map<Tensor, Tensor[]> } | null = null;

  readonly name: OptimizerName;
  /** Every argument, the catalog's defaults filled in. */
  private readonly args: Readonly<Record<string, number | boolean>>;

  /** Throws on an unknown optimizer or a bad argument; `train` checks the config first. */
  constructor(
    config: OptimizerConfig,
    private readonly epsilon = KERAS_EPSILON,
  ) {
    const r = resolveCall(OPTIMIZER_FAMILY, config);
    if (!r.ok) throw new Error(r.message);
    this.name = r.entry.name;
    this.args = r.args;
  }

  /** The configured learning rate: a schedule's base rate, and each step's without one. */
  get lr(): number {
    return this.args.lr as number;
  }

  /** Applies one update to every parameter from its gradient, at learning rate `lr`. */
  step(params: readonly Tensor[], grads: readonly Tensor[], lr = this.lr): void {
    const t = this.iterations + 1;
    tidy(() => {
      params.forEach((w, i) => this.update(w, grads[i], t, lr));
    });
    this.iterations = t;
  }

  /** Copies the state (iterations and every slot) on the device, for `restore`. */
  save(): void {
    const saved = (this.saved ??= { iterations: 0, slots: new Map() });
    saved.iterations = this.iterations;
    tidy(() => {
      for (const [w, list] of this.slots) {
        const copies = saved.slots.get(w);
        if (copies) list.forEach((s, i) => copies[i].assign(copyOf(s)));
        else saved.slots.set(w, list.map((s) => keep(copyOf(s))));
      }
    });
  }

  /** Puts back the state of the last `save` (slots created since then are dropped). */
  restore(): void {
    const saved = this.saved;
    if (!saved) return;
    this.iterations = saved.iterations;
    tidy(() => {
      for (const [w, list] of [...this.slots]) {
        const copies = saved.slots.get(w);
        if (copies) list.forEach((s, i) => s.assign(copyOf(copies[i])));
        else {
          for (const s of list) s.dispose();
          this.slots.delete(w);
        }
      }
    });
  }

  /** Releases the optimizer's state tensors. */
  dispose(): void {
    for (const list of this.slots.values()) for (const s of list) s.dispose();
    this.slots.clear();
    for (const list of this.saved?.slots.values() ?? []) for (const s of list) s.dispose();
    this.saved = null;
  }

  private slot(w: Tensor, count: number): Tensor[] {
    let s = this.slots.get(w);
    if (!s) {
      s = [];
      for (let i = 0; i < count; i++) s.push(keep(o.fill(w.shape, 0)));
      this.slots.set(w, s);
    }
    return s;
  }

  private update(w: Tensor, g: Tensor, t: number, lr: number): void {
    const num = (name: string) => this.args[name] as number;
    const eps = this.epsilon;
    switch (this.name) {
      case 'sgd': {
        const momentum = num('momentum');
        if (momentum === 0) {
          w.assign(o.sub(w, o.affine(g, lr)));
          return;
        }
        const [m] = this.slot(w, 1);
        // m = momentum * m - lr * g; nesterov: w += momentum * m - lr * g; else w += m.
        const m2 = o.sub(o.affine(m, momentum), o.affine(g, lr));
        const delta = this.args.nesterov === true ? o.sub(o.affine(m2, momentum), o.affine(g, lr)) : m2;
        w.assign(o.add(w, delta));
        m.assign(m2);
        return;
      }
      case 'rmsprop': {
        const rho = num('rho');
        const [v] = this.slot(w, 1);
        const v2 = o.add(o.affine(v, rho), o.affine(o.square(g), 1 - rho));
        w.assign(o.sub(w, o.div(o.affine(g, lr), o.sqrt(o.affine(v2, 1, eps)))));
        v.assign(v2);
        return;
      }
      case 'adam':
      case 'adamw': {
        if (this.name === 'adamw') w.assign(o.affine(w, 1 - num('weight_decay') * lr));
        const b1 = (this.args.beta1 ?? ADAM_DEFAULTS.beta1) as number;
        const b2 = (this.args.beta2 ?? ADAM_DEFAULTS.beta2) as number;
        const [m, v] = this.slot(w, 2);
        const alpha = (lr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
        // A backend with a fused step updates w, m and v in place, to the same values.
        const backend = getBackend();
        if (backend.adamStep && w.dtype === 'float32' && g.dtype === 'float32' && g.size === w.size && !w.shared && !m.shared && !v.shared) {
          backend.adamStep(w.buffer, g.buffer, m.buffer, v.buffer, w.size, { beta1: b1, beta2: b2, epsilon: eps, alpha });
          return;
        }
        const m2 = o.add(o.affine(m, b1), o.affine(g, 1 - b1));
        const v2 = o.add(o.affine(v, b2), o.affine(o.square(g), 1 - b2));
        w.assign(o.sub(w, o.affine(o.div(m2, o.affine(o.sqrt(v2), 1, eps)), alpha)));
        m.assign(m2);
        v.assign(v2);
        return;
      }
      default: {
        // A catalog optimizer without an update rule here fails the typecheck.
        const missing: never = this.name;
        throw new Error(`no update rule for optimizer ${String(missing)}`);
      }
    }
  }
}

/** An exact device copy of `t`. */
function copyOf(t: Tensor): Tensor {
  return o.slice(t, t.shape.map(() => 0), [...t.shape]);
}
