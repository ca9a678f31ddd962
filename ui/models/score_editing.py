"""Saving self-assessment edits as they are made, with undo and redo.

Every accepted cell edit becomes an undo command whose ``redo`` shows the new value at once
(the model recomputes the totals locally) and queues ``set_self_scores`` on the database
thread; ``undo`` does the same with the previous value, so the database always follows
what the table shows. When the last queued save is done, the fresh view from the service
replaces the local figures (and puts back the stored value if the service refused).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from parapp.domain.assessment import NodeScore
from parapp.domain.errors import DomainError
from parapp.i18n import _, message
from parapp.services import assessments
from ui.models.columns import COL_DECLARED, COL_EXPLANATION, COL_SELF
from ui.models.criteria_tree import CriteriaTreeModel
from ui.tasks import TaskManager

if TYPE_CHECKING:
    from parapp.services.office import Office


@dataclass(frozen=True)
class Target:
    """Which assessment the edits go to."""

    db: Office
    assessment_id: int
    year: int


def _column(old: NodeScore, new: NodeScore) -> int:
    if old.declared != new.declared:
        return COL_DECLARED
    if old.self_score != new.self_score:
        return COL_SELF
    return COL_EXPLANATION


class _EditCommand(QUndoCommand):
    def __init__(self, editor: ScoreEditor, code: str, old: NodeScore, new: NodeScore) -> None:
        super().__init__(_("criterion {code}").format(code=code))
        self.editor, self.code, self.old, self.new = editor, code, old, new

    def redo(self) -> None:
        self.editor.save(self.code, self.new, _column(self.old, self.new))

    def undo(self) -> None:
        self.editor.save(self.code, self.old, _column(self.new, self.old))


class ScoreEditor(QObject):
    """Connects a :class:`CriteriaTreeModel` to the service through the task manager."""

    saved = Signal(object)  # datetime of a successful save
    view_saved = Signal(object)  # the service's view after the last queued save
    refused = Signal(str)  # a save the service refused: the reason, translated

    def __init__(
        self, model: CriteriaTreeModel, tasks: TaskManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.tasks = tasks
        self.target: Target | None = None
        self.undo_stack = QUndoStack(self)
        self._pending = 0
        self._serial = itertools.count(1)
        self._latest = 0
        model.committer = self.commit

    def set_target(self, target: Target | None) -> None:
        if target != self.target:
            self.undo_stack.clear()
        self.target = target

    @property
    def pending(self) -> int:
        return self._pending

    def commit(self, code: str, old: NodeScore, new: NodeScore) -> None:
        """Called by the model for an accepted edit."""
        self.undo_stack.push(_EditCommand(self, code, old, new))

    def save(self, code: str, state: NodeScore, column: int) -> None:
        """Show ``state`` now and write it to the database on the worker."""
        self.model.apply_local(code, state)
        target = self.target
        if target is None:
            return
        serial = next(self._serial)
        self._latest = serial
        self._pending += 1

        def job() -> tuple[BaseException | None, Any]:
            entry = assessments.SelfEntry(
                code,
                declared=state.declared,
                typed=state.self_score,
                explanation=state.explanation,
            )
            error: BaseException | None = None
            try:
                assessments.set_self_scores(target.db, target.assessment_id, [entry])
            except DomainError as exc:
                error = exc
            # Only the last queued save reloads: its view includes every earlier one.
            if serial != self._latest and error is None:
                return None, None
            return error, assessments.view(target.db, target.year)

        def done(result: tuple[BaseException | None, Any]) -> None:
            self._pending -= 1
            error, view = result
            if error is not None:
                reason = message(error)
                self.refused.emit(reason)
            else:
                self.saved.emit(datetime.now())
            if view is not None and self._pending == 0:
                self.view_saved.emit(view)
            if error is not None:
                self.model.show_error(code, column, reason)

        def failed(exc: BaseException) -> None:
            self._pending -= 1
            raise exc

        self.tasks.run(job, done, failed)
