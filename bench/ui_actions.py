"""How fast the window answers each visible action (issue 16, point 5): first document
preview, issuing, exports, the import of one package, closing.

Run from the project folder: ``python bench/ui_actions.py [--runs N]`` (about 20 s a run,
the median of 3 by default; offscreen unless ``QT_QPA_PLATFORM`` says otherwise). Not a
test.

Each run is a new process, as the program is, so a "first" is a first (the PDF machinery,
for one, is loaded by the first preview). The demo's two offices are built in a temporary
folder by a child process (``parapp demo``); the commune then starts and submits its 2026
self-assessment (as the sync tests do), in another child. The REAL main window is
opened on each office and driven through its own widgets: buttons clicked, the navigation
list used, the file and confirmation dialogs answered at once (a person's time is not the
program's). For each action:

* result: milliseconds from the click until its result is on screen (the preview's pages,
  the issued banner, the written-package card, the import's summary, the window gone);
* progress: milliseconds until the window first showed that it is working (busy cursor,
  progress dialog, "Đang cập nhật bản xem trước…" and the like), "—" if it never needed to;
* longest gap: the longest wait between two ticks of a 20 ms timer during the action, i.e.
  how long the window was frozen; beside it, the GUI thread's own CPU time in that gap
  (small: the GUI thread was waiting for the CPU or for the worker's hold on Python's
  lock, as on a machine busy with other work; large: the window itself was working).

Verdict (the issue's bar): OK if the result came within 1000 ms, or progress showed within
300 ms and no gap was over 100 ms (the window stayed responsive). Closing is judged on the
window being gone; the program's end may wait for the exit backup, and only when the data
changed (the "backup" column says whether one was made).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TICK_MS = 20
RESULT_MS, PROGRESS_MS, FROZEN_MS = 1000, 300, 100
TIMEOUT_S = 120


@dataclass
class Figure:
    action: str
    result_ms: float
    progress_ms: float | None
    gap_ms: float | None  # None: the window is gone, nothing left to freeze
    gap_cpu_ms: float = 0.0  # the GUI thread's CPU time during the longest gap
    note: str = ""
    allowed: bool = False  # the exit backup of changed data: the one wait closing may have

    @property
    def verdict(self) -> str:
        if self.result_ms < RESULT_MS or self.allowed:
            return "OK"
        quick = self.progress_ms is not None and self.progress_ms < PROGRESS_MS
        return "OK" if quick and (self.gap_ms or 0) <= FROZEN_MS else "SLOW"


def busy_shown() -> bool:
    """The window's own signs of work: the busy cursor or a progress dialog."""
    from PySide6.QtWidgets import QApplication, QProgressDialog

    if QApplication.overrideCursor() is not None:
        return True
    return any(
        isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )


def measure(
    action: str,
    start: Callable[[], Any],
    done: Callable[[], bool],
    progress: Callable[[], bool] = busy_shown,
    note: str = "",
) -> Figure:
    """Call ``start`` (the click) and run the event loop until ``done``; a 20 ms timer
    watches for progress and for the event loop's longest gap meanwhile."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    began = last = time.perf_counter()
    last_cpu = time.thread_time()
    seen: dict[str, float] = {"gap": 0.0, "gap_cpu": 0.0}

    def tick() -> None:
        nonlocal last, last_cpu
        now, cpu = time.perf_counter(), time.thread_time()
        if now - last > seen["gap"]:
            seen["gap"], seen["gap_cpu"] = now - last, cpu - last_cpu
        last, last_cpu = now, cpu
        if "progress" not in seen and progress():
            seen["progress"] = now - began
        if done():
            seen["result"] = now - began
            loop.quit()
        elif now - began > TIMEOUT_S:
            loop.quit()

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    start()
    tick()  # what ``start`` itself left on screen, and how long it held the loop
    if "result" not in seen:
        loop.exec()
    timer.stop()
    if "result" not in seen:
        sys.exit(f"{action}: no result after {TIMEOUT_S} s")
    shown = seen.get("progress")
    return Figure(action, seen["result"] * 1000, shown * 1000 if shown is not None else None,
                  seen["gap"] * 1000, seen["gap_cpu"] * 1000, note)


def wait(condition: Callable[[], bool], timeout: float = TIMEOUT_S) -> None:
    from PySide6.QtCore import QCoreApplication, QThread

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit("timed out waiting for the window")
        QCoreApplication.processEvents()
        QThread.msleep(5)


def settle(window: Any, ms: int = 300) -> None:
    """No job left on the worker, and a moment for the screen to paint."""
    wait(lambda: window.state.tasks.pending == 0)
    end = time.monotonic() + ms / 1000
    wait(lambda: time.monotonic() > end)


def open_window(db_path: Path) -> Any:
    """The main window as ``ui.app`` opens it, at 1366×768, once its data is shown."""
    from ui.main_window import MainWindow
    from ui.state import AppState

    state = AppState(None, db_path)
    window = MainWindow(state)
    window.resize(1366, 768)
    shown: list[bool] = []
    window.data_shown.connect(lambda: shown.append(True))
    window.show()
    state.open()
    state.tasks.dialog_parent = window

    def failed(exc: BaseException) -> None:
        sys.exit(f"the window reported an error: {exc!r}")

    state.tasks.default_error = failed
    wait(lambda: bool(shown))
    settle(window, 500)  # the other screens are built after the first one is shown
    return window


def navigate(window: Any, key: str) -> None:
    """Click ``key``'s entry in the navigation list."""
    from ui.main_window import KEY_ROLE

    for row in range(window.nav.count()):
        if window.nav.item(row).data(KEY_ROLE) == key:
            window.nav.setCurrentRow(row)
            return
    raise LookupError(key)


def backups(db_path: Path) -> int:
    folder = db_path.parent / "backups"
    return len(list(folder.glob("*.sqlite3*"))) if folder.is_dir() else 0


def close(window: Any, action: str) -> list[Figure]:
    """Close as the person does (the window's close button), then end as the window does:
    the exit backup (if the data changed) and the worker stopped."""
    import shiboken6

    from ui import after_paint

    path = window.state.db_path
    before = backups(path)
    began = time.perf_counter()
    figure = measure(f"{action}: window gone", window.close, lambda: not window.isVisible(),
                     lambda: False)
    after_paint.close_down(window.state, window, backup=True)
    ended = (time.perf_counter() - began) * 1000
    made = backups(path) > before
    shiboken6.delete(window)
    end = Figure(f"{action}: program can quit", ended, None, None,
                 note="backup made" if made else "no backup", allowed=made)
    return [figure, end]


# -- the actions -------------------------------------------------------------------------
def first_preview(window: Any) -> Figure:
    from ui import screens

    screen = window.screen(screens.DOCUMENTS)
    ready: list[bool] = []
    screen.preview_ready.connect(lambda: ready.append(True))
    return measure(
        "first document preview",
        lambda: navigate(window, screens.DOCUMENTS),
        lambda: bool(ready) and screen.preview.page_count > 0,
        lambda: busy_shown() or bool(screen.preview.busy_label.text()),
    )


def issue(window: Any) -> Figure:
    from parapp.i18n import _
    from ui import dialogs, screens

    screen = window.screen(screens.DOCUMENTS)
    actions = screen.issue_actions
    original = dialogs.confirm
    dialogs.confirm = lambda *_args, **_kw: True  # "Ban hành" in the question box
    try:
        return measure(
            "issue the plan",
            actions.issue_button.click,
            lambda: actions.banner.isVisible() and screen.form.read_only,
            lambda: busy_shown()
            or window.statusBar().currentMessage() == _("Issuing the plan…"),
        )
    finally:
        dialogs.confirm = original


def export_excel(window: Any, out: Path) -> Figure:
    from ui import screens

    navigate(window, screens.SELF_ASSESSMENT)
    settle(window)
    year_actions = window.screen(screens.SELF_ASSESSMENT).year_actions
    year_actions.ask_save_path = lambda _parent, _suggested: str(out)
    return measure("export scores to Excel", year_actions.export_action.trigger, out.exists)


def send_submission(window: Any, usb: Path) -> Figure:
    from ui import screens
    from ui.screens.sync import TAB_SEND

    navigate(window, screens.SYNC)
    screen = window.screen(screens.SYNC)
    screen.tabs.setCurrentIndex(TAB_SEND)
    settle(window)
    send = screen.send
    send.destinations.add_folder(usb)
    send.destinations.select(usb)
    send.select_kind("submission")
    sent: list[bool] = []
    send.sent.connect(lambda _exported: sent.append(True))
    return measure(
        "export: send the submission",
        send.write_button.click,
        lambda: bool(sent) and send.card.isVisible(),
    )


def import_one(window: Any, package: Path) -> list[Figure]:
    from ui import dialogs, screens
    from ui.screens.sync import TAB_RECEIVE

    navigate(window, screens.SYNC)
    screen = window.screen(screens.SYNC)
    screen.tabs.setCurrentIndex(TAB_RECEIVE)
    settle(window)
    receive = screen.receive
    receive.ask_files = lambda _parent: [package]
    planned: list[Any] = []

    def plan_shown(_parent: Any, outcomes: list[Any]) -> list[Any]:
        planned.append(outcomes)
        return []  # "Đóng": the import is measured on its own below

    receive.show_plan = plan_shown
    check = measure("import: check one package", receive.files_button.click,
                    lambda: bool(planned))
    settle(window)
    receive.show_plan = lambda _parent, outcomes: outcomes  # "Nhập"
    original = dialogs.inform
    dialogs.inform = lambda *_args, **_kw: None  # the summary box; the panel shows it too
    try:
        apply = measure("import: import one package", receive.files_button.click,
                        lambda: receive.last.isVisible())
    finally:
        dialogs.inform = original
    return [check, apply]


# -- the offices -------------------------------------------------------------------------
# Built by child processes: the window's process then imports, as the program would, only
# what its actions need (the first preview loads the PDF machinery, for instance).
def prepare(step: str, path: Path) -> None:
    """``build``: the demo's two offices in ``path``; ``submit``: the commune at ``path``
    starts and submits its 2026 self-assessment (not yet sent)."""
    if step == "build":
        from parapp.services.demo import build_demo

        dict(build_demo(path))
        return
    from parapp.services import submission
    from parapp.services.demo import start_next_year
    from parapp.services.office import open_office

    db = open_office(path)
    try:
        assessment_id = start_next_year(db, frozenset({"1", "2", "3", "4", "5", "6"}))
        submission.submit(db, assessment_id, allow_incomplete=True,
                          reason="Lĩnh vực 7 đang chờ số liệu của huyện.")
    finally:
        db.close()


def child(*args: str) -> str:
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def run(folder: Path) -> list[Figure]:
    from ui import screens

    child("--prepare", "build", str(folder / "demo"))
    commune = folder / "demo" / "commune" / "parapp.sqlite3"
    appraiser = folder / "demo" / "appraiser" / "parapp.sqlite3"
    usb = folder / "usb"
    usb.mkdir()
    figures: list[Figure] = []

    window = open_window(commune)  # as built: nothing changed since the demo's backup
    figures += close(window, "close, data unchanged")

    child("--prepare", "submit", str(commune))
    window = open_window(commune)
    figures.append(first_preview(window))
    settle(window)
    figures.append(issue(window))
    settle(window)
    figures.append(export_excel(window, folder / "tu-cham-2026.xlsx"))
    settle(window)
    figures.append(send_submission(window, usb))
    settle(window)
    figures += close(window, "close, data changed")

    window = open_window(commune)  # closed while the first preview is being made
    navigate(window, screens.DOCUMENTS)
    figures += close(window, "close during a preview")

    package = next(usb.glob("*.cchc"))
    window = open_window(appraiser)
    figures += import_one(window, package)
    settle(window)
    figures += close(window, "close after the import")
    return figures


def one_run() -> None:
    """One run in this process (a fresh one, as the program starts): figures as JSON."""
    from PySide6.QtWidgets import QApplication

    from ui import qt_compat, qt_strings, style

    qt_compat.apply()
    app = QApplication.instance() or QApplication(style.qt_arguments(sys.argv[0]))
    style.apply(app)
    qt_strings.install()
    with tempfile.TemporaryDirectory(prefix="parapp-bench-ui-") as tmp:
        figures = run(Path(tmp))
    print(json.dumps([asdict(f) for f in figures]))


def combine(runs: list[list[Figure]]) -> list[Figure]:
    """Each action's median over the runs (progress: over the runs that showed any); the
    slowest run's result goes into the note."""
    out = []
    for same in zip(*runs, strict=True):
        shown = [f.progress_ms for f in same if f.progress_ms is not None]
        gaps = [f.gap_ms for f in same if f.gap_ms is not None]
        first = same[0]
        note = f"slowest {max(f.result_ms for f in same):.0f}"
        notes = sorted({f.note for f in same if f.note})
        out.append(Figure(
            first.action,
            statistics.median(f.result_ms for f in same),
            statistics.median(shown) if shown else None,
            statistics.median(gaps) if gaps else None,
            statistics.median(f.gap_cpu_ms for f in same),
            "; ".join([note, *notes]),
            allowed=all(f.allowed for f in same),
        ))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="median of this many runs")
    parser.add_argument("--prepare", nargs=2, metavar=("STEP", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare[0], Path(args.prepare[1]))
        return 0
    if args.one_run:
        one_run()
        return 0
    runs = []
    for _ in range(args.runs):  # each in a new process: every "first" is a first
        out = child("--one-run").strip().splitlines()[-1]
        runs.append([Figure(**f) for f in json.loads(out)])
    figures = combine(runs)
    platform = os.environ["QT_QPA_PLATFORM"]
    print(f"Visible actions in the real window (QT_QPA_PLATFORM={platform}), median of "
          f"{args.runs} runs; times in ms")
    print(f"  {'action':<42} {'result':>7} {'progress':>8} {'longest gap (GUI cpu)':>21}  verdict")
    for f in figures:
        progress = f"{f.progress_ms:8.0f}" if f.progress_ms is not None else f"{'—':>8}"
        gap = f"{f.gap_ms:13.0f} ({f.gap_cpu_ms:4.0f})" if f.gap_ms is not None else f"{'—':>21}"
        print(f"  {f.action:<42} {f.result_ms:7.0f} {progress} {gap}  {f.verdict:<5}"
              + (f"  {f.note}" if f.note else ""))
    print(f"  OK: result < {RESULT_MS} ms, or progress < {PROGRESS_MS} ms with no gap over "
          f"{FROZEN_MS} ms; closing may wait for the backup of changed data")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
