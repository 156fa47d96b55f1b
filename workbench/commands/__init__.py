"""Subcommands of ``workbench``: one module per command, named in ``COMMANDS``.

Each module defines ``add_arguments(parser)`` and ``run(args) -> int``. The names and
one-line summaries live here, not in the modules, so that ``workbench --help`` and
``workbench --version`` start without importing any command (the Experimenter's
analysis alone pulls in scipy.stats), and ``workbench info FILE`` imports only ``info``.
pip keeps its commands the same way. ``tests/test_cli_startup.py`` checks that every
module here is listed and that no command is listed without its module.
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "classify": "train and evaluate a classifier as WEKA's command line does "
                "(cross-validation, ...)",
    "convert": "convert a data file between ARFF and CSV (by extension: .arff .arff.gz .csv "
               ".tsv .gz)",
    "experiment": "run an Experimenter definition (many classifiers x datasets) or analyse "
                  "its results",
    "experimenter": "open the Experimenter window (optionally on SPEC.json; --screenshot "
                    "PATH saves a picture and exits)",
    "explorer": "open the Explorer (optionally on FILE; --screenshot PATH saves a picture "
                "and exits)",
    "filter": "apply a filter to a dataset file (or, with -b, fit on one file and apply "
              "to two)",
    "flow": "open the Knowledge Flow editor (optionally on FLOW; --screenshot PATH saves a "
            "picture and exits)",
    "info": "describe a data file: attributes, types, missing values, statistics, classes",
    "list": "list the registered classifiers, filters, loaders, flow nodes and plugins",
    "plugins": "list the plugins found, what each added, and the errors of broken ones",
    "run": "run a Knowledge Flow file headless and print its reports",
}
"""Command name -> the summary ``workbench --help`` shows; the module is
``workbench.commands.<name>``."""
