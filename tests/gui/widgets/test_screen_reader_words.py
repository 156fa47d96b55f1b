"""What a screen reader says for a parameter sheet's fields, and what it is told when a
message appears (a11y walkthrough H1, M7): the label's words, not "text, 0.3"."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from workbench.core.registry import default_registry
from workbench.gui.widgets import screen_reader
from workbench.gui.widgets.param_sheet import ParamSheet


def _label_of(widget: QWidget) -> str:
    """The label a screen reader reads for ``widget`` through its relation."""
    face = QAccessible.queryAccessibleInterface(widget)
    return next((other.text(QAccessible.Text.Name) for other, _relation
                 in face.relations(QAccessible.Relation.Label)), "")


def _name(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


@pytest.fixture
def mlp_sheet(qtbot):
    params = default_registry().get("classifier", "mlp").params
    sheet = ParamSheet(params, columns=3)
    qtbot.addWidget(sheet)
    sheet.show()
    return sheet


def test_each_field_is_named_and_labelled_by_its_parameter(mlp_sheet):
    for param in mlp_sheet.params:
        editor = mlp_sheet.editor(param.name)
        assert _label_of(editor) == param.display_name, param.name
        if not isinstance(editor, QComboBox):   # a combo's Qt name is its value
            assert _name(editor) == param.display_name, param.name
    labels = {label.buddy(): label for label in mlp_sheet.findChildren(QLabel)
              if label.buddy() is not None}
    assert labels[mlp_sheet.editor("learning_rate")].text() == "Learning rate"
    assert mlp_sheet.editor("activation").accessibleName() == "Activation"
    assert mlp_sheet.editor("decay").accessibleName() == "Decay"


def test_a_field_describes_its_parameter_and_a_refusal(mlp_sheet):
    editor = mlp_sheet.editor("momentum")
    assert "[0, 1)" in editor.accessibleDescription()
    assert "<" not in mlp_sheet.editor("activation").accessibleDescription()  # not HTML
    editor.setText("7")
    assert editor.accessibleDescription().startswith("Refused: ")
    editor.setText("0.5")
    assert not editor.accessibleDescription().startswith("Refused")


def test_a_sheet_without_labels_names_its_fields(qtbot):
    from workbench.evaluation.test_options import TestOptions

    sheet = ParamSheet([TestOptions.param("seed")], labels=False)
    qtbot.addWidget(sheet)
    assert _name(sheet.editor("seed")) == TestOptions.param("seed").display_name


@pytest.fixture
def announced(monkeypatch):
    """The announcements sent, as (text, assertive)."""
    sent: list[tuple[str, bool]] = []

    def record(event):
        if event.type() == QAccessible.Event.Announcement:
            sent.append((event.message(), event.politeness()
                         == QAccessible.AnnouncementPoliteness.Assertive))
    monkeypatch.setattr(screen_reader, "send", record)
    return sent


@pytest.mark.skipif(not screen_reader.can_announce(), reason="announcements need Qt 6.8")
def test_the_status_bar_announces_its_messages_once(qtbot, announced):
    from workbench.gui.widgets.status import WorkbenchStatusBar

    bar = WorkbenchStatusBar()
    qtbot.addWidget(bar)
    bar.set_activity("Finished MLP in 3.8 s")
    bar.set_activity("Finished MLP in 3.8 s")    # said again as the run is done
    bar.set_activity("Drawing 3 of 9 nodes", spoken=False)
    bar.set_activity("Cannot open x.arff", "line 3: expected a number")
    assert announced == [("Finished MLP in 3.8 s", False),
                         ("Cannot open x.arff: line 3: expected a number", False)]


@pytest.mark.skipif(not screen_reader.can_announce(), reason="announcements need Qt 6.8")
def test_a_floating_error_interrupts_the_screen_reader(qtbot, announced):
    from workbench.gui.widgets.floating_message import FloatingMessage

    holder = QWidget()
    qtbot.addWidget(holder)
    panel = QWidget(holder)
    message = FloatingMessage()
    message.follow(panel)
    holder.show()
    message.show_text("Cannot open iris.csv: line 4, column 2: expected a number")
    message.show_text("")
    assert announced == [("Cannot open iris.csv: line 4, column 2: expected a number", True)]
