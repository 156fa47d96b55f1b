"""Warnings from the libraries underneath, in the words a person reads.

Python shows a warning with the path of the file that raised it, deep in site-packages,
and the line of code that did (``warnings.warn(``): that reads like a crash to someone
training a model. The command line and the GUI both show a library's warning as one
line that names the library, says the message and the warning's kind, and show each
once per command or run: a 10-fold cross-validation fits 11 models, and an estimator
that does not converge says so for each.
"""

from __future__ import annotations


def warning_text(message: Warning | str, category: type[Warning]) -> str:
    """``sklearn: Stochastic Optimizer: Maximum iterations (5) reached ...
    (ConvergenceWarning)``: the library (the top package of the warning's class; none
    for Python's own kinds), the message on one line, and the kind."""
    text = " ".join(str(message).split())
    library = category.__module__.split(".")[0]
    if library == "workbench":   # our own note (WorkbenchWarning): already our words
        return text
    source = "" if library == "builtins" else f"{library}: "
    return f"{source}{text} ({category.__name__})"
