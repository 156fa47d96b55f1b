"""Parameters declared once, shown everywhere.

A component (classifier, filter, flow node) declares each parameter as a ``Param`` class
attribute (``k = Param.integer(1, "Neighbours that vote")``); ``Configurable`` gathers them
into ``params``. From that single declaration come validation with clear messages,
``get_params`` / ``set_params``, the dict stored in flow and model files, the
command-line flags (``workbench.core.param_args``), the GUI property sheet, and the type
a checker sees for ``self.k``. Nobody writes a form or an ``if`` chain per component.

As in scikit-learn, the constructor stores parameters as given (after validation) and
learning happens in ``fit``; learned state carries a trailing underscore.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, TypeVar, overload

from workbench.core.errors import ParameterError
from workbench.core.escapes import escaped, unescaped

KINDS = ("int", "float", "bool", "choice", "str", "ints")

# Every whole number fits Java's int, as WEKA's options do: a value beyond it (a seed of
# 10^30, 10^12 epochs) is a typo or a hostile file, and NumPy would overflow on it.
INT_LIMIT = 2**31 - 1
# The sane upper bound of a "how many" parameter (epochs, trees, iterations, units):
# declarations pass ``high=MAX_COUNT`` or a tighter bound of their own, so that a model
# or flow file cannot ask for work that never finishes.
MAX_COUNT = 1_000_000


T = TypeVar("T")


@dataclass(frozen=True)
class Param(Generic[T]):
    """One declared parameter, and the attribute that holds its value.

    A component declares each parameter as a class attribute (``k = Param.integer(1,
    "Neighbours that vote", letter="K")``): the attribute's name is the parameter's name,
    ``Configurable`` collects the declarations into ``params`` in the order written, and
    reading ``self.k`` gives the value, which type checkers know to be an ``int``.

    ``kind`` is one of ``int``, ``float``, ``bool``, ``choice``, ``str`` or ``ints`` (a
    comma-separated list of integers, e.g. hidden layer sizes). ``low``/``high`` bound
    numbers (inclusive unless ``low_open``/``high_open``; for ``ints`` each item), and
    whole numbers never exceed ``INT_LIMIT`` in size nor floats infinity, bounds or not;
    ``Param.count`` declares a "how many" with ``high=MAX_COUNT``. ``choices`` lists
    what a ``choice`` may be. ``nullable`` lets the value be None (shown as "none"/"auto").
    ``letter`` is WEKA's option letter taking a value (IBk ``-K 3``); ``flags`` maps
    WEKA's value-less option letters to the value they set (IBk ``-I`` sets
    distance weighting to ``inverse``). ``group`` is "advanced" for knobs most users
    never touch, so the property sheet can fold them away. ``is_regex`` marks text that is a
    regular expression (``Param.regex``): it must compile and must not be able to
    backtrack without bound, exponentially or polynomially through repeats in a row
    (``core/safe_regex.py``), and with ``match_empty`` false it must not match empty text;
    the components then match it under a time limit (``core/bounded_regex.py``).
    ``runtime`` marks a setting of how the work runs that leaves the learned model the
    same (where it runs, how large a block it computes at once, what it records on the
    way): the report's Scheme line names it only when it differs from its default
    (``core/names.full_name``), as WEKA's names ``-batch-size`` and
    ``-num-decimal-places`` only when set, so lines from two machines compare equal.
    ``help_per_choice`` gives a ``choice``'s values a line each (what "relu" does, when
    to pick it): a list of names tells a learner nothing, so the property sheet shows the
    line on each item of the drop-down and the command line's help lists them.
    ``spellings`` maps other words for a ``choice``'s values to them (WEKA's
    StringToWordVector ``-N 1`` is ``all``), so a WEKA user's number is read as well as
    our name.
    ``component`` marks text that names other components with their options:
    ``"classifier"`` one classifier (``knn -K 3``), ``"filters"`` a chain of filters
    separated by ``|`` (a FilteredClassifier's); the property sheet gives such a field a
    chooser and an editor of the inner scheme's own sheet, as WEKA's GenericObjectEditor
    does, and refuses a name no component has while it is typed. ``escapes`` marks text
    whose control characters are shown and typed with a backslash (``\\t``, ``\\n``,
    ``\\r``, ``\\\\``: ``core/escapes.py``), as WEKA writes its delimiters.
    ``check`` vets non-empty text beyond its being text, raising ``ParameterError``
    saying why (a loader's encoding must be a codec Python knows: ``codec_name``), so a
    made-up value is refused where it is typed, in the form and on the command line,
    not when a run reaches it; a lower layer's rule comes in this way without this
    module importing that layer.
    """

    name: str
    kind: str
    default: T
    help: str = ""
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    nullable: bool = False
    letter: str | None = None
    flags: Mapping[str, Any] = field(default_factory=dict)
    group: str | None = None
    label: str | None = None
    is_regex: bool = False
    match_empty: bool = True
    runtime: bool = False
    help_per_choice: Mapping[str, str] = field(default_factory=dict)
    check: Callable[[str], object] | None = None
    spellings: Mapping[str, str] = field(default_factory=dict)
    component: str | None = None
    escapes: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"parameter '{self.name}': unknown kind '{self.kind}'")
        if self.component not in (None, "classifier", "filters"):
            raise ValueError(f"parameter '{self.name}': component must be 'classifier' "
                             f"or 'filters', not {self.component!r}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"parameter '{self.name}': a choice needs choices")
        unknown = [c for c in self.help_per_choice if c not in self.choices]
        if unknown:
            raise ValueError(f"parameter '{self.name}': help for {', '.join(unknown)}, "
                             f"which {'is' if len(unknown) == 1 else 'are'} not among "
                             f"its choices")
        # The default must itself be valid: a declaration error is a bug, caught at import.
        self.validate(self.default)

    # The attribute side: a declaration in a class body is a descriptor -----------------
    def __set_name__(self, owner: type, name: str) -> None:
        # A declaration made outside a class (one shared by several learners) carries its
        # name already; it may only be bound under that name, or files and flags would
        # disagree with the attribute.
        if not self.name:
            object.__setattr__(self, "name", name)
        elif self.name != name:
            raise TypeError(f"{owner.__name__}.{name}: the parameter declared as "
                            f"'{self.name}' must be bound under that name")

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Param[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Param[T] | T:
        if instance is None:
            return self
        try:
            value: T = instance.__dict__[self.name]
        except KeyError:
            raise AttributeError(f"{type(instance).__name__} has no value for parameter "
                                 f"'{self.name}' yet") from None
        return value

    def __set__(self, instance: object, value: T) -> None:
        # Stored as given: ``set_params`` (and so the constructor) validates; code that
        # assigns directly is ours and type-checked.
        instance.__dict__[self.name] = value

    # Constructors that read like the declaration they make --------------------------
    # The name comes from the attribute the declaration is bound to; a declaration shared
    # by several classes passes ``name=``. Nullable declarations are typed ``X | None``.
    @overload
    @classmethod
    def integer(cls, default: int, help: str = "", *, nullable: Literal[False] = False,
                **kw: Any) -> Param[int]: ...

    @overload
    @classmethod
    def integer(cls, default: int | None, help: str = "", *, nullable: Literal[True],
                **kw: Any) -> Param[int | None]: ...

    @classmethod
    def integer(cls, default: int | None, help: str = "", *, nullable: bool = False,
                **kw: Any) -> Param[Any]:
        return cls._make("int", default, help, nullable=nullable, **kw)

    @overload
    @classmethod
    def count(cls, default: int, help: str = "", *, nullable: Literal[False] = False,
              **kw: Any) -> Param[int]: ...

    @overload
    @classmethod
    def count(cls, default: int | None, help: str = "", *, nullable: Literal[True],
              **kw: Any) -> Param[int | None]: ...

    @classmethod
    def count(cls, default: int | None, help: str = "", *, nullable: bool = False,
              **kw: Any) -> Param[Any]:
        """A "how many" (epochs, trees, units): at least 1 and at most ``MAX_COUNT``
        unless the declaration says otherwise."""
        kw.setdefault("low", 1)
        kw.setdefault("high", MAX_COUNT)
        return cls._make("int", default, help, nullable=nullable, **kw)

    @classmethod
    def seed(cls, default: int, help: str = "", **kw: Any) -> Param[int]:
        """A random seed: a whole number from 0 (to ``INT_LIMIT``, as every whole number).
        NumPy's generators and scikit-learn's ``random_state`` refuse negative seeds, and
        would do so only once training had started (a traceback, or an error after the
        first folds)."""
        kw.setdefault("low", 0)
        return cls._make("int", default, help, **kw)

    @overload
    @classmethod
    def number(cls, default: float, help: str = "", *, nullable: Literal[False] = False,
               **kw: Any) -> Param[float]: ...

    @overload
    @classmethod
    def number(cls, default: float | None, help: str = "", *, nullable: Literal[True],
               **kw: Any) -> Param[float | None]: ...

    @classmethod
    def number(cls, default: float | None, help: str = "", *, nullable: bool = False,
               **kw: Any) -> Param[Any]:
        return cls._make("float", default, help, nullable=nullable, **kw)

    @classmethod
    def boolean(cls, default: bool, help: str = "", **kw: Any) -> Param[bool]:
        return cls._make("bool", default, help, **kw)

    @overload
    @classmethod
    def choice(cls, default: str, choices: Sequence[str], help: str = "", *,
               nullable: Literal[False] = False,
               help_per_choice: Mapping[str, str] | None = None,
               **kw: Any) -> Param[str]: ...

    @overload
    @classmethod
    def choice(cls, default: str | None, choices: Sequence[str], help: str = "", *,
               nullable: Literal[True], help_per_choice: Mapping[str, str] | None = None,
               **kw: Any) -> Param[str | None]: ...

    @classmethod
    def choice(cls, default: str | None, choices: Sequence[str], help: str = "", *,
               nullable: bool = False, help_per_choice: Mapping[str, str] | None = None,
               **kw: Any) -> Param[Any]:
        return cls._make("choice", default, help, choices=tuple(choices), nullable=nullable,
                         help_per_choice=dict(help_per_choice or {}), **kw)

    @overload
    @classmethod
    def text(cls, default: str, help: str = "", *, nullable: Literal[False] = False,
             **kw: Any) -> Param[str]: ...

    @overload
    @classmethod
    def text(cls, default: str | None, help: str = "", *, nullable: Literal[True],
             **kw: Any) -> Param[str | None]: ...

    @classmethod
    def text(cls, default: str | None, help: str = "", *, nullable: bool = False,
             **kw: Any) -> Param[Any]:
        return cls._make("str", default, help, nullable=nullable, **kw)

    @classmethod
    def spec(cls, default: str, component: str, help: str = "", **kw: Any) -> Param[str]:
        """Text naming a ``component`` (``"classifier"``, or ``"filters"`` for a chain)
        with its options, as the command line writes it: ``knn -K 3``."""
        return cls._make("str", default, help, component=component, **kw)

    @classmethod
    def regex(cls, default: str, help: str = "", *, match_empty: bool = True,
              **kw: Any) -> Param[str]:
        """A regular expression a user types: refused when Python's ``re`` could take
        exponential time on it (it has no timeout and holds the GIL, so the GUI would
        freeze too), and, unless ``match_empty``, when it can match empty text."""
        return cls._make("str", default, help, is_regex=True, match_empty=match_empty, **kw)

    @overload
    @classmethod
    def integers(cls, default: Sequence[int], help: str = "", *,
                 nullable: Literal[False] = False, **kw: Any) -> Param[tuple[int, ...]]: ...

    @overload
    @classmethod
    def integers(cls, default: Sequence[int] | None, help: str = "", *,
                 nullable: Literal[True], **kw: Any) -> Param[tuple[int, ...] | None]: ...

    @classmethod
    def integers(cls, default: Sequence[int] | None, help: str = "", *,
                 nullable: bool = False, **kw: Any) -> Param[Any]:
        return cls._make("ints", None if default is None else tuple(default), help,
                         nullable=nullable, **kw)

    @classmethod
    def _make(cls, kind: str, default: Any, help: str = "", *, name: str = "",
              **kw: Any) -> Param[Any]:
        return cls(name, kind, default, help, **kw)

    # Display ------------------------------------------------------------------------
    @property
    def display_name(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def null_word(self) -> str:
        """What a user reads and types for None: "auto" where the help says the
        component then chooses for itself ("auto: about 1000 updates"), "none" where
        None means without ("none grows them fully"). Either word parses as None."""
        return "auto" if re.search(r"\bauto\b", self.help) else "none"

    @property
    def flag(self) -> str:
        """The long command-line flag: ``hidden_layers`` -> ``--hidden-layers``."""
        return "--" + self.name.replace("_", "-")

    def choice_lines(self) -> list[str]:
        """One line per choice that has help, "relu: max(0, x); ...", in the order of
        the choices: for tooltips and help texts."""
        return [f"{c}: {self.help_per_choice[c]}" for c in self.choices
                if c in self.help_per_choice]

    def describe_range(self) -> str:
        """What values are allowed, in words, for help texts and error messages."""
        if self.kind == "choice":
            text = "one of " + ", ".join(self.choices)
            if self.spellings:
                text += " (or " + ", ".join(f"{k} for {v}" for k, v in
                                           self.spellings.items()) + ")"
        elif self.kind in ("int", "float") and (self.low is not None or self.high is not None):
            lo = "(" if self.low_open else "["
            hi = ")" if self.high_open else "]"
            low = "-inf" if self.low is None else f"{self.low:g}"
            high = "inf" if self.high is None else f"{self.high:g}"
            text = f"a {'whole ' if self.kind == 'int' else ''}number in {lo}{low}, {high}{hi}"
        elif self.kind == "int":
            text = "a whole number"
        elif self.kind == "float":
            text = "a number"
        elif self.kind == "bool":
            text = "true or false"
        elif self.kind == "ints":
            text = "whole numbers separated by commas"
            if self.high is not None:
                text += f", each at most {self.high:g}"
        elif self.is_regex:
            text = "a regular expression"
        elif self.component == "classifier":
            text = "a classifier and its options"
        elif self.component == "filters":
            text = "filters and their options, separated by '|'"
        elif self.escapes:
            text = "text; \\t, \\n, \\r and \\\\ stand for tab, line feed, return and \\"
        else:
            text = "text"
        return text + (f" or {self.null_word}" if self.nullable else "")

    # Conversion and validation ----------------------------------------------------------
    def text_of(self, value: Any) -> str:
        """``value`` as a person types it in a form or on the command line: what
        ``parse`` reads back as ``value``."""
        if value is None:
            return self.null_word
        if isinstance(value, tuple | list):
            return ",".join(str(v) for v in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return escaped(value) if self.escapes and isinstance(value, str) else str(value)

    def parse(self, text: str) -> Any:
        """Turn text from a command line or a form into a validated value."""
        if self.escapes:   # blanks at either end may be the characters meant
            return self.validate(unescaped(text))
        raw = text.strip()
        if self.nullable and raw.lower() in ("none", "null", "auto", ""):
            return None
        try:
            if self.kind == "int":
                value: Any = _whole_number(raw)
            elif self.kind == "float":
                value = _real_number(raw)
            elif self.kind == "bool":
                lowered = raw.lower()
                if lowered in ("true", "yes", "1", "on"):
                    value = True
                elif lowered in ("false", "no", "0", "off"):
                    value = False
                else:
                    raise ValueError(raw)
            elif self.kind == "ints":
                value = tuple(_whole_number(part) for part in raw.replace(" ", "").split(",")
                              if part)
            else:
                value = raw
        except ValueError:
            raise ParameterError(
                f"parameter '{self.name}': cannot read '{text}' "
                f"(expected {self.describe_range()})") from None
        return self.validate(value)

    def validate(self, value: Any) -> Any:
        """Return the value in canonical form, or raise ``ParameterError`` saying why."""
        if value is None:
            if self.nullable:
                return None
            raise ParameterError(f"parameter '{self.name}' needs a value "
                                 f"(expected {self.describe_range()})")
        if isinstance(value, str) and self.kind not in ("str", "choice"):
            return self.parse(value)
        bad = ParameterError(f"parameter '{self.name}': {value!r} is not allowed "
                             f"(expected {self.describe_range()})")
        if self.kind == "bool":
            if not isinstance(value, bool | int) or value not in (0, 1):
                raise bad
            return bool(value)
        if self.kind == "int":
            if isinstance(value, bool) or not _is_whole(value):
                raise bad
            value = int(value)
            if abs(value) > INT_LIMIT:
                raise ParameterError(f"parameter '{self.name}': {value} is too large "
                                     f"(expected {self.describe_range()}, at most "
                                     f"{INT_LIMIT} in size)")
        elif self.kind == "float":
            if isinstance(value, bool):
                raise bad
            try:
                value = float(value)
            except (TypeError, ValueError, OverflowError):
                raise bad from None
            if not math.isfinite(value):
                raise bad
        elif self.kind == "choice":
            if isinstance(value, str) and value.strip() in self.spellings:
                return self.spellings[value.strip()]
            if value not in self.choices:
                lowered = {c.lower(): c for c in self.choices}
                if isinstance(value, str) and value.lower() in lowered:
                    return lowered[value.lower()]
                raise bad
            return value
        elif self.kind == "ints":
            if _is_whole(value) and not isinstance(value, bool | str):
                value = (value,)  # one number is a list of one, as on the command line
            try:
                items = tuple(value)
            except TypeError:
                raise bad from None
            high = self.high if self.high is not None else INT_LIMIT
            if not all(_is_whole(v) and not isinstance(v, bool) and 0 <= v <= high
                       for v in items):
                raise bad
            return tuple(int(v) for v in items)
        elif self.kind == "str":
            if not isinstance(value, str):
                raise bad
            _refuse_undecodable(self.name, value)
            if self.is_regex:
                from workbench.core.bounded_regex import check

                check(value, self.name, match_empty=self.match_empty)
            if self.check is not None and value:
                try:
                    self.check(value)
                except ParameterError as error:
                    raise ParameterError(f"parameter '{self.name}': {error}") from None
            return value
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            raise bad
        if self.high is not None and (value > self.high or
                                      (self.high_open and value == self.high)):
            raise bad
        return value

    def to_json(self, value: Any) -> Any:
        """The value as stored in flow and model files (lists rather than tuples)."""
        return list(value) if isinstance(value, tuple) else value


# What a person writes for a number: ASCII digits only. Python's int() and float() also
# read "1_000" and full-width or Arabic-Indic digits ("\uff11"), which a typo or a pasted
# value can hold without the user knowing; "nan" and "inf" are read so that the range
# check can say they are not allowed.
_WHOLE = re.compile(r"[+-]?[0-9]+")
_REAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                   r"|[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


def _whole_number(text: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise ValueError(text)
    return int(text)


def _real_number(text: str) -> float:
    if not _REAL.fullmatch(text):
        raise ValueError(text)
    return float(text)


def _refuse_undecodable(name: str, value: str) -> None:
    """Text must be valid Unicode: bytes that were not UTF-8 on the command line reach
    Python as lone surrogates ('\\udcff' for the byte 0xff), which no file can be written
    with, so they are refused here rather than as a traceback when the output is saved."""
    bad = next((ch for ch in value if "\ud800" <= ch <= "\udfff"), None)
    if bad is None:
        return
    what = (f"the byte {ord(bad) - 0xDC00:#04x}, which is not UTF-8"
            if "\udc80" <= bad <= "\udcff" else "a lone surrogate, which is not text")
    shown = value.encode("utf-8", "backslashreplace").decode("utf-8")
    raise ParameterError(f"parameter '{name}': '{shown}' holds {what}; give the text in "
                         f"UTF-8")


def _is_whole(value: Any) -> bool:
    if isinstance(value, int):
        return True
    try:
        return float(value).is_integer()
    except (TypeError, ValueError, OverflowError):
        return False


class Configurable:
    """Base for anything with declared parameters.

    Subclasses declare parameters as ``Param`` class attributes; ``params`` lists them
    (a subclass's after its base's, a redeclared one in its base's place). ``__init__``
    accepts them as keyword arguments, checks each against its declaration and stores
    it under its name. A class built at run time (a flow node wrapping a registered
    component) may instead set ``params`` to a tuple itself.
    """

    params: ClassVar[tuple[Param[Any], ...]] = ()

    def __init_subclass__(cls, drop: Sequence[str] = (), **kwargs: Any) -> None:
        """Gather the declarations; ``drop`` names inherited parameters a subclass does
        not have (``class WekaWords(Words, drop=("token_pattern",))``)."""
        super().__init_subclass__(**kwargs)
        own = vars(cls)
        declared = [value for value in own.values() if isinstance(value, Param)]
        if "params" in own:
            if declared:
                raise TypeError(f"{cls.__name__}: declare parameters either as attributes "
                                f"or in a 'params' tuple, not both")
            return
        # The base's list as the base declared it (cls.params may be computed elsewhere).
        inherited = next((vars(base)["params"] for base in cls.__mro__[1:]
                          if "params" in vars(base)), ())
        merged = {param.name: param for param in inherited}
        for name in drop:
            if merged.pop(name, None) is None:
                raise TypeError(f"{cls.__name__}: cannot drop '{name}', no base declares it")
        for name in merged:
            if name in own and not isinstance(own[name], Param):
                # A plain value would be overwritten by the inherited default in __init__.
                raise TypeError(f"{cls.__name__}.{name} hides an inherited parameter: "
                                f"declare it again, or drop it (drop=(\"{name}\",))")
        for param in declared:
            for base in cls.__mro__[1:]:
                taken = vars(base).get(param.name)
                if taken is not None and not isinstance(taken, Param):
                    raise TypeError(f"{cls.__name__}.{param.name}: the parameter would hide "
                                    f"{base.__name__}.{param.name}")
            merged[param.name] = param
        if declared or drop:
            cls.params = tuple(merged.values())

    def __init__(self, **values: Any) -> None:
        for param in self.params:
            setattr(self, param.name, param.default)
        self.set_params(**values)

    @classmethod
    def param(cls, name: str) -> Param[Any]:
        for param in cls.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in cls.params) or "none"
        raise ParameterError(f"{cls.__name__} has no parameter '{name}' (its parameters: {known})")

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Current values by name; ``deep`` is accepted for scikit-learn compatibility."""
        return {p.name: getattr(self, p.name) for p in self.params}

    def set_params(self, **values: Any) -> Configurable:
        for name, value in values.items():
            param = self.param(name.replace("-", "_"))
            setattr(self, param.name, param.validate(value))
        return self

    def params_to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters, as stored in flows and model files."""
        return {p.name: p.to_json(getattr(self, p.name)) for p in self.params}

    @classmethod
    def from_params_dict(cls, values: Mapping[str, Any]) -> Configurable:
        """Rebuild from a stored dict; unknown names are refused, missing ones default."""
        return cls(**dict(values))

    def options_text(self) -> str:
        """The one-line configuration a person can copy, as WEKA shows it."""
        parts = []
        for p in self.params:
            value = getattr(self, p.name)
            if value == p.default:
                continue
            shown = p.text_of(value) if p.escapes or isinstance(value, tuple) else value
            parts.append(f"{p.flag} {shown}" if p.kind != "bool" else
                         (p.flag if value else f"--no-{p.flag[2:]}"))
        return " ".join(parts)
