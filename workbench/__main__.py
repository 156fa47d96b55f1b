"""``python -m workbench`` behaves exactly like the ``workbench`` console script."""

import sys

try:
    from workbench.cli import main
except KeyboardInterrupt:   # Ctrl-C while Python is still importing the command line
    sys.stderr.write("workbench: stopped by Ctrl-C; no file was left half-written\n")
    sys.exit(130)

sys.exit(main())
