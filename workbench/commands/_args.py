"""Argument types the commands share.

A file name typed as ``""`` (an unset shell variable, say) became ``Path("")``, which
reads as ``.``, the current folder: ``workbench info ""`` answered ``.: unknown data file
extension`` and ``workbench run ""`` ``.: is a folder``, naming something the user never
typed. Every file argument is read through ``file_name``, so an empty one is refused by
the argument parser itself, naming the option (exit status 2).

``CommandParser`` is the parser class of ``workbench`` and of every command;
``add_csv_arguments`` declares how to read a CSV file, for every command that reads one.
"""

from __future__ import annotations

import argparse
import difflib
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn


def file_name(text: str) -> str:
    """A file or folder argument as typed; refused when empty."""
    if not text:
        raise argparse.ArgumentTypeError("an empty file name; give the path of a file")
    return text


class CommandParser(argparse.ArgumentParser):
    """The parser every command uses: no abbreviated options, no option read out of a
    longer word, and one-line errors.

    argparse would take ``-p`` as short for ``-preserve-order`` (WEKA's ``-p 0``, "print
    predictions", then ran a different test), so abbreviations are off: an option is
    spelt out or refused. It also reads any word that starts with a one-letter option as
    that option with the rest as its value, so WEKA's ``-distribution`` was ``-d
    istribution`` and saved a model file called "istribution": a word is read that way
    only where the rest is a value a person writes attached (``-x5``), never a file name
    and never a word (see ``_attached_value_allowed``). ``not_offered`` (option ->
    what to type instead) lists the words a command refuses with advice. Its errors
    printed the whole usage (ten lines for a classifier) above the one line that
    mattered; here the error is one line that names the help.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.not_offered: Mapping[str, str] = {}

    def _get_option_tuples(self, option_string: str) -> list[Any]:
        # Python 3.11's argparse still matches a prefix of a single-dash long option
        # ("-p" for "-preserve-order") with allow_abbrev off; keep only the short
        # option written together with its value ("-x5" for "-x 5").
        found = super()._get_option_tuples(option_string)
        if self.allow_abbrev:
            return found
        if option_string.split("=", 1)[0] in self.not_offered:
            return []   # an option of its own, refused with its advice
        spelt_out = [match[1] for match in found if len(match[1]) > 2]
        attached = option_string[2:]
        if spelt_out and attached.isalpha():
            # "-split 66" is not "-s plit": a short start of a longer option, cut short
            self.error(f"{option_string}: did you mean {' or '.join(sorted(spelt_out))}?")
        return [match for match in found
                if len(match[1]) == 2 and self._attached_value_allowed(match[0], attached)]

    def _attached_value_allowed(self, action: argparse.Action, attached: str) -> bool:
        """Whether ``-X`` + ``attached`` may be read as option ``-X`` (``action``) with
        ``attached`` as its value: flags bundled (``-ov``, each a flag of this parser)
        or a value that does not start with a letter (``-x5``, ``-s1``), never a file
        name. Otherwise the whole word is an unknown option (WEKA reads none of these:
        each option is a word of its own)."""
        if action.nargs == 0:
            flags = self._option_string_actions
            return all(f"-{letter}" in flags and flags[f"-{letter}"].nargs == 0
                       for letter in attached)
        return takes_value_attached(action) and not attached[:1].isalpha()

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{help_command(self.prog)}')\n")


def takes_value_attached(action: argparse.Action) -> bool:
    """Whether an option's value may be written attached to it (``-x5``): not a file
    name, which ``-dmodel`` would make of a mistyped word."""
    return action.nargs != 0 and action.type is not file_name


def help_command(prog: str) -> str:
    """The command that shows the help of the parser called ``prog`` (the classifier
    parsers are called ``workbench classify [options] knn``)."""
    return prog.replace(" [options]", "") + " --help"


def unrecognized_message(parser: argparse.ArgumentParser, extra: Sequence[str],
                         not_offered: Mapping[str, str]) -> str:
    """``unrecognized arguments: ...`` with, for each unknown option, what to use.

    A WEKA option the command does not offer gets its own hint (``not_offered``: option
    -> what to type instead, or why it is not needed); any other gets the nearest option
    the parser has. The nearest is never the opposite: ``-no-predictions`` was answered
    "did you mean --predictions?", which would turn on what it asked to turn off.
    """
    options = [o for action in parser._actions for o in action.option_strings]
    hints = []
    for index, word in enumerate(extra):
        if not word.startswith("-"):
            continue
        flag = word.split("=")[0]
        if flag in not_offered:
            hints.append(f"{flag}: {not_offered[flag]}")
            continue
        if flag in options:
            # An option of ours, left over only because a '--' before it ended the
            # options: "did you mean -K?" for -K would say nothing.
            if "--" in extra[:index]:
                hints.append(f"{flag}: it follows '--', which ends the options")
            continue
        negated = _negated(flag)
        same_sense = [o for o in options if _negated(o) == negated]
        close = difflib.get_close_matches(flag, same_sense, n=1, cutoff=0.6)
        if close:
            hints.append(f"{word}: did you mean {close[0]}?")
        elif _read_as_short_option(parser, flag):
            # "-dmodel": refused above rather than read as "-d model"
            hints.append(f"{flag}: unknown option ({flag[:2]} takes its value as the "
                         f"next word: {flag[:2]} {flag[2:]})")
    return (f"unrecognized arguments: {' '.join(extra)}"
            + (f" ({'; '.join(hints)})" if hints else ""))


def _read_as_short_option(parser: argparse.ArgumentParser, flag: str) -> bool:
    """Whether ``flag`` is a one-letter option of ``parser`` that takes a value, with
    more letters after it (``-dmodel``)."""
    action = parser._option_string_actions.get(flag[:2])
    return (len(flag) > 2 and flag[1] != "-" and action is not None
            and action.nargs != 0)


def _negated(flag: str) -> bool:
    return flag.lstrip("-").startswith("no-")


def add_csv_arguments(group: Any) -> None:
    """``--delimiter --no-header --nominal --string --numeric --date --date-format
    --missing --decimal --thousands --skip-lines`` on a parser or group: the options of
    WEKA's CSVLoader (and pandas' ``decimal``/``thousands``), which ``info``,
    ``convert`` and ``explorer`` take (``data.csv_options.csv_reader_options`` reads
    them)."""
    group.add_argument("--delimiter", metavar="CHAR",
                       help="field delimiter (default: detect comma, semicolon or tab; "
                            "'\\t' for tab)")
    group.add_argument("--no-header", action="store_true",
                       help="the first row is data; columns are named att1, att2, ...")
    for flag, kind, weka in (("--nominal", "nominal", "-N"), ("--string", "string", "-S"),
                             ("--numeric", "numeric", "-R"), ("--date", "dates", "-D")):
        group.add_argument(flag, metavar="COLUMNS",
                           help=f"columns to read as {kind} (WEKA's {weka}): names or "
                                f"numbers from 1, comma-separated, or a range such as "
                                f"first-3,5,last")
    group.add_argument("--date-format", metavar="PATTERN",
                       help="the Java date pattern of the --date columns, as WEKA's "
                            "-format (e.g. dd/MM/yyyy, M/d/yyyy H:mm:ss; default: ISO "
                            "8601 yyyy-MM-dd'T'HH:mm:ss)")
    group.add_argument("--missing", metavar="TEXT", action="append",
                       help="text meaning a missing value, in place of ? as WEKA's -M; "
                            "comma-separated for several (NA,NaN; \\, for a comma "
                            "inside one), repeatable; an empty field is always missing")
    group.add_argument("--decimal", metavar="CHAR",
                       help="the decimal separator of the numbers (default: '.'; ',' for "
                            "German or French Excel files: 1,57)")
    group.add_argument("--thousands", metavar="CHAR",
                       help="the character between thousands in the numbers (default: "
                            "none; '.' for 1.234,5, ',' for 1,234.5, space for "
                            "7 994,97, no-break spaces included)")
    group.add_argument("--skip-lines", type=int, default=0, metavar="N",
                       help="skip N title lines above the header")


CSV_OPTIONS = ("--delimiter", "--no-header", "--nominal", "--string", "--numeric", "--date",
               "--date-format", "--missing", "--decimal", "--thousands", "--skip-lines")


def csv_options_given(args: argparse.Namespace) -> bool:
    """Whether any of ``add_csv_arguments``'s options was typed."""
    return any(getattr(args, flag.lstrip("-").replace("-", "_")) for flag in CSV_OPTIONS)


def csv_reader_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """``read_csv``'s keywords for ``add_csv_arguments``'s options as typed."""
    from workbench.data.csv_options import csv_reader_options

    return csv_reader_options(
        delimiter=args.delimiter or "", header=not args.no_header,
        skip_lines=args.skip_lines, nominal=args.nominal or "", string=args.string or "",
        numeric=args.numeric or "", date=args.date or "",
        date_format=args.date_format or "", missing=args.missing or (),
        decimal=args.decimal or "", thousands=args.thousands or "")


def name_and_words(name: str, words: str) -> type[argparse.Action]:
    """An action for one ``nargs=REMAINDER`` positional that sets ``name`` (the first
    word, or None) and ``words`` (every word after it, a '--' among them kept for the
    command to read). argparse dropped a '--' typed right after an optional positional
    name (``IBk -- -K 3`` read as ``IBk -K 3``) but kept one typed later, so the same
    words meant two things; a '--' before the name only ends the general options."""

    class NameAndWords(argparse.Action):
        def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                     values: str | Sequence[Any] | None, option_string: str | None = None
                     ) -> None:
            typed = [str(word) for word in values or ()]
            if typed[:1] == ["--"]:
                typed = typed[1:]
            setattr(namespace, name, typed[0] if typed else None)
            setattr(namespace, words, typed[1:])

    return NameAndWords


def csv_arguments_checked(args: argparse.Namespace, path: str | None) -> bool:
    """Whether ``path`` is a CSV file read with ``add_csv_arguments``'s options; refuses
    a negative ``--skip-lines`` and those options for a file that is not CSV (they would
    be ignored)."""
    from workbench.core.errors import ParameterError
    from workbench.data.io import file_format  # the format that reads it, plugins' too

    if args.skip_lines < 0:
        raise ParameterError(f"--skip-lines {args.skip_lines}: the number of title lines "
                             f"to skip is 0 or more")
    csv = path is not None and file_format(path) == "csv"
    if not csv and csv_options_given(args):
        raise ParameterError(f"the CSV options ({', '.join(CSV_OPTIONS)}) apply to CSV "
                             f"files only")
    return csv
