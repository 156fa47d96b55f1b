"""The Explorer as a user meets it: open data, preprocess, undo, classify, read, look.

Run by ``scripts/gui_tour.py`` (see its docstring for the calling convention) under Xvfb
with Qt's xcb platform; each step checks what issue 18 found wrong and saves a picture.
``--steps margin_histogram,visualize`` runs only those steps (each opens the data it
needs), to retake one picture without the whole tour's MNIST runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import Tour, trigger
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget

from workbench.data.dataset import format_value
from workbench.gui.explorer.window import ExplorerWindow

DATA = Path(__file__).resolve().parents[2] / "workbench" / "resources" / "datasets"




def visible_errors(widget: QWidget) -> list[str]:
    """The parameter refusals shown right now under their fields."""
    return [label.text() for label in widget.findChildren(QLabel)
            if label.isVisible() and ("not allowed" in label.text() or
                                      "cannot read" in label.text())]


class ExplorerTour:
    def __init__(self, tour: Tour) -> None:
        self.tour = tour
        settings_file = Path(tempfile.mkdtemp()) / "explorer.ini"
        self.window = ExplorerWindow(settings=QSettings(str(settings_file),
                                                        QSettings.Format.IniFormat))
        self.classify = self.window.classify
        self.pre = self.window.preprocess
        self.opened: list[QWidget] = []

    # Steps --------------------------------------------------------------------------------
    def open(self, name: str) -> None:
        before = self.window.dataset
        self.window.open_file(str(DATA / name))
        self.tour.wait(lambda: self.window.dataset is not before and
                       self.window.load_job is None, 300, f"loading {name}")

    def run(self, timeout: float = 300) -> None:
        count = len(self.classify.evaluations)
        QTest.mouseClick(self.classify.start_button, Qt.MouseButton.LeftButton)
        self.tour.wait(lambda: not self.classify.running and
                       len(self.classify.evaluations) > count, timeout, "the run to finish")

    def viewer(self, text: str, what: str, docs_name: str | None = None) -> QWidget:
        row = self.classify.results_list.currentRow()
        menu = self.window.results.build_menu(row)
        trigger(menu, text)
        view = self.window.results.windows[-1]
        view.resize(int(self.tour.width * 0.6), int(self.tour.height * 0.7))
        self.tour.settle(0.8)
        self.tour.shot(view, what, docs_name)
        self.opened.append(view)
        return view

    def empty_window(self) -> None:
        t, w = self.tour, self.window
        t.show(w)
        t.check(not w.undo_action.isEnabled(), "Edit > Undo disabled with nothing to undo")
        t.check(not self.pre.undo_button.isEnabled(), "Undo button disabled at start")
        t.check(not w.start_action.isEnabled(), "Run > Start disabled with no data")
        t.check(not self.classify.start_button.isEnabled(), "Start button disabled, no data")
        t.check(self.classify.options_line.isReadOnly() and
                not self.classify.options_line.hasFrame(),
                "the scheme line is read-only and drawn so (no edit frame)")

    def preprocess(self) -> None:
        t, w = self.tour, self.window
        self.open("iris.arff")
        t.check(w.start_action.isEnabled(), "Run > Start enabled once data is loaded")
        t.check(not w.undo_action.isEnabled(), "Undo still disabled after loading")
        # The class attribute's own histogram: one colour per class, as WEKA draws it.
        self.pre.table.setCurrentCell(4, 1)
        counts = self.pre.histogram.counts
        t.check(counts.shape == (3, 3) and (counts == counts.diagonal().max() *
                                           (counts > 0)).all() and
                int(counts.trace()) == 150,
                "class histogram: one series (colour) per class")
        t.shot(w, "preprocess-class-histogram")
        self.pre.table.setCurrentCell(2, 1)
        t.shot(w, "preprocess", "explorer-preprocess.png")
        # A filter, then Undo: Undo is enabled only while there is something to undo.
        self.pre.filter_chooser.set_current("normalize")
        before = w.dataset
        QTest.mouseClick(self.pre.apply_button, Qt.MouseButton.LeftButton)
        t.wait(lambda: w.dataset is not before and w.filter_job is None, 60, "the filter")
        t.check(w.undo_action.isEnabled() and self.pre.undo_button.isEnabled(),
                "Undo enabled after a filter")
        t.shot(w, "preprocess-filtered")
        QTest.mouseClick(self.pre.undo_button, Qt.MouseButton.LeftButton)
        t.check(w.dataset is before, "Undo brings the data back")
        t.check(not w.undo_action.isEnabled() and not self.pre.undo_button.isEnabled(),
                "Undo disabled again with nothing left to undo")
        # Visualize All: every histogram, labels shortened to their room.
        self.pre.table.setCurrentCell(4, 1)
        window = self.pre.visualize_all()
        if window is not None:
            window.resize(int(t.width * 0.7), int(t.height * 0.7))
            t.settle(0.8)
            t.shot(window, "visualize-all")
            self.opened.append(window)

    def configure(self) -> None:
        t, w = self.tour, self.window
        w.tabs.setCurrentWidget(self.classify)
        # The MLP's parameters all show without scrolling.
        self.classify.choose("mlp")
        t.settle(0.5)
        bar = self.classify.sheet_scroll.verticalScrollBar()
        t.check(bar.maximum() == 0, f"the MLP's sheet needs no scrolling (scroll range "
                                    f"{bar.maximum()} px)")
        t.shot(w, "classify-mlp-parameters")
        # Invalid values are refused next to their field, in the command line's words.
        self.classify.choose("knn")
        editor = self.classify.sheet.editor("k")
        editor.selectAll()
        QTest.keyClicks(editor, "-5")
        t.settle(0.3)
        shown = visible_errors(self.classify.sheet)
        t.check(shown == ["-5 is not allowed (expected a whole number in [1, inf])"],
                f"K = -5 refused next to the field (shown: {shown})")
        t.check(self.classify.sheet.values()["k"] != 5, "K = -5 is not turned into 5")
        t.shot(w, "classify-invalid-value")
        t.check(not self.classify.start(), "Start refuses while a value is invalid")
        editor.selectAll()
        QTest.keyClicks(editor, "abc")
        t.settle(0.2)
        shown = visible_errors(self.classify.sheet)
        t.check(bool(shown) and "cannot read 'abc'" in shown[0], "'abc' is refused, not ignored")
        editor.selectAll()
        QTest.keyClicks(editor, "3")
        t.check(self.classify.sheet.is_valid() and not visible_errors(self.classify.sheet),
                "K = 3 accepted and the message gone")
        t.check(self.classify.options_line.text() == "IBk -K 3",
                f"the scheme line reads IBk -K 3 ({self.classify.options_line.text()})")

    def classify_and_read(self) -> None:
        t, w = self.tour, self.window
        self.classify.use_cv.setChecked(True)
        self.run()
        item = self.classify.results_list.item(self.classify.results_list.count() - 1)
        t.check(item.text().endswith(" - IBk -K 3"), f"result list says IBk -K 3 "
                                                     f"({item.text()})")
        t.check("Correctly Classified Instances" in self.classify.report.toPlainText(),
                "the report is shown")
        t.check(self.classify.progress_label.text().startswith("Finished"),
                "the progress line says Finished")
        t.shot(w, "classify-report", "explorer-classify.png")
        # A cost matrix of the wrong size is refused; loading other data clears that.
        self.classify.cost_matrix.setText("[0 1; 1 0]")
        self.classify.start()
        t.check("a 3 x 3 matrix" in self.classify.progress_label.text(),
                "a 2 x 2 cost matrix is refused for 3 classes")
        self.open("diabetes.arff")
        t.check("cost matrix" not in self.classify.progress_label.text(),
                "the old cost-matrix error is gone after loading diabetes")
        self.classify.cost_matrix.clear()

    def train_and_stop(self) -> None:
        t, w = self.tour, self.window
        self.classify.choose("mlp", {"epochs": 100000})
        self.classify.use_training.setChecked(True)
        QTest.mouseClick(self.classify.start_button, Qt.MouseButton.LeftButton)
        t.wait(lambda: len(self.classify.curve.series["loss"]) >= 30, 120, "epochs")
        text = self.classify.report.toPlainText()
        t.check(text.startswith("Running MLP -N 100000"),
                f"while training the pane says what runs, not the last report "
                f"({text[:40]!r})")
        t.check(self.classify.curve.loss_widget.height() >= 140,
                f"loss plot at least 140 px high ({self.classify.curve.loss_widget.height()})")
        t.check(self.classify.curve.acc_widget.isVisible() and
                not self.classify.curve.acc_note.isVisible(),
                "the training accuracy is drawn live (each epoch's report carries it)")
        t.check(w.stop_action.isEnabled() and not w.start_action.isEnabled(),
                "Run menu: Stop enabled, Start disabled while training")
        t.shot(w, "classify-training")
        QTest.mouseClick(self.classify.stop_button, Qt.MouseButton.LeftButton)
        t.wait(lambda: not self.classify.running, 60, "the stop")
        t.settle(0.3)
        t.check(self.classify.progress_label.text() == "Stopped: the run was cancelled",
                f"after Stop: {self.classify.progress_label.text()!r}")
        t.check(self.classify.progress_bar.value() == 0, "the bar is reset after Stop")
        t.shot(w, "classify-stopped")

    def viewers(self) -> None:
        t = self.tour
        self.classify.choose("mlp", {"epochs": 200, "validation_percent": 20.0})
        self.classify.use_cv.setChecked(True)
        self.classify.set_test_options(folds=3)
        count = len(self.classify.evaluations)
        QTest.mouseClick(self.classify.start_button, Qt.MouseButton.LeftButton)
        t.wait(lambda: len(self.classify.curve.series["val_accuracy"]) >= 15, 120, "epochs")
        # The curves redraw on their own timer: the plot shows at its next turn.
        t.wait(lambda: self.classify.curve.acc_widget.isVisible(), 5,
               "the accuracy plot to show with validation data")
        t.shot(self.window, "classify-mlp-validation", "explorer-classify-mlp.png")
        t.wait(lambda: not self.classify.running and len(self.classify.evaluations) > count,
               300, "the MLP run")
        t.check(not self.classify.curve.isVisible(),
                "finished: the curves give the report its room back")
        t.shot(self.window, "classify-mlp-report")
        self.classify.choose("naive-bayes")
        self.run()
        confusion = self.viewer("Visualize confusion matrix", "confusion", "confusion-matrix.png")
        t.check(confusion.windowTitle() == "Confusion matrix: NaiveBayes",
                f"viewer title: {confusion.windowTitle()}")
        roc = self.viewer("ROC curves of 2 results overlaid", "roc-overlay", "roc-curves.png")
        names = [label.text for _sample, label in roc.legend.items]
        t.check(any(n.startswith("NaiveBayes (AUC") for n in names) and
                any(n.startswith("MLP -N 200 -V 20.0") for n in names),
                f"ROC legend names as chosen: {names}")
        self.viewer("Visualize precision-recall curves", "precision-recall",
                    "precision-recall-curves.png")
        errors = self.viewer("Visualize classifier errors", "classifier-errors",
                             "classifier-errors.png")
        box = errors.plot.getPlotItem().vb
        t.check(errors.legend.mapRectToScene(errors.legend.boundingRect()).top() >=
                box.mapRectToScene(box.boundingRect()).bottom() - 1,
                "classifier-errors legend below the points, not over them")
        self.classify.results_list.setCurrentRow(self.classify.results_list.count() - 2)
        self.viewer("Visualize learning curves", "learning-curves", "learning-curves.png")
        self.viewer("Visualize learned weights", "weights-mlp-diabetes")
        self.viewer("View in separate window", "report-window")
        # A closed viewer is deleted and leaves the Explorer's list (no window kept for
        # the whole session); the others stay.
        results = self.window.results
        count = len(results.windows)
        self.opened.remove(confusion)
        confusion.close()
        del confusion
        t.wait(lambda: len(results.windows) == count - 1, 5, "the closed viewer to go")
        # Save model writes in a worker: the window keeps painting, the status line says
        # what happened.
        saved = Path(tempfile.mkdtemp()) / "naive-bayes.model"
        row = self.classify.results_list.count() - 1
        self.classify.results_list.setCurrentRow(row)
        results.save_model(self.classify.evaluations[row], str(saved))
        t.wait(lambda: results.saving is None, 30, "the model to be saved")
        t.check(saved.is_file() and
                self.window.status.activity.text() == f"Saved the model to {saved}",
                f"Save model: {self.window.status.activity.text()}")
        t.shot(self.window, "classify-model-saved")

    def visualize(self) -> None:
        t, w = self.tour, self.window
        w.tabs.setCurrentWidget(w.visualize)
        # The matrix is placed over several turns of the event loop (POINTS_PER_TURN):
        # a fixed pause caught it half drawn on a loaded machine.
        t.wait(lambda: not w.visualize.drawing, 30, "the matrix to be drawn")
        t.settle(0.5)
        t.shot(w, "visualize", "explorer-visualize.png")
        plot = w.visualize.open_plot(5, 1)
        if plot is not None:
            plot.resize(int(t.width * 0.5), int(t.height * 0.6))
            t.settle(0.5)
            t.check(plot.legend_names == ["tested_negative", "tested_positive"],
                    f"the enlarged scatter plot has a legend ({plot.legend_names})")
            t.shot(plot, "scatter-plot")
            self.opened.append(plot)

    def margin_histogram(self) -> None:
        """The user guide's margin histogram (explorer.md), with the options its page
        states: a 40-epoch MLP on iris in 10-fold cross-validation, seed 1 (the same run
        as ``workbench classify -t iris -x 10 -s 1 MLP -N 40``). The checks hold the
        page's words to the picture: how many errors, and none a confident one."""
        t, w = self.tour, self.window
        if not w.isVisible():   # run alone (--steps)
            t.show(w)
        self.open("iris.arff")
        w.tabs.setCurrentWidget(self.classify)
        self.classify.choose("mlp", {"epochs": 40})
        self.classify.use_cv.setChecked(True)
        self.classify.set_test_options(folds=10, seed=1)
        self.run()
        evaluation = self.classify.evaluations[-1]
        view = self.viewer("Visualize margin histogram", "margin-histogram",
                           "explorer-margin-histogram.png")
        wrong = view.margins[~view.correct]
        t.check(len(wrong) == round(evaluation.metrics.incorrect) == 8,
                f"the page's 8 errors ({len(wrong)} red, {evaluation.metrics.incorrect:g} in the "
                f"report)")
        t.check(bool(len(wrong)) and float(wrong.min()) > -0.5,
                f"the page's 'none a confident one (all above -0.5)' "
                f"(lowest {float(wrong.min()) if len(wrong) else 'none'})")
        quoted = "150 instances; mean margin 0.572; 8 misclassified (red)"
        t.check(view.summary.text() == quoted,
                f"the line the page quotes, {quoted!r} ({view.summary.text()!r})")

    def tree(self) -> None:
        """The user guide's tree picture (explorer.md): the fully grown decision tree on
        weather.nominal (*Decision tree* with *Pruning* none), as *Visualize tree* draws
        it. The checks hold the picture to the report's text: the same leaves, and windy
        = TRUE's branch before windy = FALSE's, as WEKA's J48 lists them."""
        from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsSimpleTextItem

        t, w = self.tour, self.window
        if not w.isVisible():   # run alone (--steps)
            t.show(w)
        self.open("weather.nominal.arff")
        w.tabs.setCurrentWidget(self.classify)
        self.classify.choose("decision-tree", {"pruning": "none"})
        self.run()
        report = self.classify.report.toPlainText()
        view = self.viewer("Visualize tree", "tree", "explorer-tree.png")
        items = view.canvas.scene().items()
        texts = [i.text() for i in items if isinstance(i, QGraphicsSimpleTextItem)]
        ovals = [i for i in items if isinstance(i, QGraphicsEllipseItem)]
        t.check(len(ovals) == 6 and "Number of Leaves  : \t7" in report,
                f"6 splits drawn ({len(ovals)}) for the report's 7 leaves")
        t.check(report.index("windy = TRUE") < report.index("windy = FALSE"),
                "the report lists windy = TRUE first, as WEKA's J48 does")
        t.check({"= TRUE", "= FALSE", "yes (4.0)", "temperature"} <= set(texts),
                "the picture names the branches and leaves the report does")
        canvas = view.canvas
        shown = canvas.mapToScene(canvas.viewport().rect()).boundingRect()
        t.check(shown.contains(canvas.sceneRect()), "the whole tree in view on open")

    def digits(self) -> None:
        t, w = self.tour, self.window
        self.open("digits.arff")
        w.tabs.setCurrentWidget(self.classify)
        self.classify.choose("knn", {"k": 5})
        self.classify.use_split.setChecked(True)
        self.run()
        view = self.viewer("Visualize learned weights", "weights-ibk-neighbours")
        page = view.pages["Neighbours"] if "Neighbours" in view.pages.slots else None
        if page is not None:
            header = page.table_widget.horizontalHeader()
            t.check(header.sectionSize(1) >= header.fontMetrics().horizontalAdvance(
                "training instance"), "IBk neighbours header not cut")
            t.shot(view, "weights-ibk-neighbours")
        self.classify.choose("mlp", {"epochs": 30})
        self.classify.use_training.setChecked(True)
        self.run()
        self.viewer("Visualize learned weights", "weights-mlp-digits", "weights-mlp-digits.png")

    def constant_attribute(self) -> None:
        """digits' first pixel is 0 in every image: one bar at 0, not a bin from 0 to 1."""
        t, w = self.tour, self.window
        w.tabs.setCurrentWidget(self.pre)
        self.pre.table.setCurrentCell(0, 1)
        t.settle(0.3)
        low, high = self.pre.histogram.getPlotItem().vb.viewRange()[0]
        t.check(abs(low + high) < 1e-6, f"constant 0 drawn centred on 0 ({low}, {high})")
        t.shot(w, "preprocess-constant-attribute")

    def rnn_words(self) -> None:
        """An LSTM on sentences: the hidden state per word, labels thinned to fit."""
        t, w = self.tour, self.window
        self.open("sentiment.arff")
        w.tabs.setCurrentWidget(self.classify)
        self.classify.choose("rnn", {"epochs": 1, "hidden_size": 16})
        self.classify.use_training.setChecked(True)
        self.run(600)
        view = self.viewer("Visualize learned weights", "weights-rnn-words")
        if "Hidden state" not in view.pages.slots:
            t.check(False, "the RNN has a Hidden state page")
            return
        view.tabs.setCurrentWidget(view.pages.slots["Hidden state"])
        page = view.pages["Hidden state"]
        data = w.dataset
        sentences = [format_value(data.attributes[0], v) for v in data.column(0)]
        longest = max(range(len(sentences)), key=lambda i: len(sentences[i].split()))
        page.instance.setValue(longest + 1)  # the longest sentence: the most labels
        t.settle(0.5)
        every = page.tick_every()
        room = page.plot.getPlotItem().vb.width() / max(len(page.steps), 1) * every
        widest = max((page.fontMetrics().horizontalAdvance(s[:12]) for s in page.steps),
                     default=0)
        t.check(room >= widest, f"word labels fit side by side ({room:.0f} >= {widest} px)")
        t.shot(view, "weights-rnn-words")

    def mnist(self) -> None:
        t, w = self.tour, self.window
        self.open("mnist-test.arff.gz")
        w.tabs.setCurrentWidget(self.classify)
        self.classify.choose("mlp", {"epochs": 1})
        self.classify.use_split.setChecked(True)
        self.classify.set_test_options(percent=20)
        self.run(600)
        report = self.classify.report.toPlainText()
        t.check("[list of attributes omitted]" in report and "pixel1\n" not in report,
                "785 attributes: the report omits the list, as WEKA does")
        t.shot(w, "classify-mnist-report")
        view = self.viewer("Visualize learned weights", "weights-mlp-mnist")
        units = view.pages["Hidden units"] if "Hidden units" in view.pages.slots else None
        if units is not None:
            mosaic = getattr(units, "mosaic", None)
            if mosaic is not None:
                t.check(mosaic.tile_count == 397, f"397 tiles ({mosaic.tile_count})")
                t.check(mosaic.smoothed or mosaic.screen_scale() >= 1.0,
                        "a shrunk mosaic is drawn smoothed (no moire)")
            t.shot(view, "weights-mlp-mnist")


STEPS = ("empty_window", "preprocess", "configure", "classify_and_read", "train_and_stop",
         "viewers", "visualize", "margin_histogram", "tree", "digits", "constant_attribute",
         "rnn_words", "mnist")


def main() -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated steps to run, of {', '.join(STEPS)}")
    args, rest = parser.parse_known_args()
    chosen = [name.strip() for name in args.steps.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in STEPS]
    if unknown:
        parser.error(f"unknown step {', '.join(unknown)} (expected some of "
                     f"{', '.join(STEPS)})")
    tour = Tour("explorer", rest)
    steps = ExplorerTour(tour)
    for step in (getattr(steps, name) for name in chosen):
        try:
            step()
        except Exception as error:  # a broken step is a failed check; go on to the next
            import traceback

            traceback.print_exc()
            tour.check(False, f"{step.__name__} raised {type(error).__name__}: {error}")
    steps.window.classify.stop()
    return tour.finish()


if __name__ == "__main__":
    sys.exit(main())
