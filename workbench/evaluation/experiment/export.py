"""A ``Comparison`` as WEKA's Experimenter prints it, as CSV, and as a LaTeX table.

The text follows the Experimenter's "Test output": the baseline in column (1), each cell
``mean(std)`` followed by ``v`` (significantly better than the baseline) or ``*``
(significantly worse), in the measure's better direction, the ``(v/ /*)`` tally under
each column, and a key. Both the text and the LaTeX caption say what the marks mean and
which way is better, since WEKA's own tables mark higher/lower instead. The LaTeX uses
WEKA's symbols (``$\\circ$`` for v, ``$\\bullet$`` for *).
"""

from __future__ import annotations

import csv
import io
import math

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment.analysis import LOSS, WIN, Comparison
from workbench.evaluation.experiment.measures import higher_is_better

FORMATS: tuple[str, ...] = ("text", "csv", "latex")


def export(comparison: Comparison, fmt: str = "text", precision: int = 2) -> str:
    """The comparison in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "text":
        return format_text(comparison, precision)
    if fmt == "csv":
        return format_csv(comparison)
    if fmt == "latex":
        return format_latex(comparison, precision)
    raise WorkbenchError(f"unknown format '{fmt}' (expected one of {', '.join(FORMATS)})")


def _num(value: float, precision: int) -> str:
    return "-" if math.isnan(value) else f"{value:.{precision}f}"


def format_text(comparison: Comparison, precision: int = 2) -> str:
    c = comparison
    cells = {key: f"{_num(cell.mean, precision)}({_num(cell.std, precision)})"
             for key, cell in c.cells.items()}
    width = max([len(s) for s in cells.values()] + [8])
    name_width = max([len(d) for d in c.datasets] + [len("Dataset")])
    counts = {d: max(c.cells[(d, clf)].count for clf in c.classifiers) for d in c.datasets}
    count_width = max(len(f"({n})") for n in counts.values())
    lines = [
        f"Analysing:  {c.metric}",
        f"Datasets:   {len(c.datasets)}",
        f"Resultsets: {len(c.classifiers)}",
        f"Confidence: {c.significance:g} (two tailed)",
        "Test:       corrected resampled paired t-test (Nadeau & Bengio)",
        f"Marks:      {c.legend}",
        "",
    ]
    prefix = name_width + count_width + 2
    header = f"{'Dataset':<{prefix}} {'(1)':>{width}} |" + "".join(
        f" {f'({i + 1})':>{width}}  " for i in range(1, len(c.classifiers)))
    lines += [header.rstrip(), "-" * len(header)]
    for d in c.datasets:
        line = f"{d:<{name_width}} {f'({counts[d]})':>{count_width}} "
        line += f" {cells[(d, c.classifiers[0])]:>{width}} |"
        for clf in c.classifiers[1:]:
            mark = c.cells[(d, clf)].marker or " "
            line += f" {cells[(d, clf)]:>{width}} {mark}"
        lines.append(line.rstrip())
    lines.append("-" * len(header))
    tally = f"{'':<{prefix}} {'(v/ /*)':>{width}} |"
    for clf in c.classifiers[1:]:
        v, tie, star = c.counts(clf)
        tally += f" {f'({v}/{tie}/{star})':>{width}}  "
    lines += [tally.rstrip(), "", "Key:"]
    lines += [f"({i + 1}) {clf}" for i, clf in enumerate(c.classifiers)]
    lines += ["", "Ranking (significant wins - losses over all pairs, better direction):",
              f"{'>-<':>5} {'>':>4} {'<':>4}  Resultset"]
    lines += [f"{e.score:>5} {e.wins:>4} {e.losses:>4}  {e.classifier}" for e in c.ranking]
    return "\n".join(lines) + "\n"


def format_csv(comparison: Comparison) -> str:
    """One row per dataset: runs, then mean, std and marker of each classifier, and
    nothing else, so the file loads as a table (``pandas.read_csv``, a spreadsheet)
    with ``runs``, the means and the std devs as numbers. What the marks mean and the
    ``(v/ /*)`` counts are in the text table and in ``--json``; the command line says
    them on stderr beside a CSV."""
    c = comparison
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["dataset", "runs"]
    for clf in c.classifiers:
        header += [f"{clf} mean", f"{clf} std", f"{clf} marker"]
    writer.writerow(header)
    for d in c.datasets:
        row: list[object] = [d, max(c.cells[(d, clf)].count for clf in c.classifiers)]
        for clf in c.classifiers:
            cell = c.cells[(d, clf)]
            row += [_csv_number(cell.mean), _csv_number(cell.std), cell.marker]
        writer.writerow(row)
    return buffer.getvalue()


def _csv_number(value: float) -> str:
    """``repr`` (every digit), or an empty field for no value, which pandas, a
    spreadsheet and our CSV reader all take as missing."""
    return "" if math.isnan(value) else repr(value)


def csv_notes(comparison: Comparison) -> str:
    """What a CSV of ``comparison`` leaves out, for a person: the marks' meaning and
    each compared classifier's ``(v/ /*)`` counts, one line each."""
    c = comparison
    counts = ", ".join(f"{clf} {'/'.join(map(str, c.counts(clf)))}"
                       for clf in c.classifiers[1:])
    return f"marks: {c.legend}\n(v/ /*): {counts or 'no other classifier'}\n"


def _tex(text: str) -> str:
    for char, repl in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"),
                       ("$", r"\$"), ("#", r"\#"), ("_", r"\_"), ("{", r"\{"),
                       ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\^{}")):
        text = text.replace(char, repl)
    return text


def format_latex(comparison: Comparison, precision: int = 2) -> str:
    c = comparison
    symbols = {WIN: r"$\circ$", LOSS: r"$\bullet$", "": ""}
    spec = "l" + "r" * len(c.classifiers) * 2
    lines = [r"\begin{table}[thb]", r"\centering",
             rf"\caption{{{_tex(c.metric)}: corrected resampled paired t-test at "
             rf"{c.significance:g}; $\circ$, $\bullet$ significantly better, worse than "
             rf"(1) {_tex(c.baseline)} ({'higher' if higher_is_better(c.metric) else 'lower'}"
             rf" is better for {_tex(c.metric)})}}",
             rf"\begin{{tabular}}{{{spec}}}", r"\hline",
             "Dataset & " + " & ".join(rf"\multicolumn{{2}}{{c}}{{({i + 1}) {_tex(clf)}}}"
                                      for i, clf in enumerate(c.classifiers)) + r" \\",
             r"\hline"]
    for d in c.datasets:
        parts = [_tex(d)]
        for clf in c.classifiers:
            cell = c.cells[(d, clf)]
            parts += [rf"{_num(cell.mean, precision)} $\pm$ {_num(cell.std, precision)}",
                      symbols[cell.marker]]
        lines.append(" & ".join(parts) + r" \\")
    lines.append(r"\hline")
    tally = [r"\multicolumn{1}{c}{$\circ$/ /$\bullet$}", "", ""]
    for clf in c.classifiers[1:]:
        v, tie, star = c.counts(clf)
        tally += [rf"({v}/{tie}/{star})", ""]
    lines += [" & ".join(tally) + r" \\", r"\hline", r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"
