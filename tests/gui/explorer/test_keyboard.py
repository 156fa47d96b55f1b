"""A keyboard-only user of the Explorer (walkthrough 9): Tab leaves every table, the
tab-switching keys work from anywhere, the result list's viewers open with Shift+F10,
Tab reaches a new parameter sheet right after its chooser, and Escape leaves focus where
the user is typing."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait, run_classifier
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QTableWidget

from workbench.gui.widgets.access_keys import plain_text
from workbench.gui.widgets.tab_order import tab_stops

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _focus(qtbot, widget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)




def _popup_after(qtbot, press) -> QMenu:
    """The popup menu ``press`` opens (closed again once seen)."""
    seen: list[QMenu] = []

    def close_popup() -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu):
            seen.append(popup)
            popup.close()
        else:
            QTimer.singleShot(20, close_popup)

    QTimer.singleShot(0, close_popup)
    press()
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    return seen[0]


# Defect 2: no table traps Tab, and Ctrl+Tab switches tabs from inside one -------------
def test_tab_and_shift_tab_leave_the_attribute_table(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    pre = explorer.preprocess
    _focus(qtbot, pre.table)
    pre.table.setCurrentCell(0, 1)
    qtbot.keyClick(pre.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is pre.remove_button
    _focus(qtbot, pre.table)
    qtbot.keyClick(pre.table, Qt.Key.Key_Backtab, SHIFT)
    assert QApplication.focusWidget() is pre.pattern_button
    # The arrows still move between rows.
    _focus(qtbot, pre.table)
    qtbot.keyClick(pre.table, Qt.Key.Key_Down)
    assert pre.table.currentRow() == 1


def test_ctrl_tab_and_ctrl_page_keys_switch_tabs_from_inside_a_table(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    table = explorer.preprocess.table
    for key, modifiers, shown in ((Qt.Key.Key_Tab, CTRL, explorer.classify),
                                  (Qt.Key.Key_PageDown, CTRL, explorer.classify),
                                  (Qt.Key.Key_Backtab, CTRL | SHIFT, explorer.log),
                                  (Qt.Key.Key_PageUp, CTRL, explorer.log)):
        explorer.tabs.setCurrentWidget(explorer.preprocess)
        _focus(qtbot, table)
        qtbot.keyClick(table, key, modifiers)
        assert explorer.tabs.currentWidget() is shown, (key, modifiers)


def test_no_read_only_table_keeps_tab(qtbot, explorer):
    from workbench.gui.experimenter.analyse import AnalysePanel
    from workbench.gui.plots.confusion import ConfusionMatrixView

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    matrix = ConfusionMatrixView(explorer.classify.evaluations[0].results)
    analyse = AnalysePanel()
    for widget in (matrix, analyse):
        qtbot.addWidget(widget)
    tables = [explorer.preprocess.table, explorer.preprocess.stats,
              *matrix.findChildren(QTableWidget), analyse.table]
    assert len(tables) == 5
    assert not any(t.tabKeyNavigation() for t in tables)
    matrix.show()
    qtbot.waitExposed(matrix)
    _focus(qtbot, matrix.matrix)
    qtbot.keyClick(matrix.matrix, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not matrix.matrix


def test_the_data_editor_keeps_tab_for_cells_and_ctrl_tab_leaves(qtbot, explorer):
    from workbench.data.io import load_dataset
    from workbench.gui.explorer.table_view import DataEditor

    editor = DataEditor(load_dataset(dataset_path("iris.arff")))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    table = editor.table
    _focus(qtbot, table)
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)   # as in a spreadsheet: the next cell
    assert QApplication.focusWidget() is table and table.currentIndex().column() == 1
    qtbot.keyClick(table, Qt.Key.Key_Tab, CTRL)   # and out, to the buttons
    assert QApplication.focusWidget() is not table
    assert "Button" in type(QApplication.focusWidget()).__name__
    _focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert QApplication.focusWidget() is not table


# Defect 3: the result list's menu from the keyboard ------------------------------------
def _two_results_first_selected(qtbot, explorer):
    """The Classify tab with ZeroR's and NaiveBayes's results, ZeroR's selected."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    run_classifier(qtbot, explorer, "naive-bayes")
    view = explorer.classify.results_list
    explorer.tabs.setCurrentWidget(explorer.classify)
    view.setCurrentRow(0)
    return view


def test_shift_f10_opens_the_result_menu_at_the_selected_entry(qtbot, explorer,
                                                               monkeypatch):
    view = _two_results_first_selected(qtbot, explorer)
    _focus(qtbot, view)
    menu = _popup_after(qtbot, lambda: qtbot.keyClick(view, Qt.Key.Key_F10, SHIFT))
    texts = [plain_text(a.text()) for a in menu.actions()]
    assert "Visualize confusion matrix" in texts and "Delete result" in texts
    # Opened at the selected entry, not at the mouse pointer, and never over it: the
    # window fills the offscreen platform's 800x800 screen, so the 17 entries are taller
    # than the room below the list (as at 1280x800), and the menu goes above the entry.
    asked: list[QRect] = []

    class Recording(QMenu):
        def exec(self, point):
            asked.append(QRect(point, self.sizeHint()))

    def recording_menu(row: int) -> QMenu:
        menu = Recording(explorer.classify)
        explorer.results.fill_menu(menu, row)
        return menu

    monkeypatch.setattr(explorer.results, "build_menu", recording_menu)
    entry = view.visualItemRect(view.item(0))
    on_screen = QRect(view.viewport().mapToGlobal(entry.topLeft()), entry.size())
    _focus(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_F10, SHIFT)
    # The Menu key's event (keyboard reason) asks for the same place.
    QApplication.sendEvent(view, QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, QPoint(1, 1), view.mapToGlobal(QPoint(1, 1))))
    # A right-click on the entry: at the pointer's x, and not over the entry either.
    click = entry.center()
    view.customContextMenuRequested.emit(click)
    assert len(asked) == 3 and asked[0] == asked[1]
    screen = view.screen().availableGeometry()
    assert on_screen.bottom() + asked[0].height() > screen.bottom()   # no room below
    for menu_rect in asked:
        assert screen.contains(menu_rect), (menu_rect, screen)
        assert not menu_rect.intersects(on_screen), (menu_rect, on_screen)
    assert on_screen.left() <= asked[0].left() <= on_screen.right()
    assert asked[2].left() == view.viewport().mapToGlobal(click).x()


def test_result_menu_entries_have_distinct_access_keys(qtbot, explorer):
    from workbench.gui.widgets.access_keys import _marked_key

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    entries = [a for a in explorer.results.build_menu(0).actions() if not a.isSeparator()]
    keys = [_marked_key(a.text()) for a in entries]
    assert None not in keys, [a.text() for a in entries]
    assert len(set(keys)) == len(keys)


def test_the_result_menu_in_the_menu_bar_acts_on_the_selected_result(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    run_classifier(qtbot, explorer, "naive-bayes")
    explorer.classify.results_list.setCurrentRow(0)
    explorer.result_menu.aboutToShow.emit()
    texts = [a.text() for a in explorer.result_menu.actions()]
    assert texts == [a.text() for a in explorer.results.build_menu(0).actions()]
    entry = next(a for a in explorer.result_menu.actions()
                 if plain_text(a.text()) == "View in separate window")
    entry.trigger()
    qtbot.addWidget(explorer.results.windows[-1])
    assert explorer.results.windows[-1].windowTitle() == "Report: ZeroR"


def test_enter_on_a_result_shows_its_report_and_goes_there(qtbot, explorer):
    view = _two_results_first_selected(qtbot, explorer)
    explorer.classify.report.clear()
    _focus(qtbot, view)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert "ZeroR" in explorer.classify.report.toPlainText()
    assert QApplication.focusWidget() is explorer.classify.report


# Defect 9: the result list shows whether it has focus ----------------------------------
def test_the_result_list_selection_is_pale_without_focus(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    run_classifier(qtbot, explorer, "zeror")
    view = explorer.classify.results_list
    explorer.tabs.setCurrentWidget(explorer.classify)
    role, group = QPalette.ColorRole.Highlight, QPalette.ColorGroup.Active
    theme = QApplication.palette(view).color(group, role)
    _focus(qtbot, explorer.classify.start_button)
    assert view.palette().color(group, role) != theme
    _focus(qtbot, view)
    assert view.palette().color(group, role) == theme


# Defect 6: a new parameter sheet comes right after its chooser in Tab order ------------
# (after the one-line configuration beside the chooser, in reading order: walkthrough 13
# found Tab jumping back up to that line after the last field)
def test_tab_from_the_classifier_chooser_reaches_the_new_sheet(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("mlp")
    sheet = tab.chooser_box.sheet
    first = sheet.editor(sheet.params[0].name)
    _focus(qtbot, tab.chooser)
    qtbot.keyClick(tab.chooser, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is tab.options_line
    qtbot.keyClick(tab.options_line, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Backtab, SHIFT)
    assert QApplication.focusWidget() is tab.options_line
    qtbot.keyClick(tab.options_line, Qt.Key.Key_Backtab, SHIFT)
    assert QApplication.focusWidget() is tab.chooser
    # After the last field Tab goes on down the tab, never back up to the line.
    fields = [w for w in tab_stops(sheet) if w.isVisibleTo(sheet) and w.isEnabled()]
    _focus(qtbot, fields[-1])
    qtbot.keyClick(fields[-1], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() not in (tab.options_line, tab.chooser, *fields)
    # ZeroR's empty sheet is no Tab stop.
    tab.choose("zeror")
    _focus(qtbot, tab.chooser)
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is not tab.sheet_scroll


def test_tab_from_the_filter_chooser_reaches_the_new_sheet(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    pre = explorer.preprocess
    pre.filter_chooser.set_current("remove-percentage")
    sheet = pre.filter_sheet
    assert sheet is not None
    first = sheet.editor(sheet.params[0].name)
    _focus(qtbot, pre.filter_chooser)
    qtbot.keyClick(pre.filter_chooser, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is first
    assert pre.filter_scroll.focusPolicy() == Qt.FocusPolicy.NoFocus


# Defect 7: Escape (Stop) leaves focus in the field being typed in ----------------------
def test_escape_while_typing_keeps_the_focus_in_the_field(qtbot, explorer, monkeypatch):
    from held_worker import HeldWorker

    held = HeldWorker(monkeypatch)
    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("mlp", {"epochs": 100000})
    tab.use_training.setChecked(True)
    assert tab.start()
    held.hold()
    epochs = tab.chooser_box.sheet.editor("epochs")
    _focus(qtbot, epochs)
    qtbot.keyClick(epochs, Qt.Key.Key_Escape)
    assert tab.progress_label.text() == "Stopping..."
    assert QApplication.focusWidget() is epochs
    held.let_go()
    qtbot.waitUntil(lambda: not tab.running, timeout=30_000)


# Walkthrough 13, D4: after Esc stops a run, the Result menu acts on a result ----------
def test_after_a_stopped_run_the_result_menu_acts_on_the_entry_current_before(
        qtbot, explorer, monkeypatch):
    from held_worker import HeldWorker

    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    run_classifier(qtbot, explorer, "zeror")
    run_classifier(qtbot, explorer, "naive-bayes")
    tab.results_list.setCurrentRow(0)   # the user went back to the first result
    held = HeldWorker(monkeypatch)
    tab.choose("mlp", {"epochs": 100000})
    assert tab.start()
    held.hold()
    _focus(qtbot, tab.chooser)
    qtbot.keyClick(tab.chooser, Qt.Key.Key_Escape)
    held.let_go()
    qtbot.waitUntil(lambda: not tab.running, timeout=30_000)
    # The stopped run's words stay where the report was; the first result is current.
    assert tab.report.toPlainText().startswith("Stopped")
    assert tab.results_list.currentRow() == 0
    explorer.result_menu.aboutToShow.emit()
    enabled = {plain_text(a.text()): a.isEnabled() for a in explorer.result_menu.actions()}
    assert enabled["View in separate window"] and enabled["Visualize confusion matrix"]
    # A click on it shows its report.
    view = tab.results_list
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualItemRect(view.item(0)).center())
    assert "ZeroR" in tab.report.toPlainText()
