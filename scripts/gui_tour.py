"""Walk through every window under a real X server and save screenshots of what a user sees.

Usage::

    .venv/bin/python scripts/gui_tour.py [--sizes 1280x800,1920x1080] [--out docs/images]
                                         [--only explorer,flow] [--timeout 600]

Why a real X server: the tests run Qt's ``offscreen`` platform, which hides what a user
meets (clipped labels, plots 15 px high, fonts, window sizes). This script starts its own
``Xvfb`` per screen size, runs Qt's ``xcb`` platform on it, and lets each tour module drive
a window through Qt's own test API (QTest clicks and keys, ``QWidget.grab()``).

Calling convention for a tour module (the contract every ``scripts/tour/*.py`` follows):

* The runner executes every ``scripts/tour/*.py`` whose name does not start with ``_``,
  each as its own subprocess (``python scripts/tour/NAME.py --size WxH --out DIR``), once
  per screen size, with ``DISPLAY`` set to the Xvfb display, ``QT_QPA_PLATFORM=xcb``,
  and the repository root as the working directory and on ``PYTHONPATH``.
* ``--size WxH``: the screen size; the module makes its window that size (maximised).
* ``--out DIR``: where to write screenshots, named ``tour-<WxH>-<module>-<what>.png``
  (e.g. ``tour-1280x800-explorer-preprocess.png``). ``scripts/tour/_common.py`` has
  ``Tour.shot(widget, what)`` which builds exactly this name.
* The module prints one line per screenshot it saved and one line ``FAIL: ...`` per
  expectation that did not hold (``Tour.check``); it exits 0 when all checks held,
  1 otherwise. A crash (traceback, exit 134) counts as a failure of that module.
* A module must finish within ``--timeout`` seconds (default 600) or it is killed.

When ``Xvfb`` is missing (``apt install xvfb``) the tour prints why and exits 0 without
screenshots: it is a script for people and the lead, not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOUR_DIR = ROOT / "scripts" / "tour"


def tour_modules(only: list[str] | None) -> list[Path]:
    """Every tour module, in name order; ``only`` keeps the named ones."""
    modules = sorted(p for p in TOUR_DIR.glob("*.py") if not p.name.startswith("_"))
    if only:
        modules = [p for p in modules if p.stem in only]
    return modules


class Xvfb:
    """A private X server of the given size; ``-displayfd`` tells us its number once ready."""

    def __init__(self, width: int, height: int) -> None:
        read_fd, write_fd = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def run_module(module: Path, size: str, out: Path, display: str, timeout: float) -> bool:
    env = dict(os.environ)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb")
    env.pop("WAYLAND_DISPLAY", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.monotonic()
    print(f"== {module.stem} at {size} on {display}", flush=True)
    try:
        result = subprocess.run([sys.executable, str(module), "--size", size, "--out", str(out)],
                                cwd=ROOT, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"FAIL: {module.stem} at {size}: killed after {timeout:g} s", flush=True)
        return False
    took = time.monotonic() - started
    ok = result.returncode == 0
    print(f"== {module.stem} at {size}: {'ok' if ok else f'exit {result.returncode}'} "
          f"({took:.0f} s)", flush=True)
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1280x800,1920x1080")
    parser.add_argument("--out", default=str(ROOT / "docs" / "images"))
    parser.add_argument("--only", default="", help="comma-separated module names")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    if shutil.which("Xvfb") is None:
        print("gui tour skipped: Xvfb not found (install it: apt install xvfb)")
        return 0
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    modules = tour_modules([m for m in args.only.split(",") if m])
    if not modules:
        print("gui tour: no tour modules matched")
        return 1
    failures: list[str] = []
    for size in args.sizes.split(","):
        width, height = (int(v) for v in size.lower().split("x"))
        server = Xvfb(width, height)
        try:
            for module in modules:
                if not run_module(module, size, out, server.display, args.timeout):
                    failures.append(f"{module.stem} at {size}")
        finally:
            server.close()
    if failures:
        print("gui tour: failed: " + ", ".join(failures))
        return 1
    print(f"gui tour: all modules passed; screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
