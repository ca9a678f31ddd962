"""``python -m parapp ...``: the same as the ``parapp`` command with arguments."""

from ui.launcher import main

raise SystemExit(main())
