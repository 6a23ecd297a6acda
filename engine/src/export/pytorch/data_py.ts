// data.py of the PyTorch export: reads the train block's data sources the way the engine
// does (engine/src/data): csv and json tables (features fill the inputs row-major, string
// targets become indices into the sorted labels), npy, idx (pixel bytes / 255, gzip or
// not) and images(DIR) (PIL when importable); the seeded validation split is the engine's
// (the same counter-based generator, so the same rows are held out).

export const DATA_PY = String.raw`"""Data sources of the exported netspec model, read as netspec reads them.

load_training(config) -> (train, validation) as ArrayData; load_prediction(path, config)
reads a .csv, .json, .npy or IDX file the way netspec predict does (targets ignored).
"""
import csv
import gzip
import json
import math
import os

import numpy as np

try:  # torch only for the Dataset base class: the readers themselves need numpy alone
    from torch.utils.data import Dataset as _Dataset
except ImportError:  # pragma: no cover
    _Dataset = object


class DataError(Exception):
    """A data file that does not fit the model; the message names the file and the fix."""


class ArrayData(_Dataset):
    """count samples: inputs {name: array [N, ...]} and targets {name: array [N, ...]}."""

    def __init__(self, count, inputs, targets, labels=None):
        self.count = count
        self.inputs = inputs
        self.targets = targets
        self.labels = labels or {}

    def __len__(self):
        return self.count

    def __getitem__(self, i):
        return ({k: v[i] for k, v in self.inputs.items()}, {k: v[i] for k, v in self.targets.items()})

    def subset(self, rows):
        rows = np.asarray(rows, dtype=np.int64)
        return ArrayData(len(rows), {k: v[rows] for k, v in self.inputs.items()}, {k: v[rows] for k, v in self.targets.items()}, self.labels)


# ---- the engine's seeded generator (engine/src/rng.ts), for the validation split ----

_M = 0xFFFFFFFF


def _mix32(x):
    x = (x ^ (x >> 16)) & _M
    x = (x * 0x7FEB352D) & _M
    x = (x ^ (x >> 15)) & _M
    x = (x * 0x846CA68B) & _M
    return (x ^ (x >> 16)) & _M


def _uniform01(seed, stream, index):
    h = _mix32((seed & _M) ^ 0x9E3779B9)
    h = _mix32((h ^ (stream & _M)) & _M)
    return (_mix32((h ^ (index & _M)) & _M) >> 8) / 16777216.0


def shuffled_order(n, seed, stream, start=0):
    """engine/src/data/dataset.ts shuffledOrder: Fisher-Yates over the generator's draws from counter start."""
    order = list(range(n))
    counter = start
    for i in range(n - 1, 0, -1):
        j = int(math.floor(_uniform01(seed, stream, counter) * (i + 1)))
        counter += 1
        order[i], order[j] = order[j], order[i]
    return order


class EngineBatches:
    """The engine's epoch order (netspec train's: one seeded Fisher-Yates shuffle per epoch from
    the stream 0x5348, each consuming count - 1 draws) cut into global batches of batch_size;
    rank r of W takes rows r, r + W, ... of each batch (a rank left with none repeats the
    batch's first row, so every rank takes the same number of steps)."""

    def __init__(self, count, batch_size, seed, rank=0, world=1):
        self.count, self.batch_size, self.seed, self.rank, self.world = count, batch_size, seed, rank, world
        self.epoch = 1

    def set_epoch(self, epoch):
        self.epoch = epoch

    def __len__(self):
        return -(-self.count // self.batch_size)

    def __iter__(self):
        order = shuffled_order(self.count, self.seed, 0x5348, (self.epoch - 1) * max(self.count - 1, 0))
        for k in range(0, self.count, self.batch_size):
            rows = order[k:k + self.batch_size]
            yield rows[self.rank::self.world] or rows[:1]


def split_validation(data, fraction, seed):
    """The engine's split: a seeded shuffle, the first round(count * fraction) rows held out."""
    if not (0 < fraction < 1) or data.count < 2:
        raise DataError("%d sample(s) cannot be split into training and validation; add data or remove validation" % data.count)
    order = shuffled_order(data.count, seed, 0x5E1A)
    held = min(max(int(math.floor(data.count * fraction + 0.5)), 1), data.count - 1)
    return data.subset(order[held:]), data.subset(order[:held])


# ---- tables (csv, json) ----

def _size(shape):
    n = 1
    for d in shape:
        if d is None:
            return None
        n *= d
    return n


def _read_csv(path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            records = [r for r in csv.reader(f) if r not in ([], [""])]
    except OSError as e:
        raise DataError("%s: cannot read the CSV file (%s)" % (path, e.strerror))
    if not records:
        raise DataError("%s: the file is empty; a CSV needs a header row and at least one data row" % path)
    header = [h.strip() for h in records[0]]
    rows = records[1:]
    for i, r in enumerate(rows):
        if len(r) != len(header):
            raise DataError("%s: row %d has %d fields but the header has %d" % (path, i + 2, len(r), len(header)))
    return header, rows


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise DataError("%s: cannot read the JSON file (%s)" % (path, e))
    if not isinstance(data, list) or not data:
        raise DataError("%s: expected a non-empty JSON array of records" % path)
    columns = []
    for rec in data:
        if not isinstance(rec, dict):
            raise DataError("%s: every element must be an object of column values" % path)
        for k in rec:
            if k not in columns:
                columns.append(k)
    rows = []
    for rec in data:
        row = []
        for c in columns:
            v = rec.get(c)
            row.append(v if isinstance(v, (int, float, str, bool)) else None)
        rows.append(row)
    return columns, rows


def _number(v, path, row, col):
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        x = float(v)
    else:
        s = (v or "").strip()
        if s == "":
            raise DataError('%s: row %d, column "%s" is empty; a feature needs a number' % (path, row, col))
        try:
            x = float(s)
        except ValueError:
            raise DataError('%s: row %d, column "%s" holds "%s", which is not a number' % (path, row, col, v))
    if not math.isfinite(x):
        raise DataError('%s: row %d, column "%s" is %s; NaN and infinite values cannot be trained on' % (path, row, col, v))
    return x


def _is_text(v):
    if not isinstance(v, str) or v.strip() == "":
        return False
    try:
        float(v.strip())
        return False
    except ValueError:
        return True


def _target_columns(source, config, path):
    outs = [o["name"] for o in config["outputs"]]
    t = source.get("target")
    if t is None:
        raise DataError('%s: %s(...) needs target="COLUMN"' % (path, source["kind"]))
    if isinstance(t, str):
        if len(outs) != 1:
            raise DataError("%s: target names one column, but the model has %d outputs" % (path, len(outs)))
        return [(outs[0], [t])]
    if isinstance(t, list):
        if len(outs) == 1:
            return [(outs[0], list(t))]
        if len(t) == len(outs):
            return [(o, [c]) for o, c in zip(outs, t)]
        raise DataError("%s: target lists %d columns, but the model has %d outputs" % (path, len(t), len(outs)))
    return [(o, [t[o]]) for o in outs]


def _given_targets(source):
    t = source.get("target")
    if t is None:
        return []
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return list(t)
    return list(t.values())


def _fill_inputs(features, count, config, path):
    """Splits a count x width matrix into the inputs in order, each row-major."""
    inputs = {}
    at = 0
    for inp in config["inputs"]:
        size = _size(inp["shape"])
        if size is None:
            raise DataError("%s: input %s has a symbolic size; give it fixed sizes to read data for it" % (path, inp["name"]))
        part = features[:, at:at + size]
        if inp["dtype"] == "int32":
            if not np.all(part == np.round(part)):
                raise DataError("%s: input %s takes integer ids (it is declared int)" % (path, inp["name"]))
            inputs[inp["name"]] = part.astype(np.int64).reshape([count] + inp["shape"])
        else:
            inputs[inp["name"]] = part.astype(np.float32).reshape([count] + inp["shape"])
        at += size
    return inputs


def _width(config):
    return sum(_size(i["shape"]) or 0 for i in config["inputs"])


def _table_data(columns, rows, source, config, path, with_targets, labels):
    index = {c: i for i, c in enumerate(columns)}
    given = _given_targets(source)
    features = source.get("features") or [c for c in columns if c not in given]
    for f in features:
        if f not in index:
            raise DataError('%s has no feature column "%s"; its columns are: %s' % (path, f, ", ".join(columns)))
    if len(features) != _width(config):
        raise DataError("%s has %d feature columns but the model's inputs take %d values per sample" % (path, len(features), _width(config)))
    count = len(rows)
    matrix = np.zeros((count, len(features)), dtype=np.float64)
    for r, row in enumerate(rows):
        for j, f in enumerate(features):
            matrix[r, j] = _number(row[index[f]], path, r + 2, f)
    matrix = matrix.astype(np.float32)
    data = ArrayData(count, _fill_inputs(matrix, count, config, path), {}, {})
    if not with_targets:
        return data
    slots = {o["name"]: o for o in config["outputs"]}
    for out, cols in _target_columns(source, config, path):
        slot = slots[out]
        for c in cols:
            if c not in index:
                raise DataError('%s has no target column "%s"; its columns are: %s' % (path, c, ", ".join(columns)))
        parts = []
        texts = [any(_is_text(row[index[c]]) for row in rows) for c in cols]
        out_labels = None
        if any(texts):
            if slot["kind"] == "value" and slot["loss"] != "binary_cross_entropy":
                raise DataError("%s: the target of output %s holds text, but %s needs numbers" % (path, out, slot["loss"]))
            found = sorted({str(row[index[c]]) for c, t in zip(cols, texts) if t for row in rows})
            out_labels = (labels or {}).get(out) or found
        for c, text in zip(cols, texts):
            ci = index[c]
            if text:
                values = []
                for r, row in enumerate(rows):
                    label = str(row[ci])
                    if label not in out_labels:
                        raise DataError('%s: row %d holds the label "%s", which the training data does not have (its labels: %s)' % (path, r + 2, label, ", ".join(out_labels)))
                    values.append(out_labels.index(label))
                parts.append(np.asarray(values, dtype=np.float64))
            else:
                parts.append(np.asarray([_number(row[ci], path, r + 2, c) for r, row in enumerate(rows)], dtype=np.float64))
        stacked = np.stack(parts, axis=1)
        data.targets[out] = _shape_target(stacked, slot, path, count)
        data.labels[out] = out_labels
    return data


def _shape_target(values, slot, path, count):
    shape = [count] + [d for d in slot["target_shape"]]
    if slot["kind"] == "class":
        if not np.all(values == np.round(values)) or values.min() < 0 or values.max() >= slot["units"]:
            raise DataError("%s: a target of output %s is not a class index from 0 to %d" % (path, slot["name"], slot["units"] - 1))
        return values.astype(np.int64).reshape(shape)
    return values.astype(np.float32).reshape(shape)


# ---- arrays (npy, idx, images) ----

_IDX = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path, scale):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise DataError("%s: cannot read the IDX file (%s)" % (path, e.strerror))
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX:
        raise DataError("%s: not an IDX file" % path)
    rank = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    a = np.frombuffer(raw, dtype=np.dtype(_IDX[raw[2]]), count=int(np.prod(shape)), offset=4 + 4 * rank).reshape(shape)
    if scale and raw[2] == 0x08:
        return (a.astype(np.float64) / 255.0).astype(np.float32)
    return a


def _arrays_data(features, targets, config, path, labels=None):
    count = features.shape[0]
    flat = features.reshape(count, -1)
    if flat.shape[1] != _width(config):
        raise DataError("%s has %d values per sample but the model's inputs take %d" % (path, flat.shape[1], _width(config)))
    if np.issubdtype(flat.dtype, np.floating) and not np.all(np.isfinite(flat)):
        raise DataError("%s holds NaN or infinite values; clean the array first" % path)
    data = ArrayData(count, _fill_inputs(flat.astype(np.float32), count, config, path), {}, {})
    if targets is None:
        return data
    if len(config["outputs"]) != 1:
        raise DataError("%s is one targets array, but the model has %d outputs" % (path, len(config["outputs"])))
    slot = config["outputs"][0]
    if targets.shape[0] != count:
        raise DataError("%s: %d targets for %d samples" % (path, targets.shape[0], count))
    data.targets[slot["name"]] = _shape_target(targets.reshape(count, -1).astype(np.float64), slot, path, count)
    data.labels[slot["name"]] = labels
    return data


def _images(source, config, with_targets, labels):
    try:
        from PIL import Image
    except ImportError:
        raise DataError("images(...) needs Pillow to decode PNG and JPEG files: pip install pillow")
    root = source["path"]
    h, w, c = config["inputs"][0]["shape"]
    classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    names = (list(labels.values())[0] if labels else None) or classes
    pixels, targets = [], []
    for cls in classes:
        if cls not in names:
            raise DataError('%s: the class folder "%s" is not one of the training labels' % (root, cls))
        for f in sorted(os.listdir(os.path.join(root, cls))):
            if os.path.splitext(f)[1].lower() not in (".png", ".jpg", ".jpeg"):
                continue
            img = np.asarray(Image.open(os.path.join(root, cls, f)).convert("RGBA"), dtype=np.float64)
            if img.shape[0] != h or img.shape[1] != w:
                raise DataError("%s is %dx%d but the input is %dx%d; resize the images" % (f, img.shape[0], img.shape[1], h, w))
            if c == 1:
                px = (img[..., 0] + img[..., 1] + img[..., 2]) / 3 / 255
                px = px[..., None]
            else:
                px = img[..., :c] / 255
            pixels.append(px.astype(np.float32))
            targets.append(names.index(cls))
    feats = np.stack(pixels)
    return _arrays_data(feats, np.asarray(targets) if with_targets else None, config, root, names)


def load_source(source, config, with_targets=True, labels=None):
    """One data source (the train block's dict form) as ArrayData shaped to the model."""
    kind = source["kind"]
    files = source.get("files") or {}
    if kind == "csv":
        columns, rows = _read_csv(source["path"])
        return _table_data(columns, rows, source, config, source["path"], with_targets, labels)
    if kind == "json":
        columns, rows = _read_json(source["path"])
        return _table_data(columns, rows, source, config, source["path"], with_targets, labels)
    if kind == "npy":
        feats = np.load(files["features"], allow_pickle=False)
        targets = np.load(files["targets"], allow_pickle=False) if with_targets else None
        return _arrays_data(feats, targets, config, files["features"])
    if kind == "idx":
        images = read_idx(files["images"], True)
        targets = read_idx(files["labels"], False) if with_targets else None
        return _arrays_data(images, targets, config, files["images"])
    if kind == "images":
        return _images(source, config, with_targets, labels)
    raise DataError("unknown data source " + str(kind))


def prediction_source(path, train):
    """netspec predict's reading of a file: the train block's source with the file swapped."""
    base = {"target": (train or {}).get("target"), "features": (train or {}).get("features")}
    p = path[:-3] if path.lower().endswith(".gz") else path
    ext = os.path.splitext(p)[1].lower()
    if ext == ".csv":
        return dict(kind="csv", path=path, **base)
    if ext == ".json":
        return dict(kind="json", path=path, **base)
    if ext == ".npy":
        return {"kind": "npy", "files": {"features": path}}
    if "ubyte" in path.lower() or ".idx" in path.lower():
        return {"kind": "idx", "files": {"images": path}}
    raise DataError("%s: prediction reads a .csv, .json, .npy or IDX (*-ubyte[.gz]) file" % path)


def load_prediction(path, config):
    train = config.get("train") or {}
    return load_source(prediction_source(os.path.abspath(path), train.get("data")), config, with_targets=False, labels=config.get("labels"))


def _override(source, path):
    """The source with its main file replaced (csv/json/images path, npy features, idx images)."""
    s = json.loads(json.dumps(source))
    if s["kind"] in ("csv", "json", "images"):
        s["path"] = path
    elif s["kind"] == "npy":
        s["files"]["features"] = path
        if os.path.exists(path.replace("features", "targets")) and path != path.replace("features", "targets"):
            s["files"]["targets"] = path.replace("features", "targets")
    elif s["kind"] == "idx":
        s["files"]["images"] = path
    return s


def load_training(config, data=None, validation=None, limit=None):
    """(train, validation or None) as the train block says; data/validation override the main file."""
    train = config.get("train")
    if not train or not train.get("data"):
        raise DataError("the model has no train block with data = ...; netspec needs one to train")
    source = train["data"] if data is None else _override(train["data"], os.path.abspath(data))
    full = load_source(source, config)
    if limit:
        full = full.subset(range(min(limit, full.count)))
    v = train.get("validation")
    seed = train.get("seed")
    seed = 42 if seed is None else seed
    if validation is not None:
        v = _override(v, os.path.abspath(validation)) if isinstance(v, dict) else prediction_source(os.path.abspath(validation), train["data"])
    if v is None or v == 0:
        return full, None
    if isinstance(v, (int, float)):
        return split_validation(full, float(v), seed)
    val = load_source(v, config, labels=full.labels)
    if limit:
        val = val.subset(range(min(max(limit // 4, 1), val.count)))
    return full, val
`;
