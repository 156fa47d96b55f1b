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
