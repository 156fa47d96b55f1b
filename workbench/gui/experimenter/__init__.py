"""WEKA's Experimenter as a window: set up an experiment, run it, analyse its results.

Everything it computes comes from ``workbench.evaluation.experiment``; the window only
edits a spec, runs ``run_experiment`` on a worker thread and shows ``compare``'s table.
"""

from workbench.gui.experimenter.window import Experimenter, ExperimenterWindow

__all__ = ["Experimenter", "ExperimenterWindow"]
