"""A model read from a file, as an entry of the Classify tab's result list.

WEKA's Explorer puts a loaded model in its result list: selecting the entry shows the
model, and its menu re-evaluates it on the current supplied test set or saves it again.
A loaded model has no evaluation yet (no predictions to draw), so it is its own kind of
entry; the result list, its menu and the report read ``is_evaluation`` to tell them
apart.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

from workbench.classifiers.base import Classifier
from workbench.data.dataset import Dataset


@dataclass(frozen=True)
class LoadedModel:
    """A model loaded from ``path``; ``text`` is what its entry shows, ``name`` how it
    is named there (as a run of the same scheme is: "MLP -N 5")."""

    path: str
    model: Classifier
    text: str
    name: str
    loaded_at: str = field(default_factory=lambda: time.strftime("%H:%M:%S"))

    @property
    def header(self) -> Dataset:
        """The header the model was trained on, its class set: what a test set must match."""
        header = self.model.header_
        assert header is not None   # load_model sets it before the model is returned
        return header

    @property
    def label(self) -> str:
        """The entry's name in the result list, as WEKA names one ("... from file")."""
        return f"{self.loaded_at} - {self.name} from file {os.path.basename(self.path)}"


def is_evaluation(entry: Any) -> bool:
    """Whether a result-list entry is a finished run (not a loaded model)."""
    return entry is not None and not isinstance(entry, LoadedModel)
