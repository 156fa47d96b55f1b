"""Command-line flags generated from parameter declarations.

Every parameter gets its long flag (``--hidden-layers 10,5``); booleans also get
``--no-...``. Where WEKA has an option letter for the same knob, that letter works too
(``-K 3``, or a value-less ``-I`` that sets a choice), so WEKA users can type what they
know. Only values the user actually gave are returned, so defaults stay in one place:
the declaration.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from workbench.core.params import Param

_DEST = "param__"
_BOOL_WORDS = ("true", "false", "yes", "no", "on", "off", "1", "0")


def add_param_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup,
                        params: Sequence[Param]) -> None:
    """Add one flag (and its WEKA letters) per declared parameter."""
    for param in params:
        dest = _DEST + param.name
        default = (param.null_word if param.default is None else
                   param.text_of(param.default) if param.escapes else _shown(param.default))
        help_text = f"{param.help} ({param.describe_range()}; default: {default})"
        if param.help_per_choice:  # a line each where the parser keeps lines (LineHelp)
            help_text += "".join(f"\n  {line}" for line in param.choice_lines())
        names = [param.flag]
        if param.letter:
            names.insert(0, "-" + param.letter)
        if param.kind == "bool":
            # "--flag", "--flag false" and "--no-flag" all work: WEKA users and our
            # own help text spell yes/no options each way.
            parser.add_argument(*names, dest=dest, nargs="?", const="true", default=None,
                                type=str.lower,
                                choices=_BOOL_WORDS, metavar="true|false",
                                help=help_text + f"; --no-{param.flag[2:]} turns it off")
            parser.add_argument("--no-" + param.flag[2:], dest=dest, action="store_const",
                                const="false", help=argparse.SUPPRESS)
        else:
            metavar = param.name.upper() if param.kind != "choice" else "{" + ",".join(
                param.choices) + "}"
            parser.add_argument(*names, dest=dest, default=None, metavar=metavar,
                                help=help_text)
        for letter, value in param.flags.items():
            parser.add_argument("-" + letter, dest=dest, action="store_const",
                                const=_text(value),
                                help=f"WEKA's -{letter}: set {param.name} to {_shown(value)}")


class LineHelp(argparse.HelpFormatter):
    """argparse's help layout, except that a line break in an option's help starts a
    new line, so each choice's help gets a line of its own; an indented line is wrapped
    under its own indent, its continuation two spaces further in."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for part in text.split("\n"):
            indent = len(part) - len(part.lstrip(" "))
            hang = indent + 2 if indent else 0
            wrapped = super()._split_lines(part, width - hang)
            lines += [" " * indent + line if k == 0 else " " * hang + line
                      for k, line in enumerate(wrapped)]
        return lines


def params_from_args(args: argparse.Namespace, params: Sequence[Param]) -> dict[str, Any]:
    """The parameter values given on the command line, parsed and validated."""
    given = {}
    for param in params:
        text = getattr(args, _DEST + param.name, None)
        if text is not None:
            given[param.name] = param.parse(text)
    return given


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return str(value)


def _shown(value: Any) -> str:
    return "none" if value is None else _text(value)
