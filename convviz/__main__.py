"""``python -m convviz``: the command line (see :mod:`convviz.cli`)."""
import sys

try:
    from .cli import main
except KeyboardInterrupt:                  # Ctrl-C while NumPy and friends are imported
    sys.exit(130)

sys.exit(main())
