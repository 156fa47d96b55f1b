"""One training epoch of the RNN classifier on MNIST read row by row, against PyTorch CPU.

Ours: ``RecurrentNetwork(cell=..., hidden_size=128)`` fitted for one epoch on the first
``--rows`` images of the bundled MNIST test set (28 steps of 28 pixels, Adam, batch 64,
gradient-norm clipping at 5), the whole classifier path included (sequence encoding,
fit loop, clipping). Theirs: ``torch.nn.LSTM``/``GRU`` + ``Linear`` with the same
optimizer, batch size, clipping and pixel scaling, in the same process with the same
number of threads. The last line is ``ratio: R`` (our epoch time / PyTorch's); goal
<= 0.9 (issue 20). ``--cpu-time`` times both sides by CPU time (a loaded, shared machine).
"""

from __future__ import annotations

import numpy as np
from _common import compare, machine_line, parse_args, print_ratio, require_torch, threads
from engine_rnn import print_lstm_floor


def main() -> None:
    args = parse_args(__doc__, repeat=2, rows=8000, hidden=128, batch_size=64, lr=0.002,
                      cell="lstm")
    torch = require_torch()
    from workbench.classifiers.rnn import RecurrentNetwork
    from workbench.data.catalog import load_bundled

    data = load_bundled("mnist-test").select_rows(slice(0, args.rows))
    x = (data.X[:, :-1] / 255.0).astype(np.float32).reshape(-1, 28, 28)
    y = data.class_values.astype(np.int64)
    print(f"RNN classifier, {args.cell} 28x28 -> {args.hidden} -> 10, {args.rows} MNIST "
          f"rows, batch {args.batch_size}, Adam lr {args.lr}, {args.threads} thread(s); "
          f"{machine_line()}")

    def ours(rows: int = args.rows) -> None:
        RecurrentNetwork(cell=args.cell, hidden_size=args.hidden, epochs=1,
                         batch_size=args.batch_size, learning_rate=args.lr, clip_norm=5.0,
                         seed=0, device="cpu").fit(data.select_rows(slice(0, rows)))

    def theirs(rows: int = args.rows) -> None:
        torch.manual_seed(0)
        tx, ty = torch.from_numpy(x[:rows]), torch.from_numpy(y[:rows])
        rnn = (torch.nn.LSTM if args.cell == "lstm" else torch.nn.GRU)(
            28, args.hidden, batch_first=True)
        head = torch.nn.Linear(args.hidden, 10)
        params = [*rnn.parameters(), *head.parameters()]
        opt = torch.optim.Adam(params, lr=args.lr)
        for idx in torch.randperm(len(tx)).split(args.batch_size):
            states, _ = rnn(tx[idx])
            loss = torch.nn.functional.cross_entropy(head(states[:, -1]), ty[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 5.0)
            opt.step()

    with threads(args.threads, torch):
        ours_time, their_time = compare(ours, theirs, args.repeat,
                                        warmup=(lambda: ours(512), lambda: theirs(512)))
        if args.cell == "lstm":
            print_lstm_floor(torch, their_time, args.rows, args.batch_size, 28, 28,
                             args.hidden, args.repeat)
    print_ratio(ours_time, their_time)


if __name__ == "__main__":
    main()
