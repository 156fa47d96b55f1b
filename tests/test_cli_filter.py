"""``workbench filter``: single and batch mode through ARFF and CSV files."""

from pathlib import Path

import numpy as np
import pytest

from workbench.cli import main
from workbench.data.catalog import bundled_path, load_bundled
from workbench.data.dataset import Dataset
from workbench.data.io import load_dataset, save_dataset
from workbench.filters.instances import Resample

FIXTURES = Path(__file__).parent / "fixtures" / "datasets"


@pytest.fixture
def weighted_iris(tmp_path):
    iris = load_bundled("iris")
    weights = np.linspace(0.5, 2.0, iris.num_instances)
    path = tmp_path / "weighted.arff"
    save_dataset(iris.with_weights(weights), path)
    return path, iris.with_weights(weights)


def test_standardize_round_trips_through_arff_keeping_weights_and_class(tmp_path,
                                                                      weighted_iris):
    source, iris = weighted_iris
    out = tmp_path / "out.arff"
    assert main(["filter", "standardize", "-i", str(source), "-o", str(out), "-c",
                 "last"]) == 0
    result = load_dataset(out, class_index=-1)
    assert np.allclose(result.weights, iris.weights)
    assert result.class_attribute == iris.class_attribute
    assert np.array_equal(result.class_values, iris.class_values)
    assert np.allclose(np.average(result.X[:, :4], axis=0, weights=iris.weights), 0,
                       atol=1e-9)


def test_weka_letters_and_aliases_work(tmp_path):
    out = tmp_path / "out.arff"
    assert main(["filter", "Remove", "-R", "1-2", "-i", str(bundled_path("iris")),
                 "-o", str(out)]) == 0
    assert [a.name for a in load_dataset(out).attributes] == ["petallength", "petalwidth",
                                                               "class"]


def test_batch_mode_fits_on_training_file_only(tmp_path):
    iris = load_bundled("iris")
    train, test = iris.select_rows(slice(0, 100)), iris.select_rows(slice(100, 150))
    X = test.X.copy()
    X[:, :4] += 1000.0  # a test set far from the training data
    test = Dataset(test.relation, test.attributes, X, class_index=test.class_index)
    paths = {name: tmp_path / f"{name}.arff" for name in ("train", "test", "tout")}
    save_dataset(train, paths["train"])
    save_dataset(test, paths["test"])
    csv_out = tmp_path / "train_out.csv"
    assert main(["filter", "normalize", "-b", "-i", str(paths["train"]), "-o", str(csv_out),
                 "-r", str(paths["test"]), "-s", str(paths["tout"]), "-c", "last"]) == 0
    train_out = load_dataset(csv_out)
    test_out = load_dataset(paths["tout"])
    assert np.allclose(train_out.X[:, :4].min(axis=0), 0)
    assert np.allclose(train_out.X[:, :4].max(axis=0), 1)
    low, high = train.X[:, :4].min(axis=0), train.X[:, :4].max(axis=0)
    assert np.allclose(test_out.X[:, :4], (X[:, :4] - low) / (high - low))
    assert test_out.num_instances == 50


def test_csv_input_with_class_by_name(tmp_path):
    source = tmp_path / "iris.csv"
    save_dataset(load_bundled("iris"), source)
    out = tmp_path / "out.arff"
    assert main(["filter", "attribute-selection", "-N", "1", "-i", str(source), "-o",
                 str(out), "-c", "class"]) == 0
    assert [a.name for a in load_dataset(out).attributes] == ["petalwidth", "class"]


def test_instance_filter_in_batch_mode_leaves_test_file_alone(tmp_path):
    test_out = tmp_path / "test_out.arff"
    path = str(bundled_path("iris"))
    assert main(["filter", "resample", "-Z", "20", "-b", "-i", path, "-o",
                 str(tmp_path / "a.arff"), "-r", path, "-s", str(test_out)]) == 0
    assert load_dataset(tmp_path / "a.arff").num_instances == 30
    assert load_dataset(test_out).num_instances == 150


def test_errors_are_reported_with_status_2(tmp_path, capsys):
    path = str(bundled_path("iris"))
    assert main(["filter", "nosuch", "-i", path, "-o", str(tmp_path / "o.arff")]) == 2
    assert "no filter called 'nosuch'" in capsys.readouterr().err
    assert main(["filter", "discretize", "--method", "mdl", "-i", path, "-o",
                 str(tmp_path / "o.arff"), "-c", "none"]) == 2
    assert "needs a nominal class" in capsys.readouterr().err
    assert main(["filter", "standardize", "-b", "-i", path, "-o",
                 str(tmp_path / "o.arff")]) == 2
    assert "batch mode" in capsys.readouterr().err
    assert main(["filter", "remove", "-R", "9", "-i", path, "-o",
                 str(tmp_path / "o.arff")]) == 2
    assert "'9' does not exist" in capsys.readouterr().err


def test_help_lists_the_filter_parameters(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["filter", "pca", "--help"])
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert "--variance-covered" in text and "-R VARIANCE_COVERED" in text


def test_no_filter_name_is_a_one_line_usage_error(capsys):
    # It printed the help and exit 0; a script that forgot the name never knew.
    with pytest.raises(SystemExit) as stop:
        main(["filter"])
    assert stop.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("workbench filter: error: name a filter first")
    assert "(see 'workbench filter --help')" in captured.err


def test_describe_prints_what_was_learned(tmp_path, capsys):
    assert main(["filter", "replace-missing-values", "--describe-filter", "-i",
                 str(bundled_path("labor")), "-o", str(tmp_path / "o.arff")]) == 0
    assert "Replacement values:" in capsys.readouterr().out


def test_text_to_sparse_arff_and_back(tmp_path):
    out = tmp_path / "words.arff"
    assert main(["filter", "string-to-word-vector", "--output", "counts", "-M", "5",
                 "-i", str(bundled_path("sentiment")), "-o", str(out), "-c", "last"]) == 0
    words = load_dataset(out, class_index="class")
    assert words.num_instances == 3000 and words.class_attribute.values == ("0", "1")
    assert words.attribute("great").is_numeric
    assert words.dense_values()[:, words.index_of("great")].sum() >= 5


def test_classify_accepts_a_filtered_classifier(capsys):
    code = main(["classify", "-t", str(bundled_path("iris")), "-x", "5", "--no-progress",
                 "filtered", "-F", "replace-missing-values | standardize", "-W", "knn -K 3"])
    assert code == 0
    report = capsys.readouterr().out
    assert ("Scheme:       FilteredClassifier -F 'replace-missing-values | standardize' "
            "-W 'knn -K 3'") in report
    assert "on data filtered through replace-missing-values | standardize" in report


def test_no_attribute_is_the_class_unless_c_names_one(tmp_path):
    """As WEKA's filter command line (the class used to default to the last attribute,
    and the files differed from WEKA's): Normalize scales cpu's class too (WEKA's file
    has 0.167832 for the first row's 198), NominalToBinary turns labor's nominal class
    into WEKA's 0/1 column ``class=good``; -c last keeps the class as it was."""
    cpu = tmp_path / "cpu.arff"
    cpu.write_bytes((FIXTURES / "cpu.arff").read_bytes())
    out = tmp_path / "o.arff"
    assert main(["filter", "Normalize", "-i", str(cpu), "-o", str(out)]) == 0
    assert load_dataset(out).X[0, -1] == pytest.approx(0.167832, abs=5e-7)
    assert main(["filter", "Normalize", "-i", str(cpu), "-o", str(out), "-c", "last"]) == 0
    assert load_dataset(out).X[0, -1] == 198
    assert main(["filter", "NominalToBinary", "-i", "labor", "-o", str(out)]) == 0
    names = [a.name for a in load_dataset(out).attributes]
    assert names[-1] == "class=good" and "class" not in names
    for none in ("0", "none"):
        assert main(["filter", "standardize", "-i", "iris", "-o", str(out), "-c",
                     none]) == 0


@pytest.mark.parametrize("name", ["weka.filters.supervised.attribute.Discretize",
                                  "AttributeSelection", "SMOTE"])
def test_a_filter_that_learns_from_the_class_asks_for_c(tmp_path, capsys, name):
    out = tmp_path / "o.arff"
    assert main(["filter", name, "-i", "iris", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "add -c last" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    assert main(["filter", name, "-i", "iris", "-o", str(out), "-c", "last"]) == 0


def test_stratified_resample_asks_for_c_too(tmp_path, capsys):
    out = str(tmp_path / "o.arff")
    assert main(["filter", "Resample", "--stratified", "-i", "iris", "-o", out]) == 2
    assert "add -c last" in capsys.readouterr().err
    assert main(["filter", "Resample", "-Z", "50", "-i", "iris", "-o", out]) == 0


def test_wekas_no_replacement_flag_is_accepted(tmp_path):
    """Resample's help names WEKA's -no-replacement; it used to be refused."""
    out = tmp_path / "o.arff"
    assert main(["filter", "Resample", "-Z", "50", "-no-replacement", "-i", "iris",
                 "-o", str(out)]) == 0
    drawn = Resample(sample_size_percent=50, replacement=False).fit_transform(
        load_bundled("iris"))
    assert drawn.num_instances == 75 and np.array_equal(load_dataset(out).X, drawn.X)


@pytest.mark.parametrize(("args", "relation"), [
    # each relation as WEKA 3.9.7 wrote it for the same filter and options (weka.jar)
    (["Normalize"], "iris-weka.filters.unsupervised.attribute.Normalize-S1.0-T0.0"),
    (["RemovePercentage", "-P", "97"],
     "iris-weka.filters.unsupervised.instance.RemovePercentage-P97.0"),
    (["Remove", "-R", "1", "-V"], "iris-weka.filters.unsupervised.attribute.Remove-V-R1"),
    (["Discretize", "-B", "3", "-F", "-R", "1-2", "-V"],
     "iris-weka.filters.unsupervised.attribute.Discretize-F-V-B3-M-1.0-R1-2-precision6"),
    (["Resample", "-Z", "50", "-no-replacement"],
     "iris-weka.filters.unsupervised.instance.Resample-S1-Z50.0-no-replacement"),
    (["Resample", "-B", "0.5", "-c", "last"],
     "iris-weka.filters.supervised.instance.Resample-B0.5-S1-Z100.0"),
    (["NumericToNominal", "-R", "1,2"],
     "iris-weka.filters.unsupervised.attribute.NumericToNominal-R1,2"),
    (["pca", "-R", "0.9"], "iris-pca--variance-covered0.9"),
])
def test_the_relation_name_says_which_filter_made_the_file(tmp_path, args, relation):
    out = tmp_path / "o.arff"
    assert main(["filter", *args, "-i", "iris", "-o", str(out)]) == 0
    assert load_dataset(out).relation == relation
    again = tmp_path / "again.arff"
    assert main(["filter", "Standardize", "-i", str(out), "-o", str(again)]) == 0
    assert load_dataset(again).relation == (
        relation + "-weka.filters.unsupervised.attribute.Standardize")


def test_the_output_cannot_be_the_input(tmp_path, capsys):
    data = tmp_path / "d.arff"
    save_dataset(load_bundled("iris"), data)
    before = data.read_bytes()
    assert main(["filter", "standardize", "-i", str(data), "-o",
                 str(tmp_path / "sub" / ".." / "d.arff")]) == 2
    err = capsys.readouterr().err
    assert "is the input file -i reads" in err and len(err.strip().splitlines()) == 1
    assert main(["filter", "standardize", "-b", "-i", str(data), "-o",
                 str(tmp_path / "a.arff"), "-r", "iris", "-s", str(data)]) == 2
    assert "is the input file -i reads" in capsys.readouterr().err
    assert data.read_bytes() == before
    existing = tmp_path / "out.arff"
    existing.write_text("an older output, replaced as WEKA replaces it")
    assert main(["filter", "standardize", "-i", str(data), "-o", str(existing)]) == 0
    assert load_dataset(existing).num_instances == 150


def test_batch_mode_refuses_one_file_for_both_outputs(tmp_path, capsys):
    # The filtered test file used to overwrite the filtered training file silently.
    out = tmp_path / "a.arff"
    (tmp_path / "link.arff").symlink_to(out)
    out.write_text("kept")
    for second in (str(out), str(tmp_path / "sub" / ".." / "a.arff"),
                   str(tmp_path / "link.arff")):
        assert main(["filter", "standardize", "-b", "-i", "iris", "-o", str(out),
                     "-r", "iris", "-s", second]) == 2
        assert "are the same file" in capsys.readouterr().err
    assert out.read_text() == "kept"


def test_ctrl_c_during_a_filter_says_so(tmp_path, capsys, monkeypatch):
    def interrupted(self, data):
        raise KeyboardInterrupt

    monkeypatch.setattr("workbench.filters.base.Filter.fit_transform", interrupted)
    out = tmp_path / "o.arff"
    assert main(["filter", "standardize", "-i", "iris", "-o", str(out)]) == 130
    assert "stopped by Ctrl-C" in capsys.readouterr().err
    assert not out.exists()


def test_a_token_pattern_that_would_hang_is_refused_with_status_2(tmp_path, capsys):
    out = tmp_path / "o.arff"
    assert main(["filter", "string-to-word-vector", "--token-pattern", "(a+)+b", "-i",
                 "iris", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "parameter 'token_pattern'" in err and "Traceback" not in err


def test_a_token_pattern_that_backtracks_ends_with_status_2_and_one_line(
        tmp_path, capsys, monkeypatch):
    """'\\w+(?=\\w*x)' passes the static check, yet under re it hung on a long value;
    matched under a (small) time limit it ends in one line naming pattern and value."""
    monkeypatch.setenv("WORKBENCH_REGEX_SECONDS", "0.05")
    data = tmp_path / "docs.arff"
    data.write_text("@relation docs\n@attribute text string\n@attribute c {a,b}\n@data\n"
                    f"'a short ax text',a\n'{'a' * 4000}!',b\n", encoding="utf-8")
    out = tmp_path / "o.arff"
    assert main(["filter", "string-to-word-vector", "--token-pattern", r"\w+(?=\w*x)",
                 "-i", str(data), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert ("parameter 'token_pattern': the pattern '\\w+(?=\\w*x)' took over 0.05 s on "
            "one value of attribute 'text': it backtracks") in err
    assert not out.exists()


@pytest.mark.parametrize("words", [
    ["Resample", "--", "-Z", "50", "-i", "iris"],   # argparse dropped this '--': applied
    ["Resample", "-i", "iris", "--", "-Z", "50"],   # and refused this one, unexplained
])
def test_options_after_dashes_are_refused_the_same_wherever_they_are(tmp_path, capsys,
                                                                     words):
    out = tmp_path / "out.arff"
    with pytest.raises(SystemExit) as stop:
        main(["filter", *words, "-o", str(out)] if words[-1] == "iris" else
             ["filter", *words[:3], "-o", str(out), *words[3:]])
    assert stop.value.code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "'--' ends the options" in err and "-Z 50" in err


def test_dashes_before_the_filters_name_only_end_the_commands_options(tmp_path):
    out = tmp_path / "out.arff"
    assert main(["filter", "--", "Resample", "-Z", "50", "-i", "iris", "-o",
                 str(out)]) == 0
    assert load_dataset(out).num_instances == 75
