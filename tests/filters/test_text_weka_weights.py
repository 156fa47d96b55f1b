"""StringToWordVector under WEKA's name takes WEKA's -T, -I, -N, -stopwords-handler,
-tokenizer and -stemmer and gives WEKA 3.9.7's numbers (reference files written by
weka.jar, tests/fixtures/weka-text/README.md). Before, every one of these options was
refused and ``--output tfidf`` was scikit-learn's TF-IDF (0.6348 for "Loved" in yelp's
first row, where WEKA's -C -I -T gives 4.3076)."""

from pathlib import Path

import numpy as np
import pytest

from workbench.classifiers.filtered import FilteredClassifier
from workbench.classifiers.modelfile import load_model
from workbench.cli import main
from workbench.core.errors import ParameterError
from workbench.data.dataset import Attribute, Dataset
from workbench.data.io import load_dataset
from workbench.filters.spec import parse_component

TEXT = Path(__file__).parents[1] / "fixtures" / "weka-text"
# WEKA writes six decimals
CLOSE = 5.1e-7


def _stwv(options: str):
    return parse_component("StringToWordVector " + options, "filter")


def _same_as_weka(ours: Dataset, weka_file: Path) -> None:
    weka = load_dataset(weka_file)
    assert [a.name for a in ours.attributes] == [a.name for a in weka.attributes]
    assert np.nanmax(np.abs(ours.dense_values() - weka.dense_values())) < CLOSE


# Each: our options, WEKA's reference pair (the options WEKA ran are in the README)
CASES = [
    ("-C -I -T -N 1 -L -stopwords-handler weka.core.stopwords.Rainbow "
     "-tokenizer 'weka.core.tokenizers.NGramTokenizer -max 2 -min 1'", "f1"),
    ("-I -T -N 0 -W 200", "f2"),
    ("-C -I -T -N 2 -tokenizer 'weka.core.tokenizers.WordTokenizer -delimiters \" .,!\"'",
     "f3"),
]


@pytest.mark.parametrize(("options", "case"), CASES)
def test_training_and_test_files_are_wekas(options, case):
    train = load_dataset(TEXT / "yelp-train300.arff", class_index=-1)
    test = load_dataset(TEXT / "yelp-test100.arff", class_index=-1)
    f = _stwv(options)
    _same_as_weka(f.fit_transform(train), TEXT / f"weka-{case}-train.arff.gz")
    _same_as_weka(f.transform(test), TEXT / f"weka-{case}-test.arff.gz")


def test_loved_in_yelps_first_row_weighs_what_weka_gives_it():
    yelp = load_dataset(TEXT / "yelp.arff.gz", class_index=-1)
    for options in ("-C -I -T", "--output tfidf"):
        out = _stwv(options).fit_transform(yelp)
        names = [a.name for a in out.attributes]
        row = out.dense_values()[0]
        # WEKA 3.9.7, -C -I -T: {163 4.307638,290 4.307638,995 1.582304,1252 1.676805}
        assert names.index("Loved") == 163 and names.index("Wow") == 290
        assert abs(row[163] - 4.307638) < CLOSE
        assert np.flatnonzero(row[1:]).tolist() == [162, 289, 994, 1251]


def _small(texts, classes):
    codes = np.array([np.nan if c is None else c for c in classes], dtype=float)
    return Dataset("small", [Attribute.string("text", texts),
                             Attribute.nominal("class", ["pos", "neg"])],
                   np.column_stack([np.arange(len(texts), dtype=float), codes]),
                   class_index=1)


def test_a_document_whose_class_is_missing_adds_no_words_and_no_count():
    data = _small(["the good good film", "a good day of the sun", "bad bad film the end",
                   "the worst film ever", "good and bad"], [0, 0, 1, 1, None])
    out = _stwv("-C -I -T -N 1").fit_transform(data)
    names = [a.name for a in out.attributes]
    assert "and" not in names                    # only in the unlabelled document
    # WEKA 3.9.7 (-C -I -T -N 1): row 1 is {3 0.356051,4 1.359703}, row 5 {4 0.62858,8
    # 1.257161}: N = 4 labelled documents, the average length over all five
    values = out.dense_values()
    assert abs(values[0, names.index("film")] - 0.356051) < CLOSE
    assert abs(values[0, names.index("good")] - 1.359703) < CLOSE
    assert abs(values[4, names.index("good")] - 0.62858) < CLOSE
    assert abs(values[4, names.index("bad")] - 1.257161) < CLOSE


def test_normalising_test_data_only_is_wekas_2_which_normalises_all():
    data = _small(["a b b c", "a a d", "c d e e e", "b e"], [0, 0, 1, 1])
    all_data = _stwv("-C -N 1").fit_transform(data).dense_values()
    test_only = _stwv("-N test-only -C").fit_transform(data).dense_values()
    assert np.array_equal(all_data, test_only)
    assert not np.array_equal(all_data, _stwv("-C").fit_transform(data).dense_values())


def test_rainbow_stop_words_are_left_out_in_any_case():
    data = _small(["The film was THE greatest", "the end of it"], [0, 1])
    names = [a.name for a in _stwv("-stopwords-handler Rainbow").fit_transform(
        data).attributes]
    assert names == ["class", "film", "greatest", "end"]


def test_ngrams_run_from_max_down_to_min_words():
    data = _small(["one two three"], [0])
    out = _stwv("-tokenizer 'NGramTokenizer -max 2 -min 1'").fit_transform(data)
    assert sorted(a.name for a in out.attributes[1:]) == [
        "one", "one two", "three", "two", "two three"]


@pytest.mark.parametrize(("options", "says"), [
    ("-stemmer weka.core.stemmers.LovinsStemmer", "Lovins, IteratedLovins and Snowball"),
    ("-stemmer SnowballStemmer", "leave -stemmer out"),
    ("-tokenizer weka.core.tokenizers.AlphabeticTokenizer",
     "weka.core.tokenizers.NGramTokenizer"),
    ("-tokenizer 'NGramTokenizer -max 1 -min 2'", "above its -max"),
    ("-tokenizer 'NGramTokenizer -size 2'", "no option '-size'"),
    ("-stopwords-handler weka.core.stopwords.WordsFromFile", "not a stopwords"),
    ("-N 3", "0 for none"),
])
def test_what_is_not_here_is_refused_where_it_is_typed(options, says):
    with pytest.raises(ParameterError, match=says):
        _stwv(options)


def test_a_filtered_classifier_with_weka_weights_saves_and_loads(tmp_path):
    train = load_dataset(TEXT / "yelp-train300.arff", class_index=-1)
    test = load_dataset(TEXT / "yelp-test100.arff", class_index=-1)
    model = FilteredClassifier(
        filters="StringToWordVector -C -I -T -N 1 -L -stopwords-handler Rainbow",
        classifier="naive-bayes-multinomial").fit(train)
    model.save(tmp_path / "text.model")
    again = load_model(tmp_path / "text.model")
    assert np.array_equal(again.predict_proba(test), model.predict_proba(test))


def test_the_filter_command_takes_wekas_options_and_says_what_they_do(tmp_path, capsys):
    out = tmp_path / "out.arff"
    assert main(["filter", "StringToWordVector", "-C", "-I", "-T", "-N", "1",
                 "-stopwords-handler", "weka.core.stopwords.Rainbow", "-tokenizer",
                 "weka.core.tokenizers.NGramTokenizer -max 2", "-i",
                 str(TEXT / "yelp-test100.arff"), "-o", str(out), "-c", "last"]) == 0
    with pytest.raises(SystemExit):
        main(["filter", "StringToWordVector", "--help"])
    shown = capsys.readouterr().out
    for flag in ("-T [true|false]", "-I [true|false]", "-N {none,all,test-only}",
                 "-stopwords-handler", "-tokenizer", "-stemmer"):
        assert flag in shown


def test_a_multi_word_weka_option_is_not_read_as_a_short_one_and_a_value(capsys):
    # filter has its own -s (the batch test output); "-stopwords-handler" is not
    # "-s topwords-handler"
    with pytest.raises(SystemExit) as refused:
        main(["filter", "normalize", "-stopwords-handler", "x", "-i", "iris", "-o",
              "out.arff"])
    assert refused.value.code == 2
    assert "takes its value as the next word" not in capsys.readouterr().err

