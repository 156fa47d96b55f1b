"""What a type checker sees of declared parameters: ``self.k`` is an ``int``.

Run through mypy's API on a small module, so the descriptor's overloads (and the
constructors' nullable overloads) are checked as a user's editor would check them.
"""

from __future__ import annotations

import textwrap

from mypy import api  # a dev extra, as for scripts/test.sh's type check

SOURCE = textwrap.dedent('''
    from workbench.core.params import Configurable, Param

    class Knn(Configurable):
        k = Param.integer(1, "neighbours", low=1)
        seed = Param.integer(None, "seed", nullable=True)
        rate = Param.number(0.1)
        weighting = Param.choice("none", ("none", "inverse"))
        hidden = Param.integers((3,))
        normalize = Param.boolean(True)
        label = Param.text("")

    model = Knn()
    reveal_type(model.k)
    reveal_type(model.seed)
    reveal_type(model.rate)
    reveal_type(model.weighting)
    reveal_type(model.hidden)
    reveal_type(model.normalize)
    reveal_type(model.label)
    reveal_type(Knn.k)
    model.k = "three"
''')


def test_declared_parameters_have_their_value_types(tmp_path):
    module = tmp_path / "declared.py"
    module.write_text(SOURCE)
    out, err, _ = api.run([str(module), "--cache-dir", str(tmp_path / "cache"),
                           "--no-error-summary", "--follow-imports", "silent"])
    # older mypy versions spell builtins out ("builtins.int"), newer ones do not
    revealed = [line.split("Revealed type is ")[1].strip('"').replace("builtins.", "")
                for line in out.splitlines() if "Revealed type is" in line]
    assert revealed == ["int", "int | None", "float", "str", "tuple[int, ...]", "bool",
                        "str", "workbench.core.params.Param[int]"], out + err
    assert 'Incompatible types in assignment (expression has type "str", variable has ' \
           'type "int")' in out
