import numpy as np

from workbench.evaluation.metrics import compute_metrics
from workbench.gui.plots.confusion import ConfusionMatrixView
from workbench.gui.plots.export import save_csv, save_png, save_svg


def test_cells_show_the_weighted_counts_of_the_evaluation(qtbot, mlp_cv):
    view = ConfusionMatrixView(mlp_cv)
    qtbot.addWidget(view)
    expected = compute_metrics(mlp_cv.results).confusion_matrix
    k = len(mlp_cv.results.class_names)
    assert view.matrix.rowCount() == view.matrix.columnCount() == k
    shown = np.array([[float(view.cell_text(r, c)) for c in range(k)] for r in range(k)])
    np.testing.assert_array_equal(shown, expected)
    assert shown.sum() == 150


def test_proportion_of_actual_rows_sum_to_one(qtbot, mlp_cv):
    view = ConfusionMatrixView(mlp_cv)
    qtbot.addWidget(view)
    view.mode.setCurrentIndex(1)
    k = view.matrix.rowCount()
    rows = [sum(float(view.cell_text(r, c)) for c in range(k)) for r in range(k)]
    np.testing.assert_allclose(rows, 1.0, atol=2e-3)


def test_selecting_a_cell_lists_its_instances(qtbot, mlp_cv):
    view = ConfusionMatrixView(mlp_cv)
    qtbot.addWidget(view)
    view.select_cells([(0, 0)])
    assert view.instances.rowCount() == int(view.counts[0, 0])
    view.select_misclassified()
    wrong = int(view.counts.sum() - np.trace(view.counts))
    assert view.instances.rowCount() == wrong
    res = mlp_cv.results
    for r in range(view.instances.rowCount()):
        assert view.instances.item(r, 2).text() != view.instances.item(r, 3).text()
        row = int(view.instances.item(r, 0).text()) - 1
        assert row in set(res.indices.tolist())
    # The evaluation carries its dataset, so attribute values are listed too.
    headers = [view.instances.horizontalHeaderItem(c).text()
               for c in range(view.instances.columnCount())]
    assert "sepallength" in headers and "p(Iris-setosa)" in headers


def test_text_is_weka_layout_and_exports_write_files(qtbot, mlp_cv, tmp_path):
    view = ConfusionMatrixView(mlp_cv.results)
    qtbot.addWidget(view)
    view.resize(500, 400)
    text = view.text()
    assert "<-- classified as" in text and "| a = Iris-setosa" in text
    save_png(view, tmp_path / "m.png")
    save_svg(view, tmp_path / "m.svg")
    save_csv(view.table(), tmp_path / "m.csv")
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (tmp_path / "m.svg").read_text()
    lines = (tmp_path / "m.csv").read_text().splitlines()
    assert len(lines) == 4 and lines[0].startswith("actual,predicted Iris-setosa")


def test_image_export_refuses_unknown_endings_and_missing_folders(qtbot, mlp_cv, tmp_path):
    import pytest

    from workbench.core.errors import WorkbenchError
    from workbench.gui.plots.export import save_image

    view = ConfusionMatrixView(mlp_cv)
    qtbot.addWidget(view)
    with pytest.raises(WorkbenchError, match=r"expected \.png or \.svg"):
        save_image(view, tmp_path / "m.jpg")
    with pytest.raises(WorkbenchError, match="does not exist"):
        save_image(view, tmp_path / "nowhere" / "m.png")
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


def test_the_size_hint_holds_every_cell_and_grows_with_the_classes(qtbot, mlp_cv, digits,
                                                                     digits_small):
    """A viewer window opens at least at its content's size hint: the hint makes room
    for each class's column with "(predicted)" whole, so more classes ask for more."""
    from workbench.classifiers.knn import KNearestNeighbours
    from workbench.evaluation import TestOption, evaluate

    three = ConfusionMatrixView(mlp_cv)
    ten = ConfusionMatrixView(evaluate(KNearestNeighbours(k=1), digits_small,
                                       TestOption.split(66), build_model=False))
    qtbot.addWidget(three)
    qtbot.addWidget(ten)
    word = ten.matrix.fontMetrics().horizontalAdvance("(predicted)")
    assert ten.sizeHint().width() > 10 * word
    assert ten.sizeHint().width() > three.sizeHint().width()
    assert ten.sizeHint().height() > three.sizeHint().height()
    ten.resize(ten.sizeHint())
    ten.show()
    qtbot.waitExposed(ten)
    last = ten.matrix.rowViewportPosition(9) + ten.matrix.rowHeight(9)
    assert last <= ten.matrix.viewport().height()
