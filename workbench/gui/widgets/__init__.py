"""Widgets shared by the Explorer, the flow editor and the viewers.

``ParamSheet`` turns a component's parameter declaration into a form, so no window
hand-writes a form per component (DESIGN.md rule 3); ``ComponentChooser`` lists the
registry's components by category; ``LogPane`` keeps what happened readable.
"""

from workbench.gui.widgets.chooser import ComponentChooser
from workbench.gui.widgets.log_pane import LogPane
from workbench.gui.widgets.param_sheet import ParamSheet

__all__ = ["ComponentChooser", "LogPane", "ParamSheet"]
