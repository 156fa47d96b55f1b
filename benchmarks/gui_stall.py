"""How long the Explorer's GUI thread stalls while an MLP trains, and how fast Stop acts.

The window must never freeze: a person notices a pause of about 100 ms, so that is the
budget. A 10 ms timer ticks on the GUI thread while the Explorer trains a multilayer
perceptron on the bundled digits (its loss curve drawn live), once plainly, once with
the *Watch weights* window redrawing the hidden units, and once with its *Dynamics* tab
shown (three hidden layers of 100, batches of 8, ``--dynamics-epochs`` epochs; the run
records every 10 steps, as runs started with the window open do, so the window redraws
a growing recording of about 20 records an epoch), and once more on iris with the
Dynamics tab shown and the tiny network a learner starts with (8-8, batches of 8,
``--iris-epochs`` epochs): its worker hardly ever leaves the interpreter, the case
``gui/gui_turn.py`` is for. The longest gap between two ticks (or between the last
tick and the run's end) is the longest stall. Then a long training run is stopped
(Run > Stop) and two times are taken: until the window handles its next event, and
until the run has ended.

The tests check what can be checked exactly (training on a worker thread, reports
handled on the GUI thread, Stop not waiting for the worker); the figures depend on the
machine and its load, so they are measured here. Each figure is the best of
``--repeat`` runs, as a busy machine only ever adds to it.

Then MNIST-shaped data (10 000 x 785, made here) replaces the digits, as Remove, a
filter or Undo replace the data, and the Visualize tab is shown: the longest gap of the
timer in each (the attribute list and the class boxes refilled; the matrix's default
columns chosen and its first points placed).

The last line is ``ratio: R``: the worst of the stalls and the Stop response divided by
the 100 ms budget (below 1 the budget is kept). The time until the run has ended is
printed for information: it depends on how often the learner checks for cancellation.

Run: ``.venv/bin/python benchmarks/gui_stall.py [--epochs 15] [--repeat 2]``
(offscreen when there is no display).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import machine_line  # also puts the checkout on the path

BUDGET = 0.100  # seconds
MIN_MEASURED = 0.2  # seconds a run must go on after the first redraw to measure its stall


def _explorer(folder: str) -> Any:
    """An Explorer with its settings in ``folder``, shown, with the digits loaded."""
    from PySide6.QtCore import QSettings

    from workbench.data.catalog import bundled_path
    from workbench.gui.explorer import window as window_module

    settings = QSettings(str(Path(folder) / "explorer.ini"), QSettings.Format.IniFormat)
    window_module.explorer_settings = lambda: settings  # keep the user's settings out
    window = window_module.ExplorerWindow(settings=settings)
    window.resize(1100, 760)
    window.show()
    _open(window, bundled_path("digits"))
    window.classify.use_training.setChecked(True)
    return window


def _open(window: Any, path: Path) -> None:
    from workbench.gui.screenshot import wait_until

    window.open_file(str(path))
    if not wait_until(lambda: window.load_job is None, 120) or window.dataset is None:
        raise SystemExit(f"{path.name} did not load")


def longest_stall(window: Any, epochs: int, watch: bool, page: str = "",
                  net: tuple[int, ...] = (100, 100, 100)) -> float | None:
    """The longest gap between two ticks of a 10 ms GUI timer during one training run;
    with ``page`` the Watch window is open before the run starts (so it records its
    dynamics) and shows that tab, and the network has the hidden layers ``net``."""
    from PySide6.QtCore import QTimer

    from workbench.gui.screenshot import wait_until

    settings: dict[str, Any] = {"epochs": epochs, "hidden_layers": (32,)}
    if page:  # a deeper net, as the lessons watch: four lines per plot, slower epochs
        settings.update(hidden_layers=net, batch_size=8)
        view = window.classify.watch_weights()
    window.classify.choose("mlp", settings)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    if not window.classify.start():
        raise SystemExit(window.classify.progress_label.text())
    if page:
        # The window follows this run's model (the pages of the last run's are gone).
        wait_until(lambda: (page in view.pages.slots and view.model is not None
                            and getattr(view.model, "history_", None) is None)
                   or not window.classify.running, 60)
        slot = view.pages.slots.get(page)
        if slot is not None:
            view.tabs.setCurrentWidget(slot)
        # Building the page happens once per run (over several event-loop turns); what
        # is measured is the redrawing of a growing recording while the model trains.
        wait_until(lambda: getattr(slot.page, "redraws", 0) >= 1
                   or not window.classify.running, 60)
    elif watch:
        # Opening the window and building its first page happen once per run; what is
        # measured is the redrawing while the model trains.
        view = window.classify.watch_weights()
        wait_until(lambda: view.refreshes >= 1 or not window.classify.running, 60)
    last[0] = started = time.perf_counter()
    timer.start()
    wait_until(lambda: not window.classify.running, 600, step_ms=1)
    timer.stop()
    ended = time.perf_counter()
    gaps.append(ended - last[0])
    # A run that ended before the window's first redraw measured nothing (not a stall
    # of zero): it does not count.
    return max(gaps) if ended - started >= MIN_MEASURED else None


def mnist_shaped(rows: int = 10_000, seed: int = 0) -> Any:
    """Data shaped as MNIST's test set: 784 pixels, blank in a border, and a class."""
    import numpy as np

    from workbench.data.dataset import Attribute, Dataset

    rng = np.random.default_rng(seed)
    X = np.zeros((rows, 785))
    inner = [r * 28 + c for r in range(4, 24) for c in range(4, 24)]
    X[:, inner] = rng.integers(0, 256, (rows, len(inner)))
    X[:, 784] = rng.integers(0, 10, rows)
    attributes = [Attribute.numeric(f"pixel_{j // 28}_{j % 28}") for j in range(784)]
    attributes.append(Attribute.nominal("class", [str(d) for d in range(10)]))
    return Dataset("mnist-shaped", attributes, X, class_index=784)


def data_change_stalls(window: Any) -> tuple[float, float]:
    """The longest gaps of a 10 ms GUI timer while MNIST-shaped data replaces the
    Explorer's (as Remove, a filter or Undo replace it: the attribute list and the
    class boxes refilled), and while the Visualize tab is then first shown (its
    default columns chosen, the matrix placed over event-loop turns)."""
    from PySide6.QtCore import QTimer

    from workbench.gui.screenshot import wait_until

    data = mnist_shaped()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    def timed(action: Any, done: Any) -> float:
        gaps.clear()
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(tick)
        last[0] = time.perf_counter()
        timer.start()
        action()
        wait_until(done, 60, step_ms=1)
        settle = time.perf_counter() + 0.3   # what the change left for the next turns
        wait_until(lambda: time.perf_counter() > settle, 5, step_ms=1)
        timer.stop()
        return max(gaps)

    window.tabs.setCurrentWidget(window.preprocess)
    replaced = timed(lambda: window.replace_dataset(data, "mnist-shaped data"), lambda: True)
    shown = timed(lambda: window.tabs.setCurrentWidget(window.visualize),
                  lambda: not window.visualize.drawing)
    window.tabs.setCurrentWidget(window.classify)
    return replaced, shown


def best(stalls: list[float | None], what: str) -> float:
    """The shortest of the measured stalls (a busy machine only ever adds to them)."""
    measured = [s for s in stalls if s is not None]
    if not measured:
        raise SystemExit(f"no run lasted long enough to measure the stall {what}: "
                         f"give more --epochs")
    return min(measured)


def stop_times(window: Any) -> tuple[float, float]:
    """Seconds from Stop until the window handles its next event, and until the run ended."""
    from PySide6.QtCore import QTimer

    from workbench.gui.screenshot import wait_until

    window.classify.choose("mlp", {"epochs": 100000, "hidden_layers": (32,)})
    if not window.classify.start():
        raise SystemExit(window.classify.progress_label.text())
    wait_until(lambda: len(window.classify.curve.series["loss"]) >= 2, 120)
    responded: list[float] = []
    started = time.perf_counter()
    window.classify.stop()  # what Run > Stop and Esc call
    QTimer.singleShot(0, lambda: responded.append(time.perf_counter() - started))
    wait_until(lambda: bool(responded), 60, step_ms=1)
    wait_until(lambda: not window.classify.running, 60, step_ms=1)
    return responded[0], time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=15, help="epochs of each timed run")
    parser.add_argument("--dynamics-epochs", type=int, default=40,
                        help="epochs of each run with the Dynamics tab shown")
    parser.add_argument("--iris-epochs", type=int, default=1500,
                        help="epochs of each run on iris with the Dynamics tab shown")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    args = parser.parse_args()

    from workbench.data.catalog import bundled_path
    from workbench.gui.app import application

    app = application()
    with tempfile.TemporaryDirectory() as folder:
        window = _explorer(folder)
        repeat = range(max(1, args.repeat))
        plain = best([longest_stall(window, args.epochs, watch=False) for _ in repeat],
                     "while training")
        watching = best([longest_stall(window, args.epochs, watch=True) for _ in repeat],
                        "with the weights shown")
        dynamics = best([longest_stall(window, args.dynamics_epochs, watch=True,
                                       page="Dynamics")
                         for _ in repeat], "with the dynamics shown")
        stops = [stop_times(window) for _ in repeat]
        changes = [data_change_stalls(window) for _ in repeat]
        _open(window, bundled_path("iris"))
        tiny = best([longest_stall(window, args.iris_epochs, watch=True, page="Dynamics",
                                   net=(8, 8))
                     for _ in repeat], "on iris with the dynamics shown")
        replaced = min(c[0] for c in changes)
        shown = min(c[1] for c in changes)
        response = min(s[0] for s in stops)
        ended = min(s[1] for s in stops)
        window.close()
        app.processEvents()
    print(machine_line())
    print(f"MLP on digits, {args.epochs} epochs, 32 hidden units, best of {len(repeat)}:")
    print(f"  longest GUI stall while training:                  {plain * 1000:6.1f} ms")
    print(f"  longest GUI stall while training, weights shown:   {watching * 1000:6.1f} ms")
    print(f"  longest GUI stall while training, dynamics shown:  {dynamics * 1000:6.1f} ms "
          f"({args.dynamics_epochs} epochs, 100-100-100)")
    print(f"  longest GUI stall, iris 8-8, dynamics shown:       {tiny * 1000:6.1f} ms "
          f"({args.iris_epochs} epochs, batches of 8)")
    print(f"MNIST-shaped data (10000 x 785), best of {len(repeat)}:")
    print(f"  longest GUI stall when it replaces the data:       {replaced * 1000:6.1f} ms")
    print(f"  longest GUI stall when Visualize is first shown:   {shown * 1000:6.1f} ms")
    print(f"  Stop: the window handles its next event after      {response * 1000:6.1f} ms")
    print(f"  Stop: the run has ended after                      {ended * 1000:6.1f} ms")
    print(f"budget: {BUDGET * 1000:.0f} ms")
    worst = max(plain, watching, dynamics, tiny, replaced, shown, response)
    print(f"ratio: {worst / BUDGET:.3f}")


if __name__ == "__main__":
    main()
