"""Workbench: a desktop machine-learning workbench in the spirit of WEKA.

The package is layered (see DESIGN.md): ``core`` at the bottom, then ``data`` and
``engine``, ``filters``, ``classifiers``, ``evaluation``, ``flow``, and ``gui`` and the
command line on top. Only ``gui`` imports Qt.
"""

__version__ = "0.1.0"
