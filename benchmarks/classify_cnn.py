"""The CNN classifier's training epoch vs the same network in PyTorch, CPU, same run.

Ours is the whole ``ConvolutionalNetwork.fit`` for one epoch with its defaults (LeNet
conv(20,5)-pool(2)-conv(50,5)-pool(2)-dense(500), ReLU, dropout 0.5 before the output,
Adam lr 0.001, batch 64), so the time includes what a user waits for: geometry, pixel
scaling, the move to the device and the training loop. PyTorch trains the same layers
with the same optimizer, batch size and dropout on the same scaled images. Data are
synthetic seeded 28x28 digit-like images (``--rows``, 6 400 by default) with 0-255
pixels named pixel_r_c, as in the bundled MNIST file; ``--mnist`` uses the first
``--rows`` rows of the bundled MNIST set instead. Ends with ``ratio: R`` (ours / PyTorch;
best of three repeats by default; goal <= 0.9).
"""

from __future__ import annotations

import numpy as np
from _common import compare, machine_line, parse_args, print_ratio, require_torch, threads


def synthetic(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """0-255 images: a random prototype per class, blurred noise on top."""
    rng = np.random.default_rng(seed)
    prototypes = (rng.random((10, 28, 28)) > 0.7).astype(np.float64)
    y = rng.integers(0, 10, rows)
    x = np.clip(prototypes[y] * 200 + rng.random((rows, 28, 28)) * 80, 0, 255)
    return np.round(x).reshape(rows, 784), y


def bundled(rows: int) -> tuple[np.ndarray, np.ndarray]:
    from workbench.data.catalog import load_bundled

    data = load_bundled("mnist-test")
    X = data.dense_values()[:rows]
    pixels = [i for i in range(data.num_attributes) if i != data.class_index]
    return X[:, pixels], X[:, data.class_index].astype(np.int64)


def main() -> None:
    args = parse_args(__doc__, repeat=3, rows=6400, mnist=0)
    torch = require_torch()
    from workbench.classifiers.cnn import ConvolutionalNetwork
    from workbench.data.dataset import Attribute, Dataset

    pixels, labels = bundled(args.rows) if args.mnist else synthetic(args.rows)
    attributes = [Attribute.numeric(f"pixel_{r}_{c}") for r in range(28) for c in range(28)]
    attributes.append(Attribute.nominal("class", [str(d) for d in range(10)]))
    data = Dataset("digits", attributes, np.column_stack([pixels, labels]), class_index=784)
    model = ConvolutionalNetwork(epochs=1, device="cpu")
    print(f"CNN classifier {model.architecture} + dropout {model.dropout}, "
          f"{args.rows} rows of 28x28, batch {model.batch_size}, {model.optimizer} lr "
          f"{model.learning_rate}, {args.threads} thread(s); {machine_line()}")

    def ours(data: Dataset = data) -> None:
        model.clone().fit(data)

    def theirs(pixels: np.ndarray = pixels, labels: np.ndarray = labels) -> None:
        nn = torch.nn
        torch.manual_seed(0)
        x = torch.from_numpy((pixels / 255.0).astype(np.float32).reshape(-1, 1, 28, 28))
        y = torch.from_numpy(labels.astype(np.int64))
        net = nn.Sequential(
            nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(800, 500), nn.ReLU(), nn.Dropout(0.5), nn.Linear(500, 10))
        opt = torch.optim.Adam(net.parameters(), lr=0.001)
        net.train()
        for idx in torch.randperm(len(x)).split(64):
            loss = nn.functional.cross_entropy(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()

    with threads(args.threads, torch):
        warm = min(len(labels), 512)
        ours_time, their_time = compare(
            ours, theirs, args.repeat,
            warmup=(lambda: ours(data.select_rows(slice(0, warm))),
                    lambda: theirs(pixels[:warm], labels[:warm])))
    print(f"per epoch of {args.rows} images")
    print_ratio(ours_time, their_time)


if __name__ == "__main__":
    main()
