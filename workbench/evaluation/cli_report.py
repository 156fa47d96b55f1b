"""The report of ``workbench classify``: WEKA's command line's sections, to the character.

WEKA's command line (``Evaluation.evaluateModel``) lays a run out differently from the
Explorer: the model, then the statistics on the training data ("=== Error on training
data ===", left out by ``-v``), then those of the test ("=== Error on test data ===",
"=== Error on test split ===" or "=== Stratified cross-validation ===", each title in
place of "=== Summary ==="), with its timing lines between. Users diff our output against
WEKA's, so this follows it line for line. Two additions, both outside WEKA's text: the
Explorer's "Run information" block first (the data and test mode a saved report needs;
WEKA's command line prints only "Options: ...", which follows it here) and any
warnings last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.weka.javaformat import double_to_string
from workbench.evaluation.metrics import Metrics
from workbench.evaluation.report import (
    class_details_text,
    matrix_text,
    run_information_text,
    summary_text,
    warnings_text,
)

if TYPE_CHECKING:
    from workbench.evaluation.evaluate import Evaluation


def cli_report(evaluation: Evaluation, training: Evaluation | None = None, *,
               with_model: bool = True, complexity: bool = False,
               seconds: float | None = None, options: str | None = None,
               per_class: bool = True) -> str:
    """WEKA's command-line report of ``evaluation``.

    ``training`` is the full-data model tested on its training data (the "Error on
    training data" section; None leaves it out, as ``-v``); an evaluation on the
    training data (``-no-cv``) is that section itself. ``seconds`` is what the
    cross-validation took, for WEKA's "Time taken to perform cross-validation".
    ``options`` are the scheme's options as typed (``-K 3``): WEKA prints them as
    "Options: -K 3 " above the model, only when some were typed and the model is shown.
    ``per_class=False`` leaves out "Detailed Accuracy By Class", as WEKA's
    ``-do-not-output-per-class-statistics``.
    """
    info = evaluation.run_info(with_model)
    out = [run_information_text(info)]
    if info.model_text is not None:
        if options:
            out.append(f"\nOptions: {options} \n")   # each option followed by a space
        out.append("\n=== Classifier model (full training set) ===\n\n"
                   + info.model_text + "\n"
                   + f"\nTime taken to build model: {_seconds(info.build_time)} seconds\n")
    mode = evaluation.option.mode
    if mode == "training":
        training = evaluation
    if training is not None:
        out.append(_section("Time taken to test model on training data",
                            training.test_time, "Error on training data",
                            training.metrics, complexity, per_class=per_class))
    if mode == "test_set":
        out.append(_section("Time taken to test model on test data", evaluation.test_time,
                            "Error on test data", evaluation.metrics, complexity,
                            per_class=per_class))
    elif mode == "split":
        out.append(_section("Time taken to test model on test split", evaluation.test_time,
                            "Error on test split", evaluation.metrics, complexity,
                            per_class=per_class))
    elif mode == "cross_validation":
        took = evaluation.test_time if seconds is None else seconds
        title = ("Stratified cross-validation" if evaluation.metrics.nominal
                 else "Cross-validation")
        out.append(_section("Time taken to perform cross-validation", took, title,
                            evaluation.metrics, complexity, gap="\n\n",
                            per_class=per_class))
    out.append("\n")
    out.append(warnings_text(info.warnings))
    return "".join(out)


def _section(timing: str, seconds: float, title: str, metrics: Metrics,
             complexity: bool, gap: str = "\n", per_class: bool = True) -> str:
    """One block of statistics as WEKA's command line prints it: the timing line, the
    summary under the block's title, then per-class details and the matrix."""
    text = (f"\n{timing}: {_seconds(seconds)} seconds\n{gap}"
            + summary_text(metrics, f"=== {title} ===\n", complexity))
    if metrics.nominal:
        details = class_details_text(metrics) + "\n\n" if per_class else ""
        text += "\n\n" + details + matrix_text(metrics)
    return text


def _seconds(value: float) -> str:
    return double_to_string(value, 2)
