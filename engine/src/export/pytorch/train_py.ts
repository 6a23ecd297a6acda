// train.py of the PyTorch export: the train block's run in PyTorch, as one process or under
// torchrun (DistributedDataParallel, NCCL on GPUs, gloo on CPUs), with the engine's losses,
// Keras optimizers (written out: Keras's epsilon and update formulas), kernel-only L1/L2,
// schedules, early stopping, metrics, seed and seeded validation split; rank 0 logs and
// writes a checkpoint each epoch, and every launch resumes from the last checkpoint. The
// fallbacks for a netspec.json that leaves an argument out are the train catalog's defaults.

import { byName, DEFAULT_OPTIMIZER, findSetting, OPTIMIZERS, SCHEDULES, type TrainArgSpec, type TrainFunction } from '../../../catalog/train/index';

/** A catalog default as a Python literal: floats keep a decimal point, booleans are True/False. */
function pyDefault(spec: TrainArgSpec | undefined): string {
  const v = spec?.default;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v !== 'number') throw new Error(`the train catalog has no default for ${spec?.name}`);
  return spec!.type === 'float' && Number.isInteger(v) ? `${v}.0` : String(v);
}

const argOf = (table: readonly TrainFunction[], fn: string, arg: string) => pyDefault(byName(table, fn)?.args.find((a) => a.name === arg));
const opt = (fn: string, arg: string) => argOf(OPTIMIZERS, fn, arg);
const schedule = (fn: string, arg: string) => argOf(SCHEDULES, fn, arg);
const setting = (name: string) => {
  const s = findSetting(name);
  return pyDefault(s?.kind === 'int' ? s.value : undefined);
};

export const TRAIN_PY = String.raw`"""Trains the exported netspec model as its train block says, on one process or many.

  python train.py [--epochs N] [--checkpoint-dir D]
  torchrun --nproc_per_node M train.py ...
  torchrun --nnodes N --node_rank R --nproc_per_node M --rdzv-endpoint HOST:PORT train.py ...

batch_size is the GLOBAL batch: each step takes the next batch_size samples of netspec
train's seeded epoch order, and each of the W processes takes every W-th of them (about
batch_size / W); --batch-size overrides the train block's. One process runs the batches of
netspec train exactly. Rank 0 prints one line per epoch and
writes D/last.pt after every epoch; a launch that finds D/last.pt resumes after its epoch
(torchrun restarts workers that fail, with --max-restarts). At the end rank 0 writes
D/weights.safetensors (this module's names; predict.py --weights) and D/MODEL.safetensors
(netspec's names and layouts; netspec predict --weights).
"""
import argparse
import datetime
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import data as netspec_data  # noqa: E402
import model as netspec_model  # noqa: E402

EPSILON = 1e-7  # Keras's backend epsilon: probability clipping, Adam and RMSprop


# ---- losses (engine/src/losses.ts) ----

def output_loss(spec, y, target):
    loss = spec["loss"]
    if loss == "mse":
        return ((y - target) ** 2).mean()
    if loss == "mae":
        return (y - target).abs().mean()
    if loss == "binary_cross_entropy":
        q = y.clamp(EPSILON, 1 - EPSILON)
        return -(target * torch.log(q) + (1 - target) * torch.log(1 - q)).mean()
    if loss == "cross_entropy":
        if spec["probabilities"]:
            logp = torch.log((y / y.sum(dim=-1, keepdim=True)).clamp(EPSILON, 1 - EPSILON))
        else:
            logp = F.log_softmax(y, dim=-1)
        return -logp.gather(-1, target.long().unsqueeze(-1)).squeeze(-1).mean()
    raise ValueError("unknown loss " + loss)


def penalty(model, kernels, reg):
    """Keras's l1 * sum|w| + l2 * sum(w^2) over the kernels (never biases or norms)."""
    total = None
    if not reg or not (reg.get("l1") or reg.get("l2")):
        return None
    params = dict(model.named_parameters())
    for key in kernels:
        w = params[key]
        term = 0
        if reg.get("l1"):
            term = term + reg["l1"] * w.abs().sum()
        if reg.get("l2"):
            term = term + reg["l2"] * (w * w).sum()
        total = term if total is None else total + term
    return total


# ---- optimizers with Keras 3's formulas (engine/src/optimizers.ts) ----

class KerasOptimizer(torch.optim.Optimizer):
    def __init__(self, params, name, args):
        a = dict(args)
        defaults = {
            "lr": a.get("lr", ${opt(DEFAULT_OPTIMIZER, 'lr')}), "momentum": a.get("momentum", ${opt('sgd', 'momentum')}), "nesterov": bool(a.get("nesterov", ${opt('sgd', 'nesterov')})),
            "rho": a.get("rho", ${opt('rmsprop', 'rho')}), "beta1": a.get("beta1", ${opt('adam', 'beta1')}), "beta2": a.get("beta2", ${opt('adam', 'beta2')}),
            "epsilon": a.get("epsilon", EPSILON), "weight_decay": a.get("weight_decay", ${opt('adamw', 'weight_decay')}), "iterations": 0,
        }
        self.kind = name
        super().__init__(params, defaults)

    @property
    def iterations(self):
        return self.param_groups[0]["iterations"]

    def set_lr(self, lr):
        for g in self.param_groups:
            g["lr"] = lr

    @torch.no_grad()
    def step(self, closure=None):
        for g in self.param_groups:
            t = g["iterations"] + 1
            lr = g["lr"]
            for w in g["params"]:
                if w.grad is None:
                    continue
                grad = w.grad
                state = self.state[w]
                if self.kind == "sgd":
                    if g["momentum"] == 0:
                        w.sub_(lr * grad)
                        continue
                    m = state.setdefault("m", torch.zeros_like(w))
                    m2 = g["momentum"] * m - lr * grad
                    w.add_(g["momentum"] * m2 - lr * grad if g["nesterov"] else m2)
                    m.copy_(m2)
                elif self.kind == "rmsprop":
                    v = state.setdefault("v", torch.zeros_like(w))
                    v.mul_(g["rho"]).add_((1 - g["rho"]) * grad * grad)
                    w.sub_(lr * grad / torch.sqrt(v + g["epsilon"]))
                elif self.kind in ("adam", "adamw"):
                    if self.kind == "adamw":
                        w.mul_(1 - g["weight_decay"] * lr)
                    m = state.setdefault("m", torch.zeros_like(w))
                    v = state.setdefault("v", torch.zeros_like(w))
                    alpha = lr * math.sqrt(1 - g["beta2"] ** t) / (1 - g["beta1"] ** t)
                    m.mul_(g["beta1"]).add_((1 - g["beta1"]) * grad)
                    v.mul_(g["beta2"]).add_((1 - g["beta2"]) * grad * grad)
                    w.sub_(alpha * m / (torch.sqrt(v) + g["epsilon"]))
                else:
                    raise ValueError("unknown optimizer " + self.kind)
            g["iterations"] = t


# ---- schedules (engine/src/train/schedule.ts): epoch from 0, step = iterations so far ----

def schedule_lr(lr, spec, epoch, step, history):
    if not spec or spec["name"] == "constant":
        return lr
    a = spec.get("args") or {}
    name = spec["name"]
    if name == "exponential":
        return lr * a["decay_rate"] ** (step / a["decay_steps"])
    if name == "cosine":
        frac = min(step, a["decay_steps"]) / a["decay_steps"]
        alpha = a.get("alpha", ${schedule('cosine', 'alpha')})
        return lr * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * frac)) + alpha)
    if name == "step":
        return lr * a["factor"] ** (epoch // a["every"])
    if name == "reduce_on_plateau":
        factor, patience = a.get("factor", ${schedule('reduce_on_plateau', 'factor')}), a.get("patience", ${schedule('reduce_on_plateau', 'patience')})
        min_delta, min_lr = a.get("min_delta", ${schedule('reduce_on_plateau', 'min_delta')}), a.get("min_lr", ${schedule('reduce_on_plateau', 'min_lr')})
        rate, best, wait = lr, float("inf"), 0
        for v in history:
            if v < best - min_delta:
                best, wait = v, 0
            else:
                wait += 1
                if wait >= patience:
                    rate, wait = max(rate * factor, min_lr), 0
        return rate
    raise ValueError("unknown schedule " + name)


# ---- metrics (engine/src/train/metrics.ts): counts summed over the epoch and all ranks ----

CLASS_METRICS = ("accuracy", "precision", "recall", "f1")


def metrics_for(out, spec):
    if isinstance(spec, list):
        return [m for m in spec if out["kind"] != "regression" or m not in CLASS_METRICS]
    return list(spec.get(out["name"], []))


class Totals:
    """Sample-weighted loss sums and, per output, a confusion matrix and error sums."""

    def __init__(self, outputs, device):
        self.outputs = outputs
        self.sums = {"loss": torch.zeros((), dtype=torch.float64, device=device), "samples": torch.zeros((), dtype=torch.float64, device=device)}
        for o in outputs:
            c = o["classes"]
            self.sums[o["name"] + "/loss"] = torch.zeros((), dtype=torch.float64, device=device)
            self.sums[o["name"] + "/confusion"] = torch.zeros((c, c), dtype=torch.float64, device=device)
            self.sums[o["name"] + "/err"] = torch.zeros(3, dtype=torch.float64, device=device)

    @torch.no_grad()
    def add(self, total, losses, ys, targets, n):
        self.sums["loss"] += float(total) * n
        self.sums["samples"] += n
        for o in self.outputs:
            name = o["name"]
            self.sums[name + "/loss"] += float(losses[name]) * n
            y = ys[name].detach().double()
            t = targets[name]
            conf = self.sums[name + "/confusion"]
            err = self.sums[name + "/err"]
            if o["kind"] == "classes":
                c = o["classes"]
                y = y.reshape(-1, c)
                t = t.reshape(-1).long()
                pred = y.argmax(dim=-1)
                conf.view(-1).index_add_(0, t * c + pred, torch.ones_like(pred, dtype=torch.float64))
                probs = y if o["probabilities"] else torch.softmax(y, dim=-1)
                d = probs - F.one_hot(t, c).double()
                err += torch.stack([d.abs().sum(), (d * d).sum(), torch.tensor(float(d.numel()), dtype=torch.float64, device=d.device)])
            else:
                y = y.reshape(-1)
                t = t.double().reshape(-1)
                d = y - t
                p = (y > 0.5).long()
                tt = (t > 0.5).long()
                conf.view(-1).index_add_(0, tt * 2 + p, torch.ones_like(p, dtype=torch.float64))
                err += torch.stack([d.abs().sum(), (d * d).sum(), torch.tensor(float(d.numel()), dtype=torch.float64, device=d.device)])

    def reduce(self):
        if dist.is_available() and dist.is_initialized():
            for v in self.sums.values():
                dist.all_reduce(v)

    def results(self, prefix, spec, extra_penalty=0.0):
        s = max(float(self.sums["samples"]), 1.0)
        out = {prefix + "loss": float(self.sums["loss"]) / s + extra_penalty}
        multi = len(self.outputs) > 1
        if multi:
            for o in self.outputs:
                out[prefix + o["name"] + "_loss"] = float(self.sums[o["name"] + "/loss"]) / s
        for o in self.outputs:
            m = self.sums[o["name"] + "/confusion"].cpu().numpy()
            abs_sum, sq_sum, count = (float(x) for x in self.sums[o["name"] + "/err"].cpu())
            prf = precision_recall_f1(m, None if o["kind"] == "classes" else 1)
            for metric in metrics_for(o, spec):
                key = prefix + (o["name"] + "_" if multi else "") + metric
                if metric == "accuracy":
                    out[key] = float(np.trace(m) / m.sum()) if m.sum() else 0.0
                elif metric == "mae":
                    out[key] = abs_sum / count if count else 0.0
                elif metric == "mse":
                    out[key] = sq_sum / count if count else 0.0
                else:
                    out[key] = prf[metric]
        return out


def precision_recall_f1(m, positive=None):
    c = m.shape[0]
    classes = [k for k in range(c) if (k == positive if positive is not None else m[k].sum() + m[:, k].sum() > 0)]
    if not classes:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    p = r = f = 0.0
    for k in classes:
        tp = m[k, k]
        pk = tp / m[:, k].sum() if m[:, k].sum() > 0 else 0.0
        rk = tp / m[k].sum() if m[k].sum() > 0 else 0.0
        p += pk
        r += rk
        f += 2 * pk * rk / (pk + rk) if pk + rk > 0 else 0.0
    n = len(classes)
    return {"precision": float(p / n), "recall": float(r / n), "f1": float(f / n)}


# ---- the run ----

def log(rank, *parts):
    if rank == 0:
        print(*parts, flush=True)


def to_device(batch, device):
    return {k: v.to(device, non_blocking=True) for k, v in batch.items()}


def engine_weights(model, config):
    """The module's state in netspec's names and layouts (the inverse of the export's conversion)."""
    state = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    out = {}
    for e in config["state"]:
        if e["engine"] is None:
            continue
        a = state[e["key"]].astype(np.float32)
        back = e["back"]
        shape = back["shape"]
        op = back["op"]
        if op == "copy" or op == "reshape":
            a = a.reshape(shape)
        elif op == "transpose":
            a = a.T.reshape(shape)
        elif op == "conv":
            a = np.transpose(a, list(range(2, a.ndim)) + [1, 0]).reshape(shape)
        elif op == "gru":
            u = a.shape[0] // 3
            a = np.concatenate([a[u:2 * u], a[:u], a[2 * u:]]).T
        elif op == "gru_bias":
            u = a.shape[0] // 3
            row = np.concatenate([a[u:2 * u], a[:u], a[2 * u:]])
            prev = out.get(e["engine"], np.zeros(shape, dtype=np.float32))
            prev[back["part"]] = row
            a = prev
        out[e["engine"]] = np.ascontiguousarray(a, dtype=np.float32)
    return out


def init_distributed(backend, rank, world, timeout_s):
    """init_process_group from torchrun's environment. Under torchrun's agent store (the static
    rendezvous keeps one store across restarts) the keys of each attempt get their own prefix,
    so workers restarted after a failure never read a dead worker's address."""
    timeout = datetime.timedelta(seconds=timeout_s)
    if os.environ.get("TORCHELASTIC_USE_AGENT_STORE") == "True":
        attempt = os.environ.get("TORCHELASTIC_RESTART_COUNT", "0")
        client = dist.TCPStore(os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]), world, False, timeout=timeout)
        store = dist.PrefixStore("netspec/attempt_%s" % attempt, client)
        dist.init_process_group(backend, store=store, rank=rank, world_size=world, timeout=timeout)
    else:
        dist.init_process_group(backend, timeout=timeout)


def main(argv=None):
    with open(os.path.join(HERE, "netspec.json"), encoding="utf-8") as f:
        config = json.load(f)
    tr = config.get("train") or {}
    p = argparse.ArgumentParser(description="Trains the exported netspec model %s as its train block says (one process, or under torchrun)." % config["model"])
    p.add_argument("--epochs", type=int, default=tr.get("epochs", ${setting('epochs')}), help="epochs in all (default: the train block's, %s)" % tr.get("epochs"))
    p.add_argument("--checkpoint-dir", default="checkpoints", help="where rank 0 writes last.pt each epoch and the final weights; a run resumes from D/last.pt (default: ./checkpoints)")
    p.add_argument("--batch-size", type=int, default=tr.get("batchSize", ${setting('batch_size')}), help="the GLOBAL batch size, split over the processes (default: the train block's, %s)" % tr.get("batchSize"))
    p.add_argument("--weights", default=os.path.join(HERE, "weights.safetensors"), help="initial weights (default: the exported ones)")
    p.add_argument("--data", default=None, help="train on this file instead of the train block's (same kind)")
    p.add_argument("--validation-data", default=None, help="validate on this file instead")
    p.add_argument("--limit", type=int, default=None, help="use only the first N samples of the data (a quick trial)")
    p.add_argument("--device", default=None, help="cuda or cpu (default: cuda when available)")
    p.add_argument("--json", action="store_true", help="one JSON object per epoch, like netspec train --json")
    p.add_argument("--shuffle", choices=["netspec", "torch"], default="netspec", help="netspec: netspec train's seeded epoch order and batches (default); torch: DistributedSampler(seed) with set_epoch, batch_size / W per process")
    p.add_argument("--dist-timeout", type=float, default=1800, help="seconds a process waits for the others (rendezvous, collectives) before failing; torchrun then restarts the workers (default 1800)")
    p.add_argument("--no-resume", action="store_true", help="start afresh even if D/last.pt exists")
    args = p.parse_args(argv)
    if not config.get("train"):
        print("train.py: error: model %s has no train block; add one to the .netspec file and export again" % config["model"], file=sys.stderr)
        return 2

    # Distributed set-up from torchrun's environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR/PORT).
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    use_cuda = (args.device or ("cuda" if torch.cuda.is_available() else "cpu")).startswith("cuda")
    device = torch.device("cuda", local_rank) if use_cuda else torch.device(args.device or "cpu")
    if use_cuda:
        torch.cuda.set_device(device)
    distributed = world > 1
    if distributed:
        init_distributed("nccl" if use_cuda else "gloo", rank, world, args.dist_timeout)
    seed = tr.get("seed")
    seed = 42 if seed is None else seed
    torch.manual_seed(seed + rank)

    try:
        train_data, val_data = netspec_data.load_training(config, args.data, args.validation_data, args.limit)
    except netspec_data.DataError as e:
        print("train.py: error: %s" % e, file=sys.stderr)
        return 2

    model = netspec_model.build_model(args.weights, "cpu").to(device)
    outputs = []
    for o in config["outputs"]:
        kind = "classes" if o["loss"] == "cross_entropy" else "binary" if o["loss"] == "binary_cross_entropy" else "regression"
        outputs.append(dict(o, kind=kind, classes=o["units"] if kind == "classes" else 2))
    kernels = [e["key"] for e in config["state"] if e["regularized"]]
    reg = tr.get("regularizer")
    opt_spec = tr["optimizer"]
    base_lr = opt_spec["args"].get("lr", ${opt(DEFAULT_OPTIMIZER, 'lr')})
    optimizer = KerasOptimizer([p for p in model.parameters() if p.requires_grad], opt_spec["name"], opt_spec["args"])
    metric_spec = tr.get("metrics") or []
    patience = tr.get("earlyStopping")
    os.makedirs(args.checkpoint_dir, exist_ok=True)
    ckpt_path = os.path.join(args.checkpoint_dir, "last.pt")

    # Resume: rank 0 reads the checkpoint and hands it to every rank (no shared disk needed).
    state = {"epoch": 0, "history": [], "best_loss": float("inf"), "best_epoch": 0, "wait": 0, "best_state": None, "log": []}
    ckpt = None
    if rank == 0 and not args.no_resume and os.path.exists(ckpt_path):
        ckpt = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    if distributed:
        box = [ckpt]
        dist.broadcast_object_list(box, src=0)
        ckpt = box[0]
    if ckpt is not None:
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        state = ckpt["state"]
        log(rank, "resuming from %s: epoch %d of %d done, continuing at epoch %d" % (ckpt_path, state["epoch"], args.epochs, state["epoch"] + 1))

    net = model
    if distributed:
        net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if use_cuda else None)
    per_rank = max(1, -(-args.batch_size // world))
    if args.shuffle == "netspec":
        # netspec train's batches: the engine's seeded shuffle, each global batch shared out over the ranks.
        sampler = netspec_data.EngineBatches(train_data.count, args.batch_size, seed, rank, world)
        loader = torch.utils.data.DataLoader(train_data, batch_sampler=sampler, num_workers=0)
    else:
        sampler = torch.utils.data.distributed.DistributedSampler(train_data, num_replicas=world, rank=rank, shuffle=True, seed=seed, drop_last=False)
        loader = torch.utils.data.DataLoader(train_data, batch_size=per_rank, sampler=sampler, num_workers=0)
    log(rank, "training %s on %d sample(s)%s, %d process(es) on %s, batch %d (%d per process)" % (
        config["model"], train_data.count, ", validating on %d" % val_data.count if val_data else "", world, device.type, args.batch_size, per_rank))

    def batch_losses(ys, targets, with_penalty):
        losses = {o["name"]: output_loss(o, ys[o["name"]], targets[o["name"]]) for o in outputs}
        total = sum(o["weight"] * losses[o["name"]] for o in outputs)
        pen = penalty(model, kernels, reg) if with_penalty else None
        return (total + pen if pen is not None else total), losses

    stopped = "completed"
    for epoch in range(state["epoch"] + 1, args.epochs + 1):
        started = time.time()
        net.train()
        sampler.set_epoch(epoch)
        totals = Totals(outputs, device)
        lr = base_lr
        for inputs, targets in loader:
            inputs, targets = to_device(inputs, device), to_device(targets, device)
            lr = schedule_lr(base_lr, tr.get("schedule"), epoch - 1, optimizer.iterations, state["history"])
            optimizer.set_lr(lr)
            optimizer.zero_grad(set_to_none=True)
            ys = net(inputs)
            total, losses = batch_losses(ys, targets, True)
            if not torch.isfinite(total):
                print("train.py: error: the loss became %s at epoch %d; try a lower learning rate or check the data's scale" % (float(total), epoch), file=sys.stderr)
                return 3
            total.backward()
            optimizer.step()
            totals.add(total, losses, ys, targets, len(next(iter(targets.values()))))
        totals.reduce()
        metrics = totals.results("", metric_spec)
        if val_data is not None:
            net.eval()
            vt = Totals(outputs, device)
            rows = list(range(rank, val_data.count, world))
            with torch.no_grad():
                for start in range(0, len(rows), per_rank):
                    part = val_data.subset(rows[start:start + per_rank])
                    inputs = {k: torch.from_numpy(v).to(device) for k, v in part.inputs.items()}
                    targets = {k: torch.from_numpy(v).to(device) for k, v in part.targets.items()}
                    ys = model(inputs)
                    total, losses = batch_losses(ys, targets, False)
                    vt.add(total, losses, ys, targets, part.count)
            vt.reduce()
            with torch.no_grad():
                pen = penalty(model, kernels, reg)
            metrics.update(vt.results("val_", metric_spec, float(pen) if pen is not None else 0.0))
        monitored = metrics["val_loss"] if val_data is not None else metrics["loss"]
        state["history"].append(monitored)
        improved = monitored < state["best_loss"]
        if improved:
            state["best_loss"], state["best_epoch"], state["wait"] = monitored, epoch, 0
            if patience is not None:
                state["best_state"] = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        else:
            state["wait"] += 1
        seconds = max(time.time() - started, 1e-9)
        event = dict({"epoch": epoch}, **metrics)
        event["lr"] = lr
        event["samples_per_s"] = round(train_data.count / seconds, 1)
        state["epoch"] = epoch
        state["log"].append(event)
        if rank == 0:
            tmp = ckpt_path + ".tmp"
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "state": state}, tmp)
            os.replace(tmp, ckpt_path)
            if args.json:
                print(json.dumps(event, separators=(",", ":")), flush=True)
            else:
                shown = "  ".join("%s %.4g" % (k, v) for k, v in metrics.items())
                print("epoch %d/%d  %s  lr %.4g  (%.1fs, checkpoint %s)" % (epoch, args.epochs, shown, lr, seconds, ckpt_path), flush=True)
        if patience is not None and state["wait"] >= patience and epoch < args.epochs:
            stopped = "early-stopping"
            break

    if patience is not None and state.get("best_state") is not None:
        model.load_state_dict(state["best_state"])
        log(rank, "restored the weights of epoch %d (best %s %.4g)" % (state["best_epoch"], "val_loss" if val_data is not None else "loss", state["best_loss"]))
    if rank == 0:
        meta = {"format": "pt", "netspec_model": config["model"], "labels": json.dumps({k: v for k, v in (train_data.labels or {}).items()}), "epoch": str(state["epoch"])}
        netspec_model.save_safetensors(os.path.join(args.checkpoint_dir, "weights.safetensors"), model.state_dict(), meta)
        netspec_model.save_safetensors(os.path.join(args.checkpoint_dir, config["model"] + ".safetensors"), engine_weights(model, config),
                                       {"format": "netspec", "model": config["model"], "labels": meta["labels"], "epoch": meta["epoch"]})
        print("%s after epoch %d: wrote %s" % ("stopped early" if stopped == "early-stopping" else "done", state["epoch"], os.path.join(args.checkpoint_dir, "weights.safetensors")), file=sys.stderr, flush=True)
    if distributed:
        dist.barrier()
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
