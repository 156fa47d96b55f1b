"""``workbench info`` and ``convert`` on hostile files: exit status 2 and one line on
stderr that names the file, never a traceback (issue 23)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from workbench.cli import main

HOSTILE = {
    "zones.arff": b"@relation r\n@attribute t date 'zZzZzZzZzZzZzZzZ'\n@data\n'"
                  + b"x" * 81 + b"'\n",
    "superscript.arff": b"@relation r\n@attribute a numeric\n@data\n{\xc2\xb9 1}\n",
    "deep.arff": b"@relation d\n" + b"".join(b"@attribute r%d relational\n" % k
                                            for k in range(400)) + b"@data\n",
    "surrogate.arff": b"@relation '\\ud800'\n@attribute a numeric\n@data\n1\n",
    "digits.arff": b"@relation r\n@attribute a numeric\n@data\n{" + b"7" * 5000 + b" 1}\n",
    "cut.arff.gz": gzip.compress(b"@relation r\n@attribute a numeric\n@data\n1\n")[:25],
    "ragged.csv": b"a,b,c\n1,2,3\n4,5\n",
}


@pytest.mark.timeout(120)
@pytest.mark.parametrize("command", ["info", "convert"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_ends_with_one_line_naming_it(tmp_path: Path, capsys, command, name):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    argv = [command, str(path)] + ([str(tmp_path / "out.csv")] if command == "convert" else [])
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], err
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_a_long_quoted_csv_value_converts(tmp_path: Path, capsys):
    path = tmp_path / "long.csv"
    path.write_text('a,b\n"' + "x" * 140_000 + '",1\ny,\n', encoding="utf-8")
    assert main(["convert", str(path), str(tmp_path / "long.arff")]) == 0
    assert main(["info", str(tmp_path / "long.arff")]) == 0
    assert "Instances:      2" in capsys.readouterr().out


def test_info_on_infinities_prints_no_runtime_warning(tmp_path: Path, capfd):
    path = tmp_path / "inf.arff"
    path.write_text("@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n"
                    "inf,x\n-inf,y\n1e308,x\n", encoding="utf-8")
    assert main(["info", str(path)]) == 0
    out, err = capfd.readouterr()
    assert "RuntimeWarning" not in out + err and "min -inf" in out
