"""GUI tests run offscreen: no display, same widgets."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
