"""The Explorer: open a dataset, preprocess it, classify it, look at it.

``ExplorerWindow`` is the main window; its tabs live one per module (``preprocess``,
``classify``, ``visualize``) and share the current dataset through the window.
"""

from workbench.gui.explorer.window import ExplorerWindow

__all__ = ["ExplorerWindow"]
