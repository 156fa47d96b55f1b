"""Type to find in the Choose menus (walkthrough 13, K7): the menu listed categories only,
and typing "t" or "ibk" did nothing, so a learner had to know that IBk is "lazy".
WEKA 3.9's chooser has a "Search:" field above its tree; ours has one at the top of the
menu, focused when it opens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from workbench.core.registry import default_registry
from workbench.gui.widgets.chooser import ComponentChooser


@pytest.fixture(scope="module")
def registry():
    return default_registry(plugins=False)


# -- the menu, as a keyboard user meets it ----------------------------------------------

def _while_open(qtbot, chooser: ComponentChooser, steps: Callable[[QMenu], None]) -> None:
    """Open the chooser's menu as Space on it does and run ``steps`` while it is up;
    the menu runs its own event loop, so the steps run from inside it."""
    done: list[BaseException | None] = []

    def run() -> None:
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(10, run)
            return
        try:
            assert popup is chooser.menu()
            steps(popup)
            done.append(None)
        except BaseException as error:  # reported after the menu's loop returns
            done.append(error)
        finally:
            if chooser.menu().isVisible():
                chooser.menu().close()

    QTimer.singleShot(0, run)
    chooser.setFocus()
    qtbot.keyClick(chooser, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(done), timeout=5_000)
    if done[0] is not None:
        raise done[0]


@pytest.fixture
def chooser(qtbot, registry):
    widget = ComponentChooser(registry, "classifier", "zeror")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _visible_texts(menu: QMenu) -> list[str]:
    return [a.text().split("\t")[0] for a in menu.actions()
            if a.isVisible() and not a.isSeparator() and a is not _field_action(menu)]


def _field_action(menu: QMenu):
    return menu.actions()[0]


def test_typing_ibk_and_return_picks_knn(qtbot, chooser):
    picked: list[str] = []
    chooser.chosen.connect(picked.append)

    def steps(menu: QMenu) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), "ibk")   # no click into the field
        assert _visible_texts(menu) == ["IBk (k-nearest neighbours)"]
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert not menu.isVisible()
        assert QApplication.focusWidget() is not None

    _while_open(qtbot, chooser, steps)
    assert chooser.current_name() == "knn" and picked == ["knn"]


def test_naive_lists_the_naive_bayes_learners_and_the_arrows_move(qtbot, chooser):
    def steps(menu: QMenu) -> None:
        qtbot.keyClicks(chooser.search.field, "naive")
        assert _visible_texts(menu) == ["NaiveBayes", "NaiveBayesMultinomial",
                                        "Gaussian naive Bayes (scikit-learn)"]
        assert menu.activeAction().data() == "naive-bayes"
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Down)
        assert menu.activeAction().data() == "naive-bayes-multinomial"
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Down)
        assert menu.activeAction().data() == "gaussian-nb"
        assert QApplication.focusWidget() is chooser.search.field   # still typing
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Down)       # round to the top
        assert menu.activeAction().data() == "naive-bayes"
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Up)
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Return)

    _while_open(qtbot, chooser, steps)
    assert chooser.current_name() == "gaussian-nb"


def test_esc_leaves_the_choice_as_it_was(qtbot, chooser):
    picked: list[str] = []
    chooser.chosen.connect(picked.append)

    def steps(menu: QMenu) -> None:
        qtbot.keyClicks(QApplication.focusWidget(), "naive")
        assert len(_visible_texts(menu)) == 3
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        assert not menu.isVisible()

    _while_open(qtbot, chooser, steps)
    assert chooser.current_name() == "zeror" and picked == []


def test_nothing_found_says_so_and_return_picks_nothing(qtbot, chooser):
    def steps(menu: QMenu) -> None:
        qtbot.keyClicks(chooser.search.field, "qwzx")
        found = chooser.search.found_actions()
        assert [a.text() for a in found] == ["No classifier matches \u201cqwzx\u201d"]
        assert not found[0].isEnabled()
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Return)
        assert menu.isVisible()

    _while_open(qtbot, chooser, steps)
    assert chooser.current_name() == "zeror"


def test_an_empty_field_shows_the_categories_as_before(qtbot, chooser, registry):
    categories = sorted({i.category for i in registry.list("classifier")})

    def steps(menu: QMenu) -> None:
        assert _visible_texts(menu) == categories
        qtbot.keyClicks(chooser.search.field, "svm")
        assert _visible_texts(menu) == ["SVM (scikit-learn SVC)"]
        chooser.search.field.clear()
        assert _visible_texts(menu) == categories
        # Down goes into the categories, where the menu's own keys work as before ...
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Down)
        assert menu.activeAction().text() == categories[0]
        assert QApplication.focusWidget() is menu
        # ... and a letter typed there goes to the field.
        qtbot.keyClick(menu, Qt.Key.Key_Z)
        assert chooser.search.field.text() == "z"
        assert QApplication.focusWidget() is chooser.search.field

    _while_open(qtbot, chooser, steps)


def test_each_opening_starts_empty(qtbot, chooser):
    _while_open(qtbot, chooser, lambda menu: qtbot.keyClicks(chooser.search.field, "svm"))

    def steps(menu: QMenu) -> None:
        assert chooser.search.field.text() == ""
        assert chooser.search.found_actions() == []

    _while_open(qtbot, chooser, steps)


@pytest.mark.parametrize("kind", ["classifier", "filter"])
def test_every_component_is_picked_by_typing_its_display_name(qtbot, registry, kind):
    infos = registry.list(kind)
    widget = ComponentChooser(registry, kind)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    for info in infos:
        def steps(menu: QMenu, info=info) -> None:
            widget.search.field.setText(info.display_name)
            for _ in widget.search.found_actions():
                if menu.activeAction().data() == info.name:
                    break
                qtbot.keyClick(widget.search.field, Qt.Key.Key_Down)
            qtbot.keyClick(widget.search.field, Qt.Key.Key_Return)

        _while_open(qtbot, widget, steps)
        assert widget.current_name() == info.name


def test_a_letter_typed_in_an_open_category_goes_to_the_field(qtbot, chooser):
    def steps(menu: QMenu) -> None:
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Down)   # on "bayes"
        qtbot.keyClick(menu, Qt.Key.Key_Right)                  # its own menu opens
        bayes = menu.activeAction().menu()
        qtbot.waitUntil(lambda: QApplication.activePopupWidget() is bayes)
        qtbot.keyClick(bayes, Qt.Key.Key_I)
        assert not bayes.isVisible()
        assert chooser.search.field.text() == "i"
        assert QApplication.focusWidget() is chooser.search.field
        qtbot.keyClicks(chooser.search.field, "bk")
        qtbot.keyClick(chooser.search.field, Qt.Key.Key_Return)

    _while_open(qtbot, chooser, steps)
    assert chooser.current_name() == "knn"
