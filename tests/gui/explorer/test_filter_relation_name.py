"""A filter applied in the Explorer renames the relation as ``workbench filter`` and
WEKA's Explorer do, and Save writes that name."""

from __future__ import annotations

from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit

from workbench.cli import main
from workbench.data.io import load_dataset


def _apply(qtbot, explorer, name: str, **values) -> None:
    tab = explorer.preprocess
    tab.filter_chooser.set_current(name)
    for field, value in values.items():
        editor = tab.filter_sheet.editor(field)
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        else:
            assert isinstance(editor, QLineEdit)
            editor.setText(str(value))
    original = explorer.dataset
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.dataset is not original
                    and explorer.filter_job is None, timeout=20_000)


def _cli_relation(tmp_path, *args: str) -> str:
    out = tmp_path / "cli.arff"
    assert main(["filter", *args, "-i", dataset_path("iris.arff"), "-o", str(out)]) == 0
    return load_dataset(out).relation


def test_the_relation_after_apply_is_the_command_lines(qtbot, explorer, tmp_path):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    _apply(qtbot, explorer, "resample", sample_size_percent=20, replacement=False)
    expected = _cli_relation(tmp_path, "resample", "-Z", "20", "-no-replacement")
    assert expected == "iris-weka.filters.unsupervised.instance.Resample-S1-Z20.0" \
                       "-no-replacement"
    assert explorer.dataset.relation == expected
    assert explorer.preprocess.relation_label.text() == expected
    saved = tmp_path / "saved.arff"
    assert explorer.save_file(str(saved))
    assert load_dataset(saved).relation == expected


def test_a_second_filter_appends_to_the_name_and_undo_takes_it_back(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    _apply(qtbot, explorer, "standardize")
    _apply(qtbot, explorer, "normalize")
    assert explorer.dataset.relation == (
        "iris-weka.filters.unsupervised.attribute.Standardize"
        "-weka.filters.unsupervised.attribute.Normalize-S1.0-T0.0")
    explorer.undo()
    assert explorer.dataset.relation == "iris-weka.filters.unsupervised.attribute.Standardize"


def test_a_long_relation_name_does_not_widen_the_left_panel(qtbot, explorer):
    """The name grows with each filter; the histogram's side must keep its room."""
    explorer.resize(1100, 760)
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    label = explorer.preprocess.relation_label
    box = label.parentWidget()
    before = box.width()
    for _ in range(3):
        _apply(qtbot, explorer, "normalize")
    qtbot.wait(50)
    assert box.width() <= before
    assert label.text().count("Normalize") == 3
    assert label.shown_text() != label.text() and label.toolTip() == label.text()


def test_the_remove_button_names_the_relation_as_wekas_remove_filter(qtbot, explorer,
                                                                    tmp_path):
    """WEKA's Remove button applies its Remove filter: the relation becomes
    iris-weka.filters.unsupervised.attribute.Remove-R1,3, as `workbench filter` names it."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    table = explorer.preprocess
    for row in (0, 2):
        ticks = table.table.attributes   # what a click on the row's tick box sets
        ticks.setData(ticks.index(row, 0), Qt.CheckState.Checked,
                      Qt.ItemDataRole.CheckStateRole)
    assert table.checked() == [0, 2]
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=20_000)  # a worker's
    expected = _cli_relation(tmp_path, "remove", "-R", "1,3")
    assert expected == "iris-weka.filters.unsupervised.attribute.Remove-R1,3"
    assert explorer.dataset.relation == expected
    assert [a.name for a in explorer.dataset.attributes] == ["sepalwidth", "petalwidth",
                                                             "class"]
    # a run of attributes is a range, as WEKA's Range writes it: Remove-R1-2
    for row in (0, 1):
        ticks = table.table.attributes   # what a click on the row's tick box sets
        ticks.setData(ticks.index(row, 0), Qt.CheckState.Checked,
                      Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: explorer.filter_job is None, timeout=20_000)  # a worker's
    assert explorer.dataset.relation == expected + "-weka.filters.unsupervised.attribute" \
                                                   ".Remove-R1-2"


def test_filter_command_is_wekas_full_command_or_ours_with_every_option():
    from workbench.core.registry import default_registry
    from workbench.filters.relation_name import filter_command

    registry = default_registry()
    assert filter_command(registry.create("filter", "discretize")) == (
        "weka.filters.unsupervised.attribute.Discretize -B 10 -M -1.0 -R first-last "
        "-precision 6")
    expression = registry.create("filter", "add-expression")
    expression.expression = "a1 + a2"
    assert filter_command(expression) == (
        'weka.filters.unsupervised.attribute.AddExpression -E "a1 + a2" -N expression')
    assert filter_command(registry.create("filter", "pca")).startswith(
        "PrincipalComponents -R 0.95")
