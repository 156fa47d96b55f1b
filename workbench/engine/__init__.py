"""The array engine: autodiff tensors and functions on NumPy (CPU) or CuPy (GPU).

Kept light on purpose: importing ``workbench.engine`` loads nothing; import
``workbench.engine.tensor``, ``workbench.engine.functional`` (as ``F``) or
``workbench.engine.backend`` for what you need. It knows arrays, never datasets.
"""
