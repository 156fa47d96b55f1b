"""The relation name a filtered file gets: the old one, then the filter and its options.

WEKA's ``Filter.setOutputFormat`` appends ``-`` + the filter's class name + each of its
``getOptions()`` trimmed and glued together, so a file filtered twice says so in its
header (``iris-weka.filters.unsupervised.attribute.Normalize-S1.0-T0.0``). WEKA users
read that line to see what was done to a file, and scripts compare it, so where our
filter is WEKA's filter with the same options the text here is WEKA's, character for
character (checked against WEKA 3.9.7's weka.jar; ``WEKA_OPTIONS`` lists them, each in
WEKA's ``getOptions`` order). Any other filter, or one of those with a setting WEKA's
lacks, or whose output on this data differs from WEKA's (``weka_differences``: a
date attribute Discretize leaves as it is), appends its own name and command-line
options glued the same way (``iris-pca--variance-covered0.9``), which ``workbench
filter`` would read back.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

from workbench.core.weka.javaformat import java_double_text
from workbench.filters.base import Filter

_U = "weka.filters.unsupervised."
_S = "weka.filters.supervised."

# A builder returns WEKA's class name and option list, or None where this filter's
# settings are not ones WEKA's filter has (then our own spelling is used).
Builder = Callable[[Any], "tuple[str, list[str]] | None"]


def _d(value: float) -> str:
    """A double option as WEKA's getOptions writes it (``"" + double``)."""
    return java_double_text(float(value))


def _flag(on: bool, letter: str) -> list[str]:
    return [letter] if on else []


def _normalize(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.Normalize", ["-S", _d(f.scale), "-T", _d(f.translation)]


def _standardize(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.Standardize", []


def _replace_missing(f: Any) -> tuple[str, list[str]] | None:
    if f.numeric_fill != "mean":
        return None
    return _U + "attribute.ReplaceMissingValues", []


def _nominal_to_binary(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.NominalToBinary", [
        *_flag(f.all_values, "-A"), "-R", f.attribute_indices, *_flag(f.invert, "-V")]


def _numeric_to_nominal(f: Any) -> tuple[str, list[str]] | None:
    if f.max_values != type(f).max_values.default:
        return None
    return _U + "attribute.NumericToNominal", ["-R", f.attribute_indices,
                                               *_flag(f.invert, "-V")]


def _discretize(f: Any) -> tuple[str, list[str]] | None:
    if f.method == "mdl":
        return None
    return _U + "attribute.Discretize", (
        _flag(f.method == "equal-frequency", "-F") + _flag(f.invert, "-V")
        + ["-B", str(f.bins), "-M", "-1.0", "-R", f.attribute_indices,
           "-precision", "6"])


def _supervised_discretize(f: Any) -> tuple[str, list[str]] | None:
    if f.method != "mdl":
        return None
    return _S + "attribute.Discretize", [*_flag(f.invert, "-V"), "-R",
                                         f.attribute_indices, "-precision", "6"]


def _remove(f: Any) -> tuple[str, list[str]] | None:
    if f.attribute_type != "none" or f.name_pattern:
        return None
    indices = ["-R", f.attribute_indices] if f.attribute_indices else []
    return _U + "attribute.Remove", _flag(f.invert, "-V") + indices


def _reorder(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.Reorder", ["-R", f.attribute_order]


def _randomize(f: Any) -> tuple[str, list[str]]:
    return _U + "instance.Randomize", ["-S", str(f.seed)]


def _resample(f: Any) -> tuple[str, list[str]]:
    tail = ["-S", str(f.seed), "-Z", _d(f.sample_size_percent),
            *_flag(not f.replacement, "-no-replacement"), *_flag(f.invert, "-V")]
    if f.supervised_draw:
        return _S + "instance.Resample", ["-B", _d(f.bias_to_uniform), *tail]
    return _U + "instance.Resample", tail


def _remove_percentage(f: Any) -> tuple[str, list[str]]:
    return _U + "instance.RemovePercentage", ["-P", _d(f.percentage),
                                              *_flag(f.invert, "-V")]


def _add_expression(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.AddExpression", ["-E", f.expression, "-N", f.attribute_name]


def _merge_two_values(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.MergeTwoValues", ["-C", f.attribute_index, "-F",
                                             f.first_value_index, "-S",
                                             f.second_value_index]


def _merge_many_values(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.MergeManyValues", ["-C", f.attribute_index, "-L", f.label,
                                              "-R", f.merge_value_range]


def _rename_nominal_values(f: Any) -> tuple[str, list[str]]:
    return _U + "attribute.RenameNominalValues", (
        (["-R", f.selected_attributes] if f.selected_attributes else [])
        + _flag(f.invert, "-V")
        + (["-N", f.value_replacements] if f.value_replacements else [])
        + _flag(f.ignore_case, "-I"))


# The settings of our WEKA StringToWordVector that WEKA's has; any other set away from its
# default (a later option WEKA spells differently) gives our own spelling instead.
_STRING_TO_WORD_VECTOR_KNOWN = frozenset({
    "output", "lowercase", "min_frequency", "words_to_keep", "prefix", "attribute_indices",
    "sparse", "per_class", "delimiters"})


def _string_to_word_vector(f: Any) -> tuple[str, list[str]] | None:
    """WEKA's getOptions order (checked against weka.jar 3.9.7): the converted string
    attributes as WEKA's range (the ones it found, once fitted), then its fixed
    settings we have no other choice of (no periodic pruning, no normalising, no
    stemmer, no stop words, its WordTokenizer with our delimiters)."""
    if f.output == "tfidf" or any(
            getattr(f, p.name) != p.default for p in f.params
            if p.name not in _STRING_TO_WORD_VECTOR_KNOWN):
        return None
    columns = getattr(f, "columns_", None)
    indices = (",".join(str(j + 1) for j in columns) if f.is_fitted and columns
               else f.attribute_indices)
    tokenizer = " ".join(["weka.core.tokenizers.WordTokenizer", "-delimiters",
                          _weka_quoted(f.delimiters, always=True)])
    return _U + "attribute.StringToWordVector", [
        "-R", indices, *(["-P", f.prefix] if f.prefix else []), "-W", str(f.words_to_keep),
        "-prune-rate", "-1.0", *_flag(f.output == "counts", "-C"), "-N", "0",
        *_flag(f.lowercase, "-L"), "-stemmer", "weka.core.stemmers.NullStemmer",
        "-stopwords-handler", "weka.core.stopwords.Null", "-M", str(f.min_frequency),
        *_flag(not f.per_class, "-O"), "-tokenizer", tokenizer]


WEKA_OPTIONS: dict[str, Builder] = {
    "normalize": _normalize,
    "standardize": _standardize,
    "replace-missing-values": _replace_missing,
    "nominal-to-binary": _nominal_to_binary,
    "numeric-to-nominal": _numeric_to_nominal,
    "discretize": _discretize,
    "supervised-discretize": _supervised_discretize,
    "remove": _remove,
    "reorder": _reorder,
    "randomize": _randomize,
    "resample": _resample,
    "remove-percentage": _remove_percentage,
    "add-expression": _add_expression,
    "merge-two-values": _merge_two_values,
    "merge-many-values": _merge_many_values,
    "rename-nominal-values": _rename_nominal_values,
    "weka-string-to-word-vector": _string_to_word_vector,
}


def _weka_options(the_filter: Filter) -> tuple[str, list[str]] | None:
    """WEKA's class name and options for ``the_filter`` when it is WEKA's filter with
    options WEKA has and, once fitted, gave WEKA's output (``weka_differences``: a date
    Discretize left as it is); None otherwise. One rule for the relation name and the
    log's command, so the two never name different filters."""
    builder = WEKA_OPTIONS.get(the_filter.name)
    if builder is None or not type(the_filter).__module__.startswith("workbench.filters."):
        return None
    if the_filter.is_fitted and the_filter.weka_differences():
        return None
    return builder(the_filter)


def filter_suffix(the_filter: Filter) -> str:
    """What a filter appends to the relation name: WEKA's ``-CLASS`` + options where it
    is WEKA's filter with WEKA's settings, our ``-name`` + options otherwise."""
    weka = _weka_options(the_filter)
    if weka is not None:
        name, options = weka
    else:
        name, options = the_filter.name, shlex.split(the_filter.spec_text())[1:]
    return "-" + name + "".join(option.strip() for option in options)


def filtered_relation(relation: str, the_filter: Filter) -> str:
    """``relation`` with the filter appended, as WEKA names a filtered dataset."""
    return relation + filter_suffix(the_filter)


def filter_command(the_filter: Filter) -> str:
    """The filter as one command, for the Explorer's log: WEKA's class and options
    where the relation name gives WEKA's (``weka.filters.unsupervised.attribute.
    Discretize -B 10 -M -1.0 -R first-last -precision 6``, as WEKA's log writes it, so
    a WEKA user can run it again), otherwise our command line's words with every
    option, defaults included, as a classifier's Scheme line has them (``pca
    --variance-covered 0.95 ...``)."""
    weka = _weka_options(the_filter)
    if weka is None:
        from workbench.core.names import registered_full_name

        return registered_full_name(the_filter) or the_filter.spec_text()
    name, options = weka
    return " ".join([name, *(_weka_quoted(option) for option in options if option)])


# What WEKA's Utils.backQuoteChars escapes inside a quoted option.
_BACK_QUOTED = str.maketrans({"\\": "\\\\", "'": "\\'", '"': '\\"', "\t": "\\t",
                              "\n": "\\n", "\r": "\\r", "%": "\\%"})


def _weka_quoted(option: str, *, always: bool = False) -> str:
    """An option as WEKA's ``Utils.joinOptions`` writes it: in double quotes, its
    special characters escaped, when it holds white space or a quote (``always``: as
    ``Utils.quote`` does for any text, WEKA's WordTokenizer's delimiters)."""
    if not always and not any(ch.isspace() or ch in "\"'" for ch in option):
        return option
    return '"' + option.translate(_BACK_QUOTED) + '"'
