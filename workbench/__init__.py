"""Workbench: a desktop machine-learning workbench in the spirit of WEKA.

The package is layered (see docs/ARCHITECTURE.md): ``core`` at the bottom, then ``data``
and ``engine``, ``filters``, ``classifiers``, ``evaluation``, ``flow``, and ``gui`` and
the command line on top. Only ``gui`` imports Qt. The distribution is called
``mlworkbench``; the package and the command are ``workbench``.
"""

__version__ = "0.1.0"
