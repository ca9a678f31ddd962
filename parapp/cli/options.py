"""Options several commands share, each with its one help text."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from parapp.i18n import N_

PERIOD_HELP = N_("the assessed year, e.g. 2025 (default: the latest)")
PERIOD_REQUIRED_HELP = N_("the assessed year, e.g. 2025")
DECISION_NUMBER_HELP = N_("the number of the decision announcing it, e.g. 70/QĐ-UBND")
DECISION_DATE_HELP = N_("the date of that decision, dd/mm/yyyy")
SIGNER_MODE_HELP = N_("how the signer signs: TM, KT, Q, TL, TUQ or direct (in their own name)")


def add_period(parser: argparse.ArgumentParser, year: Callable[[str], int], *,
               required: bool = False) -> None:
    """``--period``/``--year`` (``year`` is the parser's year type, given to avoid a cycle)."""
    parser.add_argument("--period", "--year", dest="period", type=year, required=required,
                        help=PERIOD_REQUIRED_HELP if required else PERIOD_HELP)
