"""A failed run's reason wraps at the output pane's width; a report keeps WEKA's columns.

The refusal of a numeric class with its NumericToNominal hint is about 250 characters:
in one line it ran off to the right behind a horizontal scroll bar."""

from __future__ import annotations

from settling import settle

from workbench.gui.explorer.classifier_output import ClassifierOutput

REASON = ("CNN (convolutional neural network) cannot handle a numeric class: class "
          "attribute 'class' is numeric; its 10 values are whole numbers (0 to 9): "
          "NumericToNominal in Preprocess, with Attribute indices 785 (the class), turns "
          "a numeric class into classes (on the command line: workbench filter "
          "NumericToNominal -R 785)")


def test_a_failure_is_read_without_scrolling_sideways(qtbot):
    output = ClassifierOutput()
    qtbot.addWidget(output)
    output.resize(500, 400)
    output.show()
    qtbot.waitExposed(output)
    bar = output.report.horizontalScrollBar()
    output.show_failed(REASON)
    settle(qtbot, lambda: (bar.maximum(), output.report.document().size().height()))
    assert bar.maximum() == 0
    assert output.report.toPlainText().startswith("Failed: CNN")
    # A report after it keeps its lines whole (its tables are laid out in columns).
    output.show_report("=== Summary ===\n" + "x" * 400)
    settle(qtbot, lambda: bar.maximum())
    assert bar.maximum() > 0
