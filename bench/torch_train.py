# PyTorch CPU peer for bench/train_bench.ts: the same two models (MLP 784-128-64-10 and the
# CNN c16-p-c32-p-d10), batch 64, Adam (lr 0.001, Keras epsilon), cross-entropy on logits,
# synthetic data cycled over 4 batches, the loss read back every step. Prints one JSON
# object: {"threads": T, "mlp": samples/s, "cnn": samples/s} for each thread count given
# (default 1 and 2). Run: .cache/torch-venv/bin/python bench/torch_train.py 1 2
import json
import sys
import time

import torch
from torch import nn

BATCH = 64
BATCHES = 4
WARMUP = 3
TIMINGS = 9
TIMING_MS = 250


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def cnn():
    # NCHW here; the layer sizes and parameter count match the NHWC model in train_bench.ts.
    return nn.Sequential(
        nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 5 * 5, 10),
    )


def samples_per_second(model, shape):
    torch.manual_seed(1)
    x = torch.rand(BATCHES * BATCH, *shape)
    y = torch.randint(0, 10, (BATCHES * BATCH,))
    opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    step_i = [0]

    def step():
        k = step_i[0] % BATCHES
        step_i[0] += 1
        xb, yb = x[k * BATCH:(k + 1) * BATCH], y[k * BATCH:(k + 1) * BATCH]
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()

    t0 = time.perf_counter()
    for i in range(WARMUP):
        if i == 1:
            t0 = time.perf_counter()
        step()
    step_ms = (time.perf_counter() - t0) * 1000 / (WARMUP - 1)
    per = max(1, min(50, round(TIMING_MS / max(step_ms, 1e-3))))
    times = []
    for _ in range(TIMINGS):
        t = time.perf_counter()
        for _ in range(per):
            step()
        times.append((time.perf_counter() - t) / per)
    times.sort()
    return BATCH / times[len(times) // 2]


def main():
    counts = [int(a) for a in sys.argv[1:]] or [1, 2]
    for threads in counts:
        torch.set_num_threads(threads)
        out = {"threads": threads, "torch": torch.__version__}
        out["mlp"] = samples_per_second(mlp(), (784,))
        out["cnn"] = samples_per_second(cnn(), (1, 28, 28))
        print(json.dumps(out), flush=True)


main()
