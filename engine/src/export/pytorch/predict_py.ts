// predict.py of the PyTorch export: netspec predict's output from the exported module. The
// JSON lines are formatPredictions' (cli/src/predict.ts): keys index, outputs, class; values
// rounded with toPrecision(7) and printed as JavaScript prints numbers.

export const PREDICT_PY = String.raw`"""Predictions of the exported netspec model, printed as netspec predict prints them.

usage: python predict.py --data FILE [--weights W] [--json] [--batch-size N] [--device D]

FILE is a .csv, .json, .npy or IDX images file, read the way the model's train block reads
its data (target columns are ignored). With --json, one object per sample and line:
  {"index": i, "outputs": {"NAME": [values...]}, "class": LABEL_OR_INDEX}
"""
import argparse
import json
import os
import sys
from decimal import Decimal

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import data as netspec_data  # noqa: E402
import model as netspec_model  # noqa: E402


def js_number(x):
    """A float as JavaScript's Number.prototype.toString writes it (JSON.stringify's numbers)."""
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    _, digits, exp = Decimal(repr(abs(x))).normalize().as_tuple()
    d = "".join(map(str, digits))
    k = len(d)
    n = k + exp
    if k <= n <= 21:
        s = d + "0" * (n - k)
    elif 0 < n <= 21:
        s = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        s = "0." + "0" * (-n) + d
    else:
        e = n - 1
        s = (d if k == 1 else d[0] + "." + d[1:]) + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + s


def precision(x, digits):
    """Number(x.toPrecision(digits))."""
    return float("%.*g" % (digits, x))


def dumps(v):
    """JSON.stringify for dicts, lists, strings and numbers (no spaces)."""
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(x) for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ",".join(dumps(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return js_number(v)
    return json.dumps(v, ensure_ascii=False)


def load_config():
    with open(os.path.join(HERE, "netspec.json"), encoding="utf-8") as f:
        return json.load(f)


def predict(model, dataset, config, batch_size=256, device="cpu"):
    """{output name: float32 array [N, ...]} in inference mode."""
    model.eval()
    outs = {o["name"]: [] for o in config["outputs"]}
    with torch.no_grad():
        for start in range(0, dataset.count, batch_size):
            batch = {k: torch.from_numpy(np.ascontiguousarray(v[start:start + batch_size])).to(device) for k, v in dataset.inputs.items()}
            y = model(batch)
            for name in outs:
                outs[name].append(y[name].float().cpu().numpy())
    return {k: np.concatenate(v) if v else np.zeros((0,)) for k, v in outs.items()}


def format_lines(outputs, count, config, as_json):
    labels = config.get("labels") or {}
    lines = []
    for i in range(count):
        outs, classes = {}, {}
        for o in config["outputs"]:
            row = outputs[o["name"]][i].reshape(-1).astype(np.float64)
            outs[o["name"]] = [precision(float(v), 7) for v in row]
            if o["classifier"]:
                k = int(np.argmax(row))
                names = labels.get(o["name"])
                classes[o["name"]] = names[k] if names and k < len(names) else k
        cls = None if not classes else (list(classes.values())[0] if len(classes) == 1 else classes)
        if as_json:
            obj = {"index": i, "outputs": outs}
            if cls is not None:
                obj["class"] = cls
            lines.append(dumps(obj))
        else:
            text = ["%s=[%s]" % (k, ", ".join(js_number(precision(x, 4)) for x in v)) for k, v in outs.items()]
            c = ["%sclass %s" % (n + " " if len(classes) > 1 else "", classes[n]) for n in classes]
            lines.append("%d: %s" % (i, "  ".join(c + text)))
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description="Predictions of the exported model, as netspec predict prints them.")
    p.add_argument("--data", required=True, help="a .csv, .json, .npy or IDX images file")
    p.add_argument("--weights", default=os.path.join(HERE, "weights.safetensors"), help="safetensors in this module's names (default: the exported weights; train.py writes CHECKPOINT_DIR/weights.safetensors)")
    p.add_argument("--json", action="store_true", help="one JSON object per sample and line")
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--device", default="cpu")
    args = p.parse_args(argv)
    config = load_config()
    # Labels travel with the weights (as in netspec): a file train.py wrote knows the training labels.
    _, meta = netspec_model.load_safetensors(args.weights)
    try:
        labels = json.loads(meta.get("labels") or "null")
        if isinstance(labels, dict) and any(v for v in labels.values()):
            config["labels"] = labels
    except ValueError:
        pass
    try:
        dataset = netspec_data.load_prediction(args.data, config)
    except netspec_data.DataError as e:
        print("predict.py: error: %s" % e, file=sys.stderr)
        return 2
    model = netspec_model.build_model(args.weights, args.device)
    outputs = predict(model, dataset, config, args.batch_size, args.device)
    lines = format_lines(outputs, dataset.count, config, args.json)
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
