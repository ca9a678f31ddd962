"""The problem filters of the criteria table (kept free of Qt: the overview uses them on
the start-up path)."""

from __future__ import annotations

from enum import StrEnum


class Problem(StrEnum):
    ALL = "all"
    LOST = "lost"  # lost points
    NO_EVIDENCE = "no_evidence"
    NOT_SCORED = "not_scored"
