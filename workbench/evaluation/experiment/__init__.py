"""WEKA's Experimenter, headless: many classifiers x many datasets x repeated resampling.

``spec`` reads the JSON definition, ``runs`` expands it into independent runs and computes
one, ``store`` keeps the resumable results table, ``backends`` compute runs in-process,
in local processes (joblib) or on Dask, ``runner`` ties them together, and ``analysis``
with ``export`` give the corrected paired t-test table as text, CSV or LaTeX.
"""

from workbench.evaluation.experiment.analysis import (
    Cell,
    Comparison,
    PairedTTest,
    RankEntry,
    compare,
    corrected_paired_ttest,
)
from workbench.evaluation.experiment.backends import (
    BACKENDS,
    DaskBackend,
    LocalBackend,
    ProcessBackend,
    make_backend,
)
from workbench.evaluation.experiment.export import FORMATS, export
from workbench.evaluation.experiment.measures import MEASURES, measure_names
from workbench.evaluation.experiment.results_table import read_results
from workbench.evaluation.experiment.runner import RunSummary, run_experiment
from workbench.evaluation.experiment.runs import Run, execute_run, expand_runs
from workbench.evaluation.experiment.spec import (
    ClassifierSpec,
    ExperimentSpec,
    Resampling,
    load_spec,
    spec_from_dict,
)
from workbench.evaluation.experiment.store import ResultStore

__all__ = [
    "BACKENDS",
    "FORMATS",
    "MEASURES",
    "Cell",
    "ClassifierSpec",
    "Comparison",
    "DaskBackend",
    "ExperimentSpec",
    "LocalBackend",
    "PairedTTest",
    "ProcessBackend",
    "RankEntry",
    "Resampling",
    "ResultStore",
    "Run",
    "RunSummary",
    "compare",
    "corrected_paired_ttest",
    "execute_run",
    "expand_runs",
    "export",
    "load_spec",
    "make_backend",
    "measure_names",
    "read_results",
    "run_experiment",
    "spec_from_dict",
]
