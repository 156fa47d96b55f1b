"""``workbench info FILE``: what is in a data file, as WEKA's Preprocess panel shows it.

The class defaults to the last attribute, as WEKA's command line assumes, so that
``workbench info iris.arff`` shows the class distribution without being asked; ``-c
none`` turns that off. The loading options here (class, CSV reading) are shared with
``workbench convert``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from workbench.commands._args import (
    add_csv_arguments,
    csv_arguments_checked,
    csv_options_given,
    csv_reader_arguments,
    file_name,
)
from workbench.commands._csv_layout import warn_csv_layout
from workbench.commands._encoding import add_encoding_argument, load_data_file
from workbench.commands._missing_words import warn_numbers_with_tokens
from workbench.commands._separated_numbers import warn_separated_numbers
from workbench.commands._stdio import is_stdio, shown_name, stdin_data_file
from workbench.core.errors import ParameterError
from workbench.data.catalog import resolve_data_path
from workbench.data.csv_options import typed_columns
from workbench.data.dataset import AttributeType, Dataset
from workbench.data.shown import one_line
from workbench.data.stats import (
    AttributeSummary,
    class_distribution,
    spread_text,
    summarize,
    value_text,
)

_MAX_LABELS_SHOWN = 6


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that say how to read a data file (shared with ``convert``)."""
    parser.add_argument("-c", "--class", dest="class_", metavar="CLASS", default="last",
                        help="class attribute: first, last (default), a 1-based index, a "
                             "name, or none (0 too, as in workbench filter and WEKA's "
                             "filters)")
    add_csv_arguments(parser.add_argument_group("CSV files"))
    add_encoding_argument(parser)   # ARFF files take it too


def class_key(text: str | None, dataset: Dataset) -> int | str | None:
    """The class attribute a ``-c`` value names: first, last, 1-based index, name, none.

    ``0`` means none, as it does for ``workbench filter`` and WEKA's filters (whose
    ``-c 0`` sets index -1, no class), unless an attribute is called ``0``: names win
    over numbers here, as below."""
    if text is None or text.lower() == "none":
        return None
    if text == "0" and not any(a.name == text for a in dataset.attributes):
        return None
    if dataset.num_attributes == 0:
        raise ParameterError("the file has no attributes, so no class can be set")
    lowered = text.lower()
    if lowered == "first":
        return 0
    if lowered == "last":
        return dataset.num_attributes - 1
    if text.isdecimal() and not any(a.name == text for a in dataset.attributes):
        index = int(text)
        if not 1 <= index <= dataset.num_attributes:
            raise ParameterError(f"class index {index} is outside 1..{dataset.num_attributes}")
        return index - 1
    if not any(a.name == text for a in dataset.attributes):
        raise ParameterError(f"there is no attribute named '{text}' to use as the class "
                             f"(attributes: {', '.join(a.name for a in dataset.attributes)})")
    return text


def load_from_args(args: argparse.Namespace) -> Dataset:
    """The dataset FILE names, read with the options of ``add_load_arguments``."""
    return load_with_format(args)[0]


def load_with_format(args: argparse.Namespace) -> tuple[Dataset, str]:
    """``load_from_args``, and the name of the format FILE was read in (``"arff"``,
    ``"csv"``, a plugin's). ``-`` reads standard input: CSV when a CSV option is
    given, else ARFF unless it does not start like ARFF (``_stdio``)."""
    dataset, kind, _delimiter = load_as_read(args)
    return dataset, kind


def load_as_read(args: argparse.Namespace) -> tuple[Dataset, str, str | None]:
    """``load_with_format``, and for CSV the delimiter it was read with (``--delimiter``,
    else the one found), so that it can be written back as it came; None for others."""
    if is_stdio(args.file):
        with stdin_data_file(csv=csv_options_given(args),
                             encoding=getattr(args, "encoding", None)) as path:
            return _load(args, path)
    return _load(args, resolve_data_path(args.file))


def _load(args: argparse.Namespace, path: Path) -> tuple[Dataset, str, str | None]:
    from workbench.data.io import file_format

    options: dict[str, Any] = {}
    csv_arguments = csv_arguments_checked(args, str(path))
    if csv_arguments:
        options = csv_reader_arguments(args)
    dataset = load_data_file(path, getattr(args, "encoding", None), skip_lines_flag=True,
                             **options)
    shown = shown_name(args.file)
    kind = file_format(path)
    delimiter = None
    if kind == "csv":   # imported here: the CSV reader brings pandas, which ARFF needs not
        from workbench.data.csv import file_delimiter

        delimiter = options.get("delimiter") or file_delimiter(
            path, getattr(args, "encoding", None) or "utf-8", args.skip_lines or 0)
    if csv_arguments:
        _warn_about_columns(args, dataset, shown, options, delimiter or ",")
        warn_csv_layout(dataset, shown, header=not args.no_header)
    try:   # the file, as every other error about it says: a relation is often the same
        key = class_key(args.class_, dataset)
    except ParameterError as error:
        raise ParameterError(f"{shown}: {error}") from None
    return (dataset if key is None else dataset.with_class(key)), kind, delimiter


def _warn_about_columns(args: argparse.Namespace, dataset: Dataset, shown: str,
                        options: dict[str, Any], delimiter: str) -> None:
    """The warnings for columns of numbers read as nominal: written with other
    separators (``--decimal``), or spoiled by a word such as NA (``--missing``)."""
    from workbench.data.number_format import NumberFormat

    forced = [*typed_columns(args.nominal), *typed_columns(args.string),
              *typed_columns(args.date)]
    number_format = NumberFormat(options.get("decimal", "."), options.get("thousands", ""))
    warn_separated_numbers(dataset, shown, delimiter, forced=forced,
                           number_format=number_format)
    warn_numbers_with_tokens(dataset, shown, forced=forced,
                             missing=options.get("missing", ()),
                             number_format=number_format)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", type=file_name,
                        help="an .arff, .arff.gz, .csv or .tsv file, the name of a bundled "
                             "dataset such as iris, or - for standard input (ARFF, or CSV "
                             "with a CSV option or when it does not start like ARFF)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object instead of the table")
    add_load_arguments(parser)


def _clean(value: Any) -> Any:
    """JSON has no NaN or infinity; a statistic that is not finite becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def describe(dataset: Dataset, summaries: list[AttributeSummary] | None = None
             ) -> dict[str, Any]:
    """The JSON ``info --json`` prints: header facts, per-attribute summaries, classes."""
    summaries = summarize(dataset) if summaries is None else summaries
    attributes = []
    for summary in summaries:
        entry = summary.to_dict()
        attribute = dataset.attributes[summary.index]
        if attribute.type is AttributeType.DATE:
            entry["date_format"] = attribute.date_format
            for key in ("minimum", "maximum", "mean"):
                if key in entry:
                    entry[f"{key}_text"] = value_text(dataset, summary.index, entry[key])
            if entry.get("std") is not None:
                entry["std_text"] = spread_text(dataset, summary.index, entry["std"])
        attributes.append(entry)
    out: dict[str, Any] = {
        "relation": dataset.relation,
        "num_instances": dataset.num_instances,
        "num_attributes": dataset.num_attributes,
        "sparse": dataset.is_sparse,
        "total_weight": float(dataset.weights.sum()),
        "class_index": dataset.class_index,
        "class_attribute": None,
        "attributes": attributes,
    }
    cls = dataset.class_attribute
    if cls is not None:
        out["class_attribute"] = cls.name
        out["class_type"] = cls.type.value
        if cls.is_nominal:
            out["class_values"] = list(cls.values)
            out["class_distribution"] = class_distribution(dataset)
    return _clean(out)


def _percent(count: int, total: int) -> str:
    return f"{count} ({round(100.0 * count / total) if total else 0}%)"


def _summary_text(dataset: Dataset, s: AttributeSummary) -> str:
    if s.type in (AttributeType.NUMERIC, AttributeType.DATE):
        if s.minimum is None:
            return "no values"
        parts = [f"min {value_text(dataset, s.index, s.minimum)}",
                 f"max {value_text(dataset, s.index, s.maximum)}"]
        if s.mean is not None:
            parts.append(f"mean {value_text(dataset, s.index, s.mean)}")
        if s.std is not None:
            parts.append(f"std {spread_text(dataset, s.index, s.std)}")
        return "  ".join(parts)
    if s.type is AttributeType.NOMINAL:
        pairs = [f"{one_line(label)}: {count}"
                 for label, count in zip(s.labels, s.counts, strict=True)]
        if len(pairs) > _MAX_LABELS_SHOWN:
            pairs = [*pairs[:_MAX_LABELS_SHOWN], f"... {len(pairs) - _MAX_LABELS_SHOWN} more"]
        return ", ".join(pairs)
    return ""


def report_text(dataset: Dataset, summaries: list[AttributeSummary] | None = None) -> str:
    """The readable report: header facts, an aligned attribute table, the class counts."""
    summaries = summarize(dataset) if summaries is None else summaries
    n = dataset.num_instances
    lines = [f"Relation:       {one_line(dataset.relation)}",
             f"Instances:      {n}" + ("  (sparse)" if dataset.is_sparse else ""),
             f"Attributes:     {dataset.num_attributes}",
             f"Sum of weights: {float(dataset.weights.sum()):g}"]
    cls = dataset.class_attribute
    if cls is not None:
        extra = f", {cls.num_values} values" if cls.is_nominal else ""
        lines.append(f"Class:          {one_line(cls.name)} ({cls.type.value}{extra})")
    else:
        lines.append("Class:          none")
    header = ("#", "Name", "Type", "Missing", "Distinct", "Unique", "Summary")
    rows = [header] + [
        (str(s.index + 1),
         one_line(s.name) + (" (class)" if s.index == dataset.class_index else ""),
         s.type.value, _percent(s.missing, n), str(s.distinct), _percent(s.unique, n),
         _summary_text(dataset, s)) for s in summaries]
    widths = [max(len(row[k]) for row in rows) for k in range(len(header) - 1)]
    lines.append("")
    for row in rows:
        cells = [row[0].rjust(widths[0])] + [c.ljust(w) for c, w in
                                             zip(row[1:-1], widths[1:], strict=True)]
        lines.append(("  ".join(cells) + "  " + row[-1]).rstrip())
    if cls is not None and cls.is_nominal:
        counts = class_distribution(dataset, weighted=False)
        weights = class_distribution(dataset)
        total = sum(counts.values())
        width = max(len(one_line(label)) for label in counts) if counts else 0
        lines += ["", f"Class distribution ({one_line(cls.name)}):"]
        for label, count in counts.items():
            share = f"{100.0 * count / total:5.1f}%" if total else "  -  "
            weight = "" if weights[label] == count else f"  weight {weights[label]:g}"
            lines.append(f"  {one_line(label).ljust(width)}  {int(count):>8}  "
                         f"{share}{weight}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    dataset = load_from_args(args)
    summaries = summarize(dataset)
    if args.json:
        print(json.dumps(describe(dataset, summaries), indent=2, allow_nan=False))
    else:
        print(report_text(dataset, summaries))
    return 0


__all__ = ["add_load_arguments", "class_key", "describe", "load_from_args",
           "load_with_format", "report_text"]
