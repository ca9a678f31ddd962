"""The command line in the clerk's language: our help texts and argparse's own words.

Help texts stay plain English literals in the parser (``help="…"``): ``scripts/i18n.py``
extracts every literal ``help=`` / ``description=`` of ``parapp/cli`` into the catalog,
and :class:`Formatter` translates them when help is printed. argparse translates its own
words ("usage:", "options", its error messages) with the module-level ``gettext`` it
imported; :func:`prepare` points that name at our catalog, so ``--help`` and usage errors
are in one language.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from parapp import i18n
from parapp.i18n import N_

# argparse's own msgids, as written in Python 3.11–3.13 (extracted from here into our catalog).
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"),
)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.ngettext(singular, plural, n)


def prepare(argv: Sequence[str]) -> None:
    """Choose the language before the parser is built (its section titles are translated
    then), from ``--lang`` wherever it stands; route argparse's words through our catalog."""
    args = list(argv)
    for i, arg in enumerate(args):
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in i18n.LANGUAGES:
            i18n.set_language(value)
    # argparse looks these two names up in its module at each call.
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Prints our help texts translated (they are English msgids in the parser); a
    description keeps its line breaks, so an example stays on a line of its own."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return i18n._(action.help) if action.help else action.help

    def add_text(self, text: str | None) -> None:
        super().add_text(i18n._(text) if text else text)
