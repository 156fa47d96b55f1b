"""Discretize, Normalize and Standardize leave a date as it is, and say so.

WEKA's filters treat a date as its milliseconds (Discretize labels such as
'(-inf-1707212160000]', Normalize dates in January 1970); ours leave it, so the
command line and the Explorer's Log say so and the relation does not claim WEKA's filter.
"""

from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.data.io import load_dataset

DATED = """@relation d
@attribute day date yyyy-MM-dd
@attribute x numeric
@attribute c {a,b}
@data
2024-01-01,1,a
2024-02-01,2,b
2024-03-01,4,a
"""


@pytest.mark.parametrize(("name", "own"), [("Discretize", "d-discretize"),
                                           ("Normalize", "d-normalize"),
                                           ("Standardize", "d-standardize")])
def test_a_date_left_as_it_is_is_said_and_not_labelled_as_wekas(tmp_path, capsys, name,
                                                                own):
    source, out = tmp_path / "d.arff", tmp_path / "o.arff"
    source.write_text(DATED)
    assert main(["filter", name, "-i", str(source), "-o", str(out), "-c", "last",
                 "--describe-filter"]) == 0
    streams = capsys.readouterr()
    line = f"date attribute 'day' left as it is ({name} works on numeric attributes"
    assert f"workbench: note: {line}" in streams.err
    assert line in streams.out            # the filter's description says it too
    filtered = load_dataset(out)
    assert filtered.relation == own
    assert filtered.attributes[0].type.value == "date"


def test_without_a_date_the_relation_is_still_wekas(tmp_path, capsys):
    source, out = tmp_path / "d.arff", tmp_path / "o.arff"
    source.write_text(DATED)
    assert main(["filter", "Discretize", "-R", "2", "-i", str(source), "-o", str(out)]) == 0
    assert "note" not in capsys.readouterr().err
    assert load_dataset(out).relation == ("d-weka.filters.unsupervised.attribute."
                                          "Discretize-B10-M-1.0-R2-precision6")


def test_the_logs_command_names_the_same_filter_as_the_relation(tmp_path):
    """The Explorer's log writes the filter's command (for a WEKA user to run again): for
    a date left alone it must not be WEKA's command, as the relation name is not."""
    from workbench.filters.discretize import Discretize
    from workbench.filters.relation_name import filter_command

    source = tmp_path / "d.arff"
    source.write_text(DATED)
    data = load_dataset(source, class_index=-1)
    with_date, without = Discretize(), Discretize(attribute_indices="2")
    with_date.fit(data)
    without.fit(data)
    assert not filter_command(with_date).startswith("weka.filters.")
    assert filter_command(without).startswith(
        "weka.filters.unsupervised.attribute.Discretize -B 10")
