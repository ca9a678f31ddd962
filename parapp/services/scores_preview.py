"""What importing a scores file would change, read without writing anything: the window
shows it before the clerk applies the file (``scores_import.import_scores``, all or none)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from db.engine import Database
from parapp.domain.assessment import NodeScore
from parapp.domain.errors import DomainError
from parapp.domain.scoring import resolve_self_score

from . import assessments
from .scores_export import declared_cell
from .scores_import import read_scores_file


@dataclass(frozen=True)
class ScoreChange:
    code: str
    title: str
    declared_before: str
    declared_after: str
    score_before: Decimal | None
    score_after: Decimal | None
    explanation_changed: bool


@dataclass(frozen=True)
class ScoresPreview:
    year: int
    rows: int
    changes: list[ScoreChange]


def preview_scores(db: Database, path: Path, year: int | None = None) -> ScoresPreview:
    """The file's rows checked as the import checks them, and the criteria they would change
    (a refused row raises the import's sentence, naming its line)."""
    view = assessments.view(db, year)
    rows = read_scores_file(path, view.cset)
    changes: list[ScoreChange] = []
    for row in rows:
        node = view.cset.node(row.code)
        old = view.scores.get(row.code, NodeScore(code=row.code))
        declared = row.declared if row.declared is not None else old.declared
        typed = row.typed if row.typed is not None or row.declared is not None else old.self_score
        assert node.rule is not None  # a leaf the unit scores (read_scores_file checked)
        try:
            score = resolve_self_score(
                node.rule, declared, typed, node.max_points, view.cset.na_policy
            ).score
        except DomainError:
            score = typed  # the import says why when it is applied
        explanation = row.explanation if row.explanation is not None else old.explanation
        new = NodeScore(code=row.code, declared=declared)
        change = ScoreChange(
            code=row.code,
            title=node.title,
            declared_before=declared_cell(node, old),
            declared_after=declared_cell(node, new),
            score_before=old.self_score,
            score_after=score,
            explanation_changed=explanation != old.explanation,
        )
        if (
            change.declared_before != change.declared_after
            or change.score_before != change.score_after
            or change.explanation_changed
        ):
            changes.append(change)
    return ScoresPreview(year=view.info.year, rows=len(rows), changes=changes)
