"""WEKA's StringToWordVector as WEKA writes it (walkthrough F9): its delimiters with the
control characters escaped (``\\r\\n\\t``), shown and typed so in the help, the sheet and
a spec line; and the relation a filtered file gets, WEKA 3.9.7's character for
character (``sentiment-weka.filters.unsupervised.attribute.StringToWordVector-R1-...``),
where it was ``sentiment-weka-string-to-word-vector``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.core.registry import default_registry
from workbench.data.io import load_dataset
from workbench.filters.relation_name import filter_command, filtered_relation
from workbench.filters.spec import component_spec, parse_component
from workbench.filters.text import WEKA_DELIMITERS, WekaStringToWordVector

# The tokenizer's part of every relation below, as WEKA 3.9.7 writes it (Utils.quote of
# the delimiters inside the tokenizer's joinOptions).
_TOKENIZER = ("-tokenizerweka.core.tokenizers.WordTokenizer -delimiters "
              "\" \\r\\n\\t.,;:\\'\\\"()?!\"")
_FIXED = ("-stemmerweka.core.stemmers.NullStemmer-stopwords-handler"
          "weka.core.stopwords.Null")
_WEKA = "sentiment-weka.filters.unsupervised.attribute.StringToWordVector"


@pytest.fixture(scope="module")
def sentiment():
    from pathlib import Path

    import workbench

    path = Path(workbench.__file__).parent / "resources" / "datasets" / "sentiment.arff"
    data = load_dataset(path, class_index=-1)
    return data.select_rows(list(range(0, 3000, 50)))


# Each expected relation is what weka.jar 3.9.7 wrote for the same options on the same
# file (java weka.filters.unsupervised.attribute.StringToWordVector OPTIONS -c last).
@pytest.mark.parametrize(("values", "expected"), [
    ({}, f"{_WEKA}-R1-W1000-prune-rate-1.0-N0{_FIXED}-M1{_TOKENIZER}"),
    ({"output": "counts", "lowercase": True},
     f"{_WEKA}-R1-W1000-prune-rate-1.0-C-N0-L{_FIXED}-M1{_TOKENIZER}"),
    ({"words_to_keep": 50, "min_frequency": 2, "per_class": False},
     f"{_WEKA}-R1-W50-prune-rate-1.0-N0{_FIXED}-M2-O{_TOKENIZER}"),
    ({"prefix": "w_"}, f"{_WEKA}-R1-Pw_-W1000-prune-rate-1.0-N0{_FIXED}-M1{_TOKENIZER}"),
])
def test_the_relation_is_wekas(sentiment, values, expected):
    fitted = WekaStringToWordVector(**values).fit(sentiment)
    assert filtered_relation(sentiment.relation, fitted) == expected


def test_a_setting_weka_lacks_gives_our_own_spelling(sentiment):
    fitted = WekaStringToWordVector(output="tfidf").fit(sentiment)
    assert filtered_relation("s", fitted).startswith("s-weka-string-to-word-vector")


def test_the_log_names_wekas_command(sentiment):
    fitted = WekaStringToWordVector().fit(sentiment)
    assert filter_command(fitted).startswith(
        "weka.filters.unsupervised.attribute.StringToWordVector -R 1 -W 1000 ")


def test_delimiters_are_shown_and_read_with_escapes():
    param = WekaStringToWordVector.param("delimiters")
    assert param.text_of(WEKA_DELIMITERS) == " \\r\\n\\t.,;:'\"()?!"
    assert param.parse(" \\t.\\\\") == " \t.\\"      # the leading blank is kept
    assert param.parse(param.text_of(WEKA_DELIMITERS)) == WEKA_DELIMITERS


def test_a_spec_with_control_characters_reads_back_equal():
    tab = WekaStringToWordVector(delimiters=" \t\n\\x")
    spec = component_spec(tab)
    assert "\t" not in spec and "\n" not in spec and "\\t" in spec
    again = parse_component(spec, "filter", default_registry())
    assert again.delimiters == " \t\n\\x"


def test_command_line_help_shows_the_escaped_delimiters():
    out = subprocess.run([sys.executable, "-m", "workbench", "filter",
                          "weka-string-to-word-vector", "--help"],
                         capture_output=True, text=True, check=True).stdout
    assert "default: \\r\\n\\t.,;:'\"()?!)" in " ".join(out.split())

