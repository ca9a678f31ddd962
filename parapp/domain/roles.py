"""Which side an office is on, and the packages each side sends and accepts.

The role is stored as the ``role`` setting; a StrEnum's value is that same text, so the
database keeps "commune" / "appraiser" and a role compares equal to its stored string.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    COMMUNE = "commune"  # a commune, ward or special zone assessing itself
    APPRAISER = "appraiser"  # the province's appraising office (its hub of units)

    @classmethod
    def of(cls, value: str | None) -> Role:
        """The role a stored setting names; no setting (or an unknown one) is a commune's,
        as ``parapp init`` sets by default."""
        return cls.APPRAISER if value == cls.APPRAISER else cls.COMMUNE


class PackageKind(StrEnum):
    """What a sync package carries (docs/sync-format.md), its manifest's ``kind``."""

    SUBMISSION = "submission"  # a unit's self-assessment, sent for appraisal
    PROGRESS = "progress"  # a unit's remediation progress report
    RESULT = "result"  # the appraiser's result for one unit
    CRITERIA_SET = "criteria-set"  # the criteria set the appraiser uses
    UNIT_CARD = "unit-card"  # an office's public keys, exchanged once


# What each side writes, in the order the window offers them, and what it imports (a unit
# card is imported by both, through the keys screen).
SENDS: dict[Role, tuple[PackageKind, ...]] = {
    Role.COMMUNE: (PackageKind.SUBMISSION, PackageKind.PROGRESS, PackageKind.UNIT_CARD),
    Role.APPRAISER: (PackageKind.RESULT, PackageKind.CRITERIA_SET, PackageKind.UNIT_CARD),
}
ACCEPTS: dict[Role, frozenset[PackageKind]] = {
    Role.COMMUNE: frozenset({PackageKind.RESULT, PackageKind.CRITERIA_SET}),
    Role.APPRAISER: frozenset({PackageKind.SUBMISSION, PackageKind.PROGRESS}),
}


class PackageOutcome(StrEnum):
    """What became of a package: the import's answer for each file, and the sync log's
    ``outcome`` (which also records the sender's numbering reset, see sync_sequence)."""

    PLANNED = "planned"  # checked and not imported yet: a dry run, or the clerk's yes awaited
    APPLIED = "applied"  # imported
    ALREADY = "already"  # imported before: nothing was done
    REFUSED = "refused"  # not imported, with the reason
    EXPORTED = "exported"  # written by this office (the log's outgoing lines)
