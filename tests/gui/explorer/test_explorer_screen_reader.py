"""What the Explorer tells a screen reader (a11y walkthrough M7, L5): the Preprocess
statistics without a phantom column, the histogram and the Visualize matrix in words,
the Test options fields by their names, and a run's end announced."""

from __future__ import annotations

import pytest
from explorer_helpers import dataset_path, open_and_wait, run_classifier

from workbench.gui.widgets import screen_reader


def test_numeric_statistics_have_two_columns_a_reader_can_see(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.preprocess
    tab.table.selectRow(0)   # sepallength: numeric
    # What Qt's accessible table reads: the model's columns, hidden ones too.
    model = tab.stats.model()
    assert model.columnCount() == 2
    assert [tab.stats.horizontalHeaderItem(c).text() for c in range(2)] == [
        "Statistic", "Value"]
    tab.table.selectRow(4)   # class: nominal, with a weight per label
    assert model.columnCount() == 3
    assert tab.histogram.accessibleName() == "Histogram of class"
    assert tab.histogram.accessibleDescription().startswith(
        "Iris-setosa 50, Iris-versicolor 50, Iris-virginica 50")


def test_the_visualize_matrix_says_what_it_shows(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.tabs.setCurrentWidget(explorer.visualize)
    qtbot.waitUntil(lambda: not explorer.visualize.drawing)
    plot = explorer.visualize.plot
    shown = [explorer.visualize.dataset.attributes[c].name
             for c in explorer.visualize.columns]
    assert plot.accessibleName() == f"Scatter plot matrix of {len(shown)} attributes"
    assert plot.accessibleDescription().startswith(
        f"{', '.join(shown)}; coloured by Iris-setosa, Iris-versicolor, Iris-virginica.")
    assert "sepallength" in shown


def test_the_test_options_fields_are_named_as_the_panel_names_them(explorer):
    testing = explorer.classify.testing
    names = {name: sheet.editor(name).accessibleName()
             for name, sheet in testing.sheets.items()}
    assert names == {"folds": "Folds", "percent": "Percentage", "seed": "Random seed"}
    assert testing.cost_matrix.accessibleName() == "Cost matrix"


@pytest.mark.skipif(not screen_reader.can_announce(), reason="announcements need Qt 6.8")
def test_the_end_of_a_run_is_announced(qtbot, explorer, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(screen_reader, "send", lambda event: said.append(event.message()))
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.tabs.setCurrentWidget(explorer.classify)
    run_classifier(qtbot, explorer, "zeror")
    assert any(line.startswith("Finished ZeroR in ") for line in said), said
