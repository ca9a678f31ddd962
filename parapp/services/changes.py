"""What a write changed, so a front end refreshes that part instead of reloading everything.

The parts are kinds of data, not screens: a screen says which it shows, and after a
write the window reloads only the snapshot's parts that changed and refreshes only the
screens that show one of them. Each write below says what it changes, with why when it is
more than its own part.
"""

from __future__ import annotations

from enum import StrEnum


class Data(StrEnum):
    """A kind of data a write may change."""

    ASSESSMENT = "assessment"  # scores, declared data, explanations, status, result: the view
    PLAN = "plan"  # the remediation and annual plans, their items and progress
    EVIDENCE = "evidence"  # evidence files, their details and their links to criteria
    DOCUMENTS = "documents"  # documents issued, numbered, signed
    OFFICE = "office"  # the office's unit, settings, profile, departments and backups
    SYNC = "sync"  # the sync log and the trusted keys


Changed = frozenset[Data]

EVERYTHING: Changed = frozenset(Data)
SCORES: Changed = frozenset({Data.ASSESSMENT})
PLAN_ITEMS: Changed = frozenset({Data.PLAN})
# A file added or linked changes the criteria's evidence counts and the "lacking evidence"
# list, which are in the assessment's view.
EVIDENCE_LINKS: Changed = frozenset({Data.EVIDENCE, Data.ASSESSMENT})
# Issuing a plan (or revising an issued one) changes the plan's status and revision.
DOCUMENT_ISSUED: Changed = frozenset({Data.DOCUMENTS, Data.PLAN})
# A package may bring assessments, results, criteria sets, plans and evidence, and is logged;
# the office's own settings and keys stay as they were (a backup is made before, though).
SYNC_IMPORT: Changed = frozenset(
    {Data.ASSESSMENT, Data.PLAN, Data.EVIDENCE, Data.SYNC, Data.OFFICE}
)
