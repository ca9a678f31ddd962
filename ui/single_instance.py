"""One window per database: a second start on the same data brings the first window forward.

The first start owns a ``QLocalServer`` whose name is derived from the hash of the resolved
database path (a named pipe on Windows, a socket file in the temp folder elsewhere). A later
start on the same database connects, sends its arguments as one JSON line, waits for "ok"
and exits 0; the first window comes to the front and receives the arguments
(:attr:`Instance.activated`, e.g. a file to open).

Start-up time matters (office PCs): importing QtNetwork costs 50–80 ms, a fifth of the first
paint. So the check a start makes uses the standard library's sockets (the same wire as
QLocalSocket), and the server is created only after the first paint. A lock on a file in the
temporary folder (the operating system's own file lock, which it releases when a process
dies, so a crash never leaves it taken) is held from the check until the server listens, so
two starts at the same moment cannot both become the first. It is taken with the standard
library rather than ``QLockFile``: that class's type set-up alone costs a millisecond of the
first paint.

A server name left behind by a crash (a socket file nobody listens on) is removed with
``QLocalServer.removeServer`` before listening.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket
    from PySide6.QtWidgets import QWidget

CONNECT_TIMEOUT_S = 2.0
REPLY_TIMEOUT_S = 10.0  # a busy first window answers between two jobs
LOCK_WAIT_S = 8.0  # a first start may hold the lock until its first paint
LOCK_POLL_S = 0.02


def _sha256_hex(data: bytes) -> str:
    # The C module alone: hashlib would load OpenSSL before the first paint.
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found,no-redef]  # 3.12+
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment]
    return str(sha256(data).hexdigest())


def server_name(db_path: Path) -> str:
    """The same for every spelling of the same database file on this computer."""
    key = os.path.normcase(str(db_path.expanduser().resolve()))
    return "parapp-" + _sha256_hex(key.encode("utf-8"))[:24]


def temp_dir() -> str:
    """Qt's ``QDir::tempPath()``, without Qt: where QLocalServer puts a socket whose name
    has no folder (on Unix ``$TMPDIR``, else ``/tmp``; on Windows the user's temp folder).
    tests/test_single_instance.py checks that both agree."""
    if sys.platform == "win32":  # pragma: no cover - Qt asks GetTempPath, as tempfile does
        import tempfile

        return tempfile.gettempdir()
    folder = os.environ.get("TMPDIR", "") or "/tmp"  # Qt's own fallback
    cleaned = os.path.normpath(folder)
    # normpath keeps a leading "//" (POSIX allows it a meaning); Qt's cleanPath does not.
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def _socket_path(name: str) -> str:
    return os.path.join(temp_dir(), name)


class FileLock:
    """An exclusive lock on ``path`` held through an open file: ``fcntl.flock`` on Unix,
    ``msvcrt.locking`` on Windows. The system drops it when the holder exits or crashes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout_s: float) -> bool:
        """Wait up to ``timeout_s`` for the lock; False if another process kept it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout_s
        while True:
            if _try_lock(fd):
                self._fd = fd
                return True
            if time.monotonic() >= deadline:
                os.close(fd)
                return False
            time.sleep(LOCK_POLL_S)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                _unlock(fd)
            os.close(fd)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


class _Message:
    """The JSON line a later start sends, encoded only when there is someone to send it
    to (the json module is not needed on an ordinary start)."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.argv = list(argv)

    def encode(self) -> bytes:
        import json

        return (json.dumps({"argv": self.argv, "pid": os.getpid()}) + "\n").encode("utf-8")


def _exchange(name: str, message: _Message | bytes) -> bytes | None:
    """Send ``message`` to the server ``name``; its reply, or None if nobody listens."""
    if sys.platform == "win32":
        return _exchange_pipe(name, message)
    path = _socket_path(name)
    if not os.path.exists(path):
        return None  # the usual first start: no need to load the socket module
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT_S)
        try:
            sock.connect(path)
        except OSError:
            return None  # a socket file left by a crash: nobody is listening
        sock.settimeout(REPLY_TIMEOUT_S)
        sock.sendall(message if isinstance(message, bytes) else message.encode())
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = sock.recv(256)
            if not chunk:
                break
            reply += chunk
        return reply
    except OSError:
        return b""  # connected, but the first window did not answer in time
    finally:
        sock.close()


def _exchange_pipe(name: str, message: _Message | bytes) -> bytes | None:  # pragma: no cover
    import ctypes

    with contextlib.suppress(Exception):
        # Let the first window take the focus from us (Windows' foreground lock).
        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # type: ignore[attr-defined]
    try:
        pipe = open(rf"\\.\pipe\{name}", "r+b", buffering=0)  # noqa: SIM115
    except OSError:
        return None
    try:
        pipe.write(message if isinstance(message, bytes) else message.encode())
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = pipe.read(256)
            if not chunk:
                break
            reply += chunk
        return reply
    except OSError:
        return b""
    finally:
        pipe.close()


class Instance(QObject):
    """The first start's claim on the database; :meth:`listen` after the first paint."""

    activated = Signal(list)  # the arguments another start sent

    def __init__(self, name: str, lock: FileLock | None, *, may_listen: bool = True) -> None:
        super().__init__()
        self.name = name
        self._may_listen = may_listen
        self._lock = lock
        self._server: QLocalServer | None = None
        self._window: QWidget | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def listen(self, window: QWidget | None = None) -> bool:
        """Start answering later starts; ``window`` is brought forward when one does."""
        self._window = window
        if not self._may_listen:
            return False
        from PySide6.QtNetwork import QLocalServer

        try:
            server = QLocalServer(self)
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            QLocalServer.removeServer(self.name)  # a name left by a crash
            if not server.listen(self.name):
                return False
            server.newConnection.connect(self._accept)
            self._server = server
            return True
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            self._buffers[sock] = b""
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(lambda s=sock: self._dropped(s))

    def _dropped(self, sock: QLocalSocket) -> None:
        self._buffers.pop(sock, None)
        sock.deleteLater()

    def _read(self, sock: QLocalSocket) -> None:
        data = self._buffers.get(sock, b"") + bytes(sock.readAll().data())
        if b"\n" not in data:
            self._buffers[sock] = data[:65536]
            return
        line = data.split(b"\n", 1)[0]
        import json

        try:
            argv = json.loads(line.decode("utf-8")).get("argv", [])
        except (ValueError, AttributeError):
            argv = []
        sock.write(b"ok\n")
        sock.flush()
        self.bring_forward()
        self.activated.emit([str(a) for a in argv] if isinstance(argv, list) else [])

    def bring_forward(self) -> None:
        window = self._window
        if window is None:
            return
        from PySide6.QtCore import Qt  # not at import: Qt's enums cost start-up time

        state = window.windowState() & ~Qt.WindowState.WindowMinimized
        window.setWindowState(state | Qt.WindowState.WindowActive)
        window.show()
        window.raise_()
        window.activateWindow()

    def close(self) -> None:
        self._release()
        if self._server is not None:
            self._server.close()  # removes the socket file
            self._server = None


def claim(db_path: Path, argv: Sequence[str] = ()) -> Instance | None:
    """None if another window already has ``db_path`` (it was told to come forward, with
    ``argv``): the caller exits 0. Otherwise this start's :class:`Instance`."""
    name = server_name(db_path)
    lock: FileLock | None = FileLock(os.path.join(temp_dir(), name + ".lock"))
    try:
        acquired = lock.acquire(LOCK_WAIT_S)  # False: held for seconds (hung?), go on anyway
    except OSError:
        acquired = False  # no usable temporary folder: one window per database is a comfort
    if not acquired:
        lock = None
    reply = _exchange(name, _Message(argv))
    if reply is not None and reply.startswith(b"ok"):
        if lock is not None:
            lock.release()
        return None
    if reply is None:
        return Instance(name, lock)
    # The first window is there but did not answer (frozen): open the window anyway, the
    # clerk must be able to work; the frozen one keeps its server name.
    if lock is not None:
        lock.release()
    return Instance(name, None, may_listen=False)

