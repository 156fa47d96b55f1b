"""The Knowledge Flow editor: a canvas over the headless ``workbench.flow`` model."""

from workbench.gui.flow_editor.window import FlowEditor

__all__ = ["FlowEditor"]
