"""``python -m convviz``: the command line (see :mod:`convviz.cli`)."""
import sys

from .cli import main

sys.exit(main())
