import argparse

import pytest

from workbench.core.errors import ParameterError
from workbench.core.param_args import add_param_arguments, params_from_args
from workbench.core.params import Configurable, Param


class Knn(Configurable):
    k = Param.integer(1, "neighbours that vote", low=1, letter="K")
    weighting = Param.choice("none", ("none", "inverse", "similarity"),
                             "how votes are weighted", flags={"I": "inverse", "F": "similarity"})
    rate = Param.number(0.3, "learning rate", low=0, low_open=True, letter="L")
    normalize = Param.boolean(True, "scale attributes to [0, 1]")
    hidden = Param.integers((10,), "hidden layer sizes", letter="H")
    seed = Param.integer(None, "random seed", nullable=True, group="advanced")


def test_defaults_are_set_and_reported():
    model = Knn()
    assert model.get_params() == {"k": 1, "weighting": "none", "rate": 0.3,
                                  "normalize": True, "hidden": (10,), "seed": None}


def test_values_are_validated_with_a_message_that_names_the_parameter():
    with pytest.raises(ParameterError, match=r"'k': 0 is not allowed .*\[1, inf\]"):
        Knn(k=0)
    with pytest.raises(ParameterError, match=r"'rate'.*\(0, inf\]"):
        Knn(rate=0.0)
    with pytest.raises(ParameterError, match="one of none, inverse, similarity"):
        Knn(weighting="cosine")
    with pytest.raises(ParameterError, match="has no parameter 'kk'"):
        Knn(kk=3)


def test_text_is_parsed_into_the_declared_kind():
    model = Knn(k="3", rate="0.5", normalize="false", hidden="20, 5", weighting="Inverse")
    assert model.get_params()["k"] == 3
    assert model.rate == 0.5 and model.normalize is False
    assert model.hidden == (20, 5) and model.weighting == "inverse"
    with pytest.raises(ParameterError, match="cannot read 'three'"):
        Knn(k="three")


def test_dict_form_round_trips_through_json_types():
    model = Knn(k=5, hidden=(3, 2))
    stored = model.params_to_dict()
    assert stored["hidden"] == [3, 2]
    assert Knn.from_params_dict(stored).get_params() == model.get_params()


def test_options_text_lists_only_changed_values():
    assert Knn(k=3, normalize=False).options_text() == "--k 3 --no-normalize"


def test_command_line_flags_come_from_the_declaration_with_weka_letters():
    parser = argparse.ArgumentParser()
    add_param_arguments(parser, Knn.params)
    given = params_from_args(parser.parse_args(["-K", "3", "-I", "--hidden", "4,4",
                                                "--no-normalize"]), Knn.params)
    assert given == {"k": 3, "weighting": "inverse", "hidden": (4, 4), "normalize": False}
    assert params_from_args(parser.parse_args([]), Knn.params) == {}
    with pytest.raises(ParameterError):
        params_from_args(parser.parse_args(["--k", "-2"]), Knn.params)


def test_a_bad_default_is_a_declaration_bug_caught_at_once():
    with pytest.raises(ParameterError):
        Param.integer(0, low=1, name="k")


def test_one_number_is_a_list_of_one():
    assert Knn(hidden=7).hidden == (7,)


def test_whole_numbers_and_floats_have_limits_even_without_bounds():
    from workbench.core.errors import ParameterError
    from workbench.core.params import INT_LIMIT, MAX_COUNT, Param

    seed = Param.integer(1, name="seed")
    assert seed.validate(INT_LIMIT) == INT_LIMIT and seed.validate(-INT_LIMIT) == -INT_LIMIT
    for hostile in (10**12, -(10**12), 10**30, "9" * 5000, 1e300):
        with pytest.raises(ParameterError, match="seed"):
            seed.validate(hostile)
    rate = Param.number(0.1, name="rate")
    for hostile in (float("inf"), "-inf", "1e999", 10**400):
        with pytest.raises(ParameterError, match="rate"):
            rate.validate(hostile)
    layers = Param.integers((3,), high=4096, name="layers")
    assert layers.validate("10,4096") == (10, 4096)
    with pytest.raises(ParameterError, match="each at most 4096"):
        layers.validate([10, 10**9])
    epochs = Param.count(10, name="epochs")
    assert (epochs.low, epochs.high) == (1, MAX_COUNT)
    with pytest.raises(ParameterError, match=r"\[1, 1e\+06\]"):
        epochs.validate(10**12)
    assert Param.count(100, high=10_000, name="trees").high == 10_000


def test_attribute_declarations_are_collected_in_order_and_named_by_the_attribute():
    assert [p.name for p in Knn.params] == ["k", "weighting", "rate", "normalize", "hidden",
                                            "seed"]
    assert Knn.k is Knn.param("k")
    model = Knn(k=4)
    assert model.k == 4 and vars(model)["k"] == 4


def test_a_subclass_adds_parameters_after_its_base_and_redeclares_in_place():
    class Wider(Knn):
        k = Param.integer(3, "more neighbours", low=1)
        extra = Param.text("x", "one more")

    assert [p.name for p in Wider.params] == ["k", "weighting", "rate", "normalize",
                                              "hidden", "seed", "extra"]
    assert Wider().k == 3 and Knn().k == 1


def test_a_subclass_may_drop_an_inherited_parameter():
    class Fewer(Knn, drop=("seed", "rate")):
        pass

    assert [p.name for p in Fewer.params] == ["k", "weighting", "normalize", "hidden"]
    with pytest.raises(ParameterError, match="has no parameter 'seed'"):
        Fewer(seed=3)
    with pytest.raises(TypeError, match="cannot drop 'nothing'"):
        type("Nothing", (Knn,), {}, drop=("nothing",))


def test_a_plain_value_over_an_inherited_parameter_must_drop_it():
    # Else __init__ would set the inherited default over the subclass's fixed value.
    with pytest.raises(TypeError, match=r"Fixed\.rate hides an inherited parameter"):
        type("Fixed", (Knn,), {"rate": 0.5})
    fixed = type("Fixed", (Knn,), {"rate": 0.5}, drop=("rate",))
    assert fixed().rate == 0.5 and "rate" not in fixed().get_params()


def test_a_shared_declaration_keeps_its_name_and_refuses_another():
    device = Param.choice("auto", ("auto", "cpu"), "where", name="device")

    # Python 3.11 wraps an error of __set_name__ in a RuntimeError; 3.12 raises it as is.
    with pytest.raises((TypeError, RuntimeError)) as refused:
        type("Renamed", (Configurable,), {"where": device})
    assert "must be bound under that name" in str(refused.value.__cause__ or refused.value)
    named = type("Named", (Configurable,), {"device": device})
    assert named.params == (device,) and named(device="cpu").device == "cpu"


def test_a_parameter_may_not_hide_an_attribute_of_a_base_class():
    class Base(Configurable):
        def describe(self) -> str:
            return "base"

    with pytest.raises(TypeError, match=r"would hide Base\.describe"):
        type("Hiding", (Base,), {"describe": Param.text("x")})


def test_a_class_made_at_run_time_may_list_its_parameters_in_a_tuple():
    made = type("Made", (Configurable,), {"params": (Param.integer(2, name="n"),)})
    assert made(n=5).get_params() == {"n": 5}
    with pytest.raises(TypeError, match="not both"):
        type("Both", (Configurable,), {"params": (), "n": Param.integer(2)})


def test_no_constructor_shadows_a_builtin_and_the_name_first_form_is_gone():
    import builtins

    constructors = [name for name, value in vars(Param).items()
                    if isinstance(value, classmethod)]
    assert "integer" in constructors
    assert not [name for name in constructors if hasattr(builtins, name)]
    with pytest.raises(ParameterError):
        Param.count("epochs", 5)  # the old form's name is taken for the default
    assert Param.count(5, "passes", name="epochs").low == 1


def test_numbers_are_read_only_from_ascii_digits():
    """Python's int() and float() also read '1_000' and full-width or Arabic-Indic
    digits; a person typing -K must get what the digits they see say, or a refusal."""
    k, rate, hidden = Knn.param("k"), Knn.param("rate"), Knn.param("hidden")
    for text in ("\uff11", "1_000", "\u0663", "\uff11\uff10"):
        with pytest.raises(ParameterError, match=r"'k': cannot read"):
            k.parse(text)
    for text in ("1_0.5", "\uff11.0", "0x10", "1e"):
        with pytest.raises(ParameterError, match=r"'rate': cannot read"):
            rate.parse(text)
    with pytest.raises(ParameterError, match=r"'hidden': cannot read"):
        hidden.parse("10,\uff15")
    assert k.parse(" +12 ") == 12 and rate.parse(".5") == 0.5 and rate.parse("1E-3") == 1e-3
    assert rate.parse("5.") == 5.0 and hidden.parse("10, 5") == (10, 5)
    with pytest.raises(ParameterError, match="'rate': inf is not allowed"):
        rate.parse("inf")


def test_text_that_is_not_valid_unicode_is_refused_naming_the_parameter():
    """Bytes that are not UTF-8 on a command line reach Python as lone surrogates,
    which no file can be written with: refused when the parameter is read."""
    name = Param.text("x", "a name", name="attribute_name", letter="N")
    with pytest.raises(ParameterError, match=r"'attribute_name': 'bad\\udcffname' holds "
                                             r"the byte 0xff"):
        name.parse("bad\udcffname")
    with pytest.raises(ParameterError, match="lone surrogate"):
        name.validate("a\ud800")
    assert name.parse("caf\u00e9 \u4e2d") == "caf\u00e9 \u4e2d"
