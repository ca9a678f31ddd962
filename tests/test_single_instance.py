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
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QWidget
from ui import single_instance

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
app.exec()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return env


class Proc:
    def __init__(self, args: list[str]) -> None:
        self.p = subprocess.Popen(
            args, cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
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
    from ui.single_instance import _socket_path, server_name

    db = tmp_path / "parapp.sqlite3"
    first = Proc([*helper, str(db)])
    first.expect("listening")
    first.kill()  # SIGKILL: no clean-up, the server's socket file stays behind
    assert os.path.exists(_socket_path(server_name(db)))
    again = Proc([*helper, str(db)])
    try:
        again.expect("primary", timeout=30)
        again.expect("listening")
        third = subprocess.run(
            [*helper, str(db)], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60
        )
        assert third.returncode == 0 and third.stdout.strip() == "secondary"
        again.expect("activated")
    finally:
        again.kill()


def test_the_real_program_starts_once_per_database(tmp_path: Path) -> None:
    from ui.single_instance import _socket_path, server_name

    db = tmp_path / "office" / "parapp.sqlite3"
    launcher = [sys.executable, "-m", "ui.launcher", "--db", str(db)]
    first = Proc(launcher)
    try:
        socket = _socket_path(server_name(db))
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


@pytest.mark.parametrize(
    "tmpdir", ["", "{tmp}/link", "{tmp}/link/", "{tmp}//real/../real", "{tmp}/missing/x", "//tmp"]
)
def test_the_temp_folder_is_the_one_qt_puts_its_socket_in(tmp_path: Path, tmpdir: str) -> None:
    # QLocalServer names its socket after QDir::tempPath(); we look for it without Qt.
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    value = tmpdir.format(tmp=tmp_path)
    code = (
        "from PySide6.QtCore import QDir\n"
        "from ui.single_instance import temp_dir\n"
        "print(QDir.tempPath()); print(temp_dir())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=dict(_env(), TMPDIR=value),
        capture_output=True, text=True, timeout=60, check=True,
    )
    qt, ours = done.stdout.splitlines()
    assert ours == qt


LOCK_HOLDER = """
import sys, time
from ui.single_instance import FileLock
lock = FileLock(sys.argv[1])
print("held" if lock.acquire(5) else "busy", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_the_start_lock_is_exclusive_and_dies_with_its_holder(tmp_path: Path) -> None:
    from ui.single_instance import FileLock

    path = str(tmp_path / "x.lock")
    holder = Proc([sys.executable, "-c", LOCK_HOLDER, path, "60"])
    try:
        holder.expect("held")
        lock = FileLock(path)
        started = time.monotonic()
        assert not lock.acquire(0.3)
        assert time.monotonic() - started >= 0.3  # it waited before giving up
        assert not lock.held
    finally:
        holder.kill()  # SIGKILL: the system drops the lock of a dead process
    assert lock.acquire(5)
    try:
        other = subprocess.run(
            [sys.executable, "-c", LOCK_HOLDER.replace("acquire(5)", "acquire(0.2)"), path, "0"],
            cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60,
        )
        assert other.stdout.strip() == "busy"
    finally:
        lock.release()
    assert not lock.held
    assert lock.acquire(0)  # released: free again at once
    lock.release()
