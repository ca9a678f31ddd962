"""One window per database, tested with real processes (offscreen)."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals in the test")

HELPER = """
import json, os, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication, QWidget
from ui import single_instance

single_instance.WAIT_S = float(os.environ.get("HELPER_WAIT_S", "10"))
app = QApplication([sys.argv[0]])
instance = single_instance.claim(Path(sys.argv[1]), sys.argv[2:])
if instance is None:
    print("secondary", flush=True)
    sys.exit(0)
print("primary", flush=True)
window = QWidget()
window.show()
instance.activated.connect(lambda args: print("activated " + json.dumps(args), flush=True))
print("listening" if instance.listen(window) else "not-listening", flush=True)
if os.environ.get("HELPER_FREEZE"):
    time.sleep(120)  # a frozen window: holds the lock, never answers
if os.environ.get("HELPER_CLOSE"):
    instance.close()
    print("closed", flush=True)
    sys.exit(0)
app.exec()
"""


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), **extra)


def _in_temp(name: str) -> str:
    from PySide6.QtCore import QDir

    return os.path.join(QDir.tempPath(), name)  # where QLockFile and QLocalServer put theirs


class Proc:
    def __init__(self, args: list[str], **env: str) -> None:
        self.p = subprocess.Popen(
            args, cwd=ROOT, env=_env(**env), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.p.stdout is not None
        for line in self.p.stdout:
            self.lines.put(line.strip())

    def expect(self, prefix: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no line starting with {prefix!r} within {timeout} s")

    def kill(self) -> None:
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGKILL)
        self.p.wait(10)


@pytest.fixture
def helper(tmp_path: Path) -> list[str]:
    script = tmp_path / "helper.py"
    script.write_text(HELPER, encoding="utf-8")
    return [sys.executable, str(script)]


def test_second_start_hands_over_and_exits_0(helper: list[str], tmp_path: Path) -> None:
    db = tmp_path / "office" / "parapp.sqlite3"
    first = Proc([*helper, str(db)])
    try:
        first.expect("primary")
        first.expect("listening")
        # another spelling of the same file is the same database
        same = str(tmp_path / "office" / ".." / "office" / "parapp.sqlite3")
        second = subprocess.run(
            [*helper, same, "--open", "nộp-06172.cchc"], cwd=ROOT, env=_env(),
            capture_output=True, text=True, timeout=60,
        )
        assert second.returncode == 0
        assert second.stdout.strip() == "secondary"
        got = first.expect("activated")
        assert json.loads(got.split(" ", 1)[1]) == ["--open", "nộp-06172.cchc"]
        assert first.p.poll() is None  # the first window is still there
    finally:
        first.kill()


def test_another_database_gets_its_own_window(helper: list[str], tmp_path: Path) -> None:
    first = Proc([*helper, str(tmp_path / "a" / "parapp.sqlite3")])
    other = Proc([*helper, str(tmp_path / "b" / "parapp.sqlite3")])
    try:
        first.expect("listening")
        other.expect("primary")
        other.expect("listening")
    finally:
        first.kill()
        other.kill()


def test_a_crashed_first_window_does_not_block_the_next_start(
    helper: list[str], tmp_path: Path
) -> None:
    from ui.single_instance import server_name

    db = tmp_path / "parapp.sqlite3"
    first = Proc([*helper, str(db)])
    first.expect("listening")
    first.kill()  # SIGKILL: no clean-up, its lock file and socket file stay behind
    name = server_name(db)
    assert os.path.exists(_in_temp(name + ".lock"))
    assert os.path.exists(_in_temp(name))
    again = Proc([*helper, str(db)])
    try:
        again.expect("primary", timeout=30)  # the dead holder's stale lock taken over
        again.expect("listening")
        third = subprocess.run(
            [*helper, str(db)], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60
        )
        assert third.returncode == 0 and third.stdout.strip() == "secondary"
        again.expect("activated")
    finally:
        again.kill()


def test_starts_at_the_same_moment_make_one_window(helper: list[str], tmp_path: Path) -> None:
    db = tmp_path / "parapp.sqlite3"
    starts = [Proc([*helper, str(db)]) for _ in range(4)]
    try:
        firsts = [p.expect("") for p in starts]  # each one's first line
        assert sorted(firsts) == ["primary", "secondary", "secondary", "secondary"]
        primary = starts[firsts.index("primary")]
        primary.expect("listening")
        for _ in range(3):
            primary.expect("activated")
        for p in starts:
            if p is not primary:
                assert p.p.wait(30) == 0
    finally:
        for p in starts:
            p.kill()


def test_a_closed_window_frees_the_database_at_once(helper: list[str], tmp_path: Path) -> None:
    from ui.single_instance import server_name

    db = tmp_path / "parapp.sqlite3"
    first = subprocess.run([*helper, str(db)], cwd=ROOT, env=_env(HELPER_CLOSE="1"),
                           capture_output=True, text=True, timeout=60)
    assert first.stdout.split() == ["primary", "listening", "closed"]
    name = server_name(db)
    assert not os.path.exists(_in_temp(name + ".lock"))
    assert not os.path.exists(_in_temp(name))
    started = time.monotonic()
    again = subprocess.run([*helper, str(db)], cwd=ROOT, env=_env(HELPER_CLOSE="1"),
                           capture_output=True, text=True, timeout=60)
    assert again.stdout.split() == ["primary", "listening", "closed"]
    assert time.monotonic() - started < 20


def test_a_frozen_first_window_does_not_keep_the_clerk_out(
    helper: list[str], tmp_path: Path
) -> None:
    db = tmp_path / "parapp.sqlite3"
    frozen = Proc([*helper, str(db)], HELPER_FREEZE="1")
    try:
        frozen.expect("listening")
        started = time.monotonic()
        second = Proc([*helper, str(db)], HELPER_WAIT_S="1.5")
        try:
            second.expect("primary", timeout=30)  # its own window, after waiting
            assert time.monotonic() - started >= 1.5
            second.expect("not-listening")  # the frozen one keeps the lock and the name
            assert second.p.poll() is None
        finally:
            second.kill()
    finally:
        frozen.kill()


def test_the_real_program_starts_once_per_database(tmp_path: Path) -> None:
    from ui.single_instance import server_name

    db = tmp_path / "office" / "parapp.sqlite3"
    launcher = [sys.executable, "-m", "ui.launcher", "--db", str(db)]
    first = Proc(launcher)
    try:
        socket = _in_temp(server_name(db))
        deadline = time.monotonic() + 60
        while not os.path.exists(socket) and time.monotonic() < deadline:
            assert first.p.poll() is None, "the first window closed"
            time.sleep(0.1)
        assert os.path.exists(socket), "the first window never started its server"
        started = time.monotonic()
        second = subprocess.run(launcher, cwd=ROOT, env=_env(), capture_output=True, timeout=60)
        assert second.returncode == 0
        assert time.monotonic() - started < 30
        assert first.p.poll() is None
    finally:
        first.kill()


@pytest.mark.parametrize("maximized", [False, True])
def test_bringing_forward_restores_a_minimized_window_as_it_was(
    qtbot: object, tmp_path: Path, maximized: bool
) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.single_instance import claim

    window = QWidget()
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.showMaximized() if maximized else window.show()
    window.showMinimized()
    assert window.isMinimized()
    instance = claim(tmp_path / "parapp.sqlite3")
    assert instance is not None
    try:
        assert instance.listen(window)
        instance.bring_forward()
        assert not window.isMinimized() and window.isVisible()
        assert window.isMaximized() == maximized
    finally:
        instance.close()
