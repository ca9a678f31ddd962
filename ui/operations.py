"""One way for a screen to run work on the office off the GUI thread, in the spirit of
Anki's ``CollectionOp``: build the operation with a function of the office's handle, say
what follows its success, its failure and its progress, then run it.

    OfficeOp(state, lambda office: evidence.list_evidence(office, year))
        .success(self._listed)
        .failure(self._failed)
        .run()

The function runs on the one database worker (``ui.tasks``: after the jobs queued before
it, so a save and the reload after it never overtake each other); the callbacks run on the
GUI thread. The handle is the one open when ``run`` is called; with none open (the setup
page, a closing window) nothing runs. A function returning a generator of
``(done, total, text)`` is long work: it gets the progress dialog with its "Hủy" button,
and ``progress`` sees each step. A failure without ``failure`` goes to the window's
default handler (the sentence in a message box).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parapp.services.office import Office
    from ui.state import AppState
    from ui.tasks import Failed, Progressed, Task

class OfficeOp:
    """(The result ``success`` gets is the work's, or for long work its generator's return
    value: so it is typed Any.)"""

    def __init__(self, state: AppState, work: Callable[[Office], Any], *, label: str = "") -> None:
        self._state = state
        self._work = work
        self._label = label
        self._success: Callable[[Any], Any] | None = None
        self._failure: Failed | None = None
        self._progress: Progressed | None = None

    def success(self, fn: Callable[[Any], Any]) -> OfficeOp:
        self._success = fn
        return self

    def failure(self, fn: Failed) -> OfficeOp:
        self._failure = fn
        return self

    def progress(self, fn: Progressed) -> OfficeOp:
        self._progress = fn
        return self

    def run(self) -> Task | None:
        """Queue the work on the open office; None (and nothing queued) without one."""
        office = self._state.db
        if office is None:
            return None
        work = self._work
        return self._state.tasks.run(
            lambda: work(office),
            self._success,
            self._failure,
            label=self._label,
            on_progress=self._progress,
        )
