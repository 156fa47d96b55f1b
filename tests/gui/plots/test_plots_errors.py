import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.gui.plots.errors import ClassifierErrorsView


def test_correct_as_crosses_and_wrong_as_squares(qtbot, mlp_cv):
    view = ClassifierErrorsView(mlp_cv, x="petallength", y="petalwidth")
    qtbot.addWidget(view)
    res = mlp_cv.results
    wrong = int(np.sum(res.actual != res.predicted))
    squares = sum(len(s.data) for s in view.scatter if s.opts["symbol"] == "s")
    crosses = sum(len(s.data) for s in view.scatter if s.opts["symbol"] == "x")
    assert squares == wrong and crosses == 150 - wrong
    x, y = view.coordinates()
    values = mlp_cv.dataset.dense_values()
    np.testing.assert_array_equal(x, values[res.indices, 2])
    np.testing.assert_array_equal(y, values[res.indices, 3])


def test_clicking_a_point_shows_the_instance(qtbot, mlp_cv):
    view = ClassifierErrorsView(mlp_cv)
    qtbot.addWidget(view)
    item = view.scatter[0]
    point = item.points()[0]
    item.sigClicked.emit(item, [point], None)
    text = view.details.toPlainText()
    row = int(mlp_cv.results.indices[int(point.data())])
    assert text.startswith(f"Instance {row + 1}")
    assert "actual: " in text and "distribution: " in text
    view.x_box.setCurrentIndex(0)
    header, rows = view.table()
    assert len(rows) == 150 and header[1] == "sepallength"


def test_needs_the_dataset_with_bare_results(mlp_cv):
    with pytest.raises(WorkbenchError, match="dataset"):
        ClassifierErrorsView(mlp_cv.results)


def test_numeric_class_draws_error_sizes(qtbot, iris):
    from workbench.classifiers.knn import KNearestNeighbours
    from workbench.evaluation import TestOption, evaluate

    numeric = iris.remove_attributes(["class"]).with_class("petalwidth")
    ev = evaluate(KNearestNeighbours(k=3), numeric, TestOption.cross_validation(folds=3),
                  build_model=False)
    view = ClassifierErrorsView(ev)
    qtbot.addWidget(view)
    assert len(view.scatter) == 1
    sizes = view.scatter[0].data["size"]
    error = np.abs(ev.results.actual - ev.results.predicted)
    assert sizes[np.argmax(error)] == pytest.approx(20.0)
    assert "actual: " in view.show_prediction(0)


def _knn_cv(data):
    from workbench.classifiers.knn import KNearestNeighbours
    from workbench.evaluation import TestOption, evaluate

    return evaluate(KNearestNeighbours(k=1), data, TestOption.cross_validation(folds=3),
                    build_model=False)


@pytest.fixture(scope="module")
def digits_cv(digits_small):
    """64 pixels, the corner ones blank: as MNIST, in small."""
    return _knn_cv(digits_small)


def test_wide_data_defaults_to_predicted_against_actual_class_with_jitter(qtbot, digits_cv):
    view = ClassifierErrorsView(digits_cv)
    qtbot.addWidget(view)
    assert view.x_box.currentText() == "predicted class"
    assert view.y_box.currentText() == "class"
    assert view.jitter.value() > 0
    # Ten classes, up to 20 legend entries: at most 6 rows of them, not 10 rows that take
    # the plot's height.
    assert len(view.legend.items) > 12
    assert -(-len(view.legend.items) // view.legend.columnCount) <= 6
    res = digits_cv.results
    x, y = view.coordinates()  # the values themselves, not jittered
    np.testing.assert_array_equal(x, res.predicted)
    np.testing.assert_array_equal(y, res.actual)
    # Nominal axes name the classes, and every point stays inside its class's slot.
    assert [t for _, t in view.plot.getAxis("bottom")._tickLevels[0]] == list(res.class_names)
    drawn_x, drawn_y = view.drawn()
    assert np.all(np.abs(drawn_x - x) < 0.5) and np.all(np.abs(drawn_y - y) < 0.5)
    assert np.any(drawn_x != x) and not np.allclose(drawn_x - x, drawn_y - y)


def test_narrow_data_skips_attributes_that_never_vary(qtbot, digits_small):
    names = [a.name for a in digits_small.attributes]
    data = digits_small.select_attributes([*names[:8], "class"])  # pixel_0_0 is blank
    assert np.all(data.column(0) == 0) and np.ptp(data.column(1)) > 0
    view = ClassifierErrorsView(_knn_cv(data))
    qtbot.addWidget(view)
    varying = [n for j, n in enumerate(names[:8]) if np.ptp(data.column(j)) > 0]
    assert [view.x_box.currentText(), view.y_box.currentText()] == varying[:2]
    assert view.jitter.value() == 0


def test_iris_keeps_weka_s_first_two_attributes(qtbot, mlp_cv):
    view = ClassifierErrorsView(mlp_cv)
    qtbot.addWidget(view)
    assert (view.x_box.currentText(), view.y_box.currentText()) == ("sepallength",
                                                                      "sepalwidth")
    assert view.x_box.findText("predicted class") == view.x_box.findText("class") - 1


def test_a_constant_axis_gets_a_readable_range_not_unit_noise(qtbot, digits_cv):
    view = ClassifierErrorsView(digits_cv, x="pixel_0_0", y="pixel_0_1")
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    qtbot.waitExposed(view)
    low, high = view.plot.getPlotItem().vb.viewRange()[0]
    assert low <= -0.9 and high >= 0.9  # about one unit either side of the zeros
    axis = view.plot.getAxis("bottom")
    assert axis.autoSIPrefixScale == 1.0 and "x0.001" not in axis.labelString()


def test_jitter_is_reproducible_and_a_click_still_finds_the_instance(qtbot, digits_cv):
    view = ClassifierErrorsView(digits_cv, x="pixel_0_0", y="pixel_0_1")
    qtbot.addWidget(view)
    before = view.coordinates()
    view.jitter.setValue(40)
    first = view.drawn()
    assert np.any(first[0] != before[0])
    low, high = view.plot.getPlotItem().vb.viewRange()[0]
    assert low <= -0.9 and high >= 0.9  # jitter spreads points inside the range
    view.jitter.setValue(0)
    view.jitter.setValue(40)
    np.testing.assert_array_equal(view.drawn()[0], first[0])  # same seed, same picture
    np.testing.assert_array_equal(view.coordinates()[0], before[0])  # values untouched
    item = view.scatter[-1]
    point = item.points()[-1]
    position = int(point.data())
    assert point.pos().x() == pytest.approx(first[0][position])
    item.sigClicked.emit(item, [point], None)
    row = int(digits_cv.results.indices[position])
    lines = view.details.toPlainText().splitlines()
    assert lines[0].startswith(f"Instance {row + 1} ")
    assert lines[1].startswith("actual: ")  # the verdict before 64 pixel values
    assert view.table()[1][position][1] == 0.0  # saved data holds the value, not the jitter


def test_instance_details_name_a_fold_only_under_cross_validation(qtbot, iris, mlp_cv):
    """A percentage split has no folds: its instance details say no "(fold 1)"; a
    cross-validation's say which fold's model predicted the instance."""
    from workbench.classifiers.knn import KNearestNeighbours
    from workbench.evaluation import TestOption, evaluate

    split = evaluate(KNearestNeighbours(k=3), iris, TestOption.split(66.0, seed=1),
                     build_model=False)
    view = ClassifierErrorsView(split)
    qtbot.addWidget(view)
    row = int(split.results.indices[0])
    first = view.show_prediction(0).splitlines()[0]
    assert first == f"Instance {row + 1}"
    cv = ClassifierErrorsView(mlp_cv)
    qtbot.addWidget(cv)
    fold = int(mlp_cv.results.fold_ids[0]) + 1
    assert cv.show_prediction(0).splitlines()[0].endswith(f"(fold {fold})")
