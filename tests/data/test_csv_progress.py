"""A CSV read reports how far it has come and stops when asked, through the thread's
progress channel and stop token (the Explorer's load sets both)."""

from __future__ import annotations

import pytest

from workbench.core.errors import Cancelled
from workbench.core.progress import CancelToken, reporting_to
from workbench.core.stoppable import working_under
from workbench.data.csv import read_csv


def _csv(tmp_path, rows=100_000):
    path = tmp_path / "rows.csv"
    path.write_text("x,y,class\n" + "".join(f"{i}.5,{i % 7},{'ab'[i % 2]}\n"
                                             for i in range(rows)))
    return path


def test_a_read_reports_bytes_then_columns_in_order(tmp_path):
    events = []
    with reporting_to(events.append):
        data = read_csv(_csv(tmp_path))
    assert data.num_instances == 100_000
    fractions = [e.fraction for e in events]
    assert fractions == sorted(fractions) and fractions[0] == 0.0
    assert any("MB read" in e.message for e in events)
    assert events[-1].message == "rows.csv: column 3 of 3"   # the label column


def test_stop_ends_a_read_within_a_block(tmp_path):
    token, seen = CancelToken(), []

    def stop_midway(event):
        seen.append(event)
        if "MB read" in event.message:
            token.cancel()

    with working_under(token), reporting_to(stop_midway), pytest.raises(Cancelled):
        read_csv(_csv(tmp_path))
    assert not any("column" in e.message for e in seen)   # stopped during the parse
