"""``python -m parapp ...``: the command line (never the GUI, which lives in ``ui``)."""

import sys

from parapp.cli import main

raise SystemExit(main(sys.argv[1:]))
