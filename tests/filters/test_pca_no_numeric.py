"""PrincipalComponents on data with no numeric attribute (besides the class) crashed with
numpy's "cannot reshape array of size 0 into shape (0)" and a traceback, in
`workbench classify -t sentiment filtered -F pca -W zeror`. WEKA's PrincipalComponents
refuses string attributes ("Cannot handle string attributes!"); ours now says what to do
first, as our error with status 2."""

import pytest

from workbench.cli import main
from workbench.data.catalog import load_bundled
from workbench.filters.base import FilterError
from workbench.filters.projection import PCA


@pytest.mark.parametrize("name", ["sentiment", "weather.nominal"])
def test_refused_with_what_to_do(name):
    with pytest.raises(FilterError, match=r"no numeric attribute to project.*nominal-to-binary"):
        PCA().fit(load_bundled(name))


def test_command_line_says_it_and_exits_2(capsys):
    status = main(["classify", "-t", "sentiment", "filtered", "-F", "pca", "-W", "zeror"])
    err = capsys.readouterr().err
    assert status == 2
    assert "no numeric attribute to project" in err and "Traceback" not in err
