"""Makes ``import torch`` fail, to run the engine tests as CI does (no torch installed):

    PYTHONPATH=tests/engine/hide_torch .venv/bin/python -m pytest -rs tests/engine

so that a torch comparison that would skip, or reach for torch, shows up here."""

from __future__ import annotations

import sys
from importlib.abc import MetaPathFinder


class _NoTorch(MetaPathFinder):
    """Refuses torch and its submodules as if it were not installed."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "torch" or fullname.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden)", name=fullname)
        return None


sys.meta_path.insert(0, _NoTorch())
