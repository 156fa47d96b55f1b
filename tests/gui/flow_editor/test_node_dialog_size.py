"""The node dialog fits its screen: its sheet scrolls, OK and Cancel stay in reach."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication

from workbench.flow import Flow
from workbench.flow.nodes.catalog import all_node_types
from workbench.gui.flow_editor.dialogs import NodeDialog

LAPTOP = QRect(0, 0, 1280, 800)


def _inside(dialog: NodeDialog, area: QRect) -> None:
    frame = dialog.frameGeometry()
    assert area.contains(frame), (frame, area)
    buttons = dialog.buttons.geometry()
    assert dialog.rect().contains(buttons), (buttons, dialog.rect())
    assert dialog.buttons.isVisible()


def test_the_mlp_dialog_with_its_advanced_section_open_keeps_ok_on_screen(make_editor,
                                                                         qtbot):
    """The lesson's "Try: set init" opens the MLP's advanced section; the dialog grew to
    798 px at y=95 on a 1280x800 screen, with Record dynamics, OK and Cancel below it."""
    editor = make_editor()
    node = editor.add_node("classifier:mlp", (0, 0))
    dialog = editor.parameter_dialog(node)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.move(dialog.x(), 95)
    dialog.sheet.advanced_toggle.setChecked(True)
    QApplication.processEvents()
    area = dialog.screen().availableGeometry()
    assert area.height() <= 800  # the offscreen screen is no taller than a laptop's
    _inside(dialog, area)
    # The lessons' own parameter is reachable by scrolling the sheet.
    record = dialog.sheet.editor("record_dynamics")
    dialog.sheet_area.ensureWidgetVisible(record)
    QApplication.processEvents()
    top_left = record.mapTo(dialog.sheet_area.viewport(), record.rect().topLeft())
    assert dialog.sheet_area.viewport().rect().contains(top_left)


def test_every_node_dialog_fully_unfolded_fits_a_1280x800_screen(registry, qtbot):
    flow = Flow(registry)
    for node_type in all_node_types(registry):
        dialog = NodeDialog(flow.add_node(node_type.name))
        qtbot.addWidget(dialog)
        dialog.show()
        for toggle in dialog.sheet.section_toggles.values():
            toggle.setChecked(True)
        dialog.fit_to_screen(LAPTOP)
        QApplication.processEvents()
        assert dialog.height() <= LAPTOP.height(), node_type.name
        _inside(dialog, LAPTOP)
        dialog.close()


def test_tab_from_the_title_goes_to_the_first_parameter_field(make_editor, qtbot):
    """Keyboard walkthrough 13c: the first Tab from Title landed on the sheet's scroll
    area, which shows no focus, and the keys typed next were lost."""
    editor = make_editor()
    node = editor.add_node("classifier:knn", (0, 0))
    dialog = editor.parameter_dialog(node)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.title_edit.setFocus()
    QApplication.processEvents()
    dialog.focusNextChild()
    QApplication.processEvents()
    focused = QApplication.focusWidget()
    assert focused is not dialog.sheet_area
    assert focused is not None and dialog.sheet.isAncestorOf(focused), focused
