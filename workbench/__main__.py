"""``python -m workbench`` behaves exactly like the ``workbench`` console script."""

import sys

from workbench.cli import main

sys.exit(main())
