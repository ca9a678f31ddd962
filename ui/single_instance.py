"""One window per database: a second start on the same data brings the first window forward.

The first start holds a ``QLockFile`` named after the database, in the temporary folder, for
as long as its window is open, and answers on a ``QLocalServer`` of the same name (a named
pipe on Windows, a socket file elsewhere). A later start that cannot take the lock sends its
arguments there as one JSON line and exits 0 once the first window has answered "ok"; that
window comes to the front and receives the arguments (:attr:`Instance.activated`, e.g. a
package to open).

A crashed window's lock is stale (its process is gone) and the next start takes it over.
A first window that holds the lock but does not answer (frozen) does not keep the clerk
out: the later start opens its own window, without a server.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

# How long a later start waits for the first window: it answers once its event loop runs,
# and a busy one between two jobs.
WAIT_S = 10.0
MAX_MESSAGE = 65536


def server_name(db_path: Path) -> str:
    """The same for every spelling of the same database file on this computer."""
    key = os.path.normcase(str(db_path.expanduser().resolve()))
    return "parapp-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def lock_path(name: str) -> str:
    return os.path.join(QDir.tempPath(), name + ".lock")


class Instance(QObject):
    """This start's claim on the database; :meth:`listen` once its window exists."""

    activated = Signal(list)  # the arguments another start sent

    def __init__(self, name: str, lock: QLockFile | None) -> None:
        super().__init__()
        self.name = name
        self._lock = lock
        self._server: QLocalServer | None = None
        self._window: QWidget | None = None

    @property
    def listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def listen(self, window: QWidget | None = None) -> bool:
        """Answer later starts; ``window`` is brought forward when one comes. Only the
        holder of the lock listens."""
        self._window = window
        if self._lock is None:
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(self.name)  # we hold the lock: any socket left is a dead one's
        if not server.listen(self.name):
            return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)

    def _read(self, sock: QLocalSocket) -> None:
        if not sock.canReadLine():
            if sock.bytesAvailable() > MAX_MESSAGE:
                sock.abort()
            return
        line = bytes(sock.readLine(MAX_MESSAGE).data())
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
        if window.isMinimized():  # back as it was: maximized or not
            if window.isMaximized():
                window.showMaximized()
            else:
                window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    def close(self) -> None:
        if self._server is not None:
            self._server.close()  # removes the socket file
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def _hand_over(name: str, argv: Sequence[str], lock: QLockFile) -> bool | None:
    """Send ``argv`` to the window holding the lock: True once it answered, None if the
    lock came free meanwhile (now ours), False if the holder never answered."""
    if sys.platform == "win32":  # pragma: no cover
        # Let the first window take the focus from us (Windows' foreground lock).
        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # type: ignore[attr-defined]
    deadline = time.monotonic() + WAIT_S
    sock = QLocalSocket()
    while True:  # the first window starts its server once it has one
        sock.connectToServer(name)
        if sock.waitForConnected(500):
            break
        if lock.tryLock(0):
            return None  # it closed (or died) before we reached it
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    sock.write((json.dumps({"argv": list(argv)}) + "\n").encode("utf-8"))
    reply = b""
    while not reply.endswith(b"\n") and time.monotonic() < deadline:
        left_ms = max(1, int((deadline - time.monotonic()) * 1000))
        if not sock.waitForReadyRead(left_ms):
            break
        reply += bytes(sock.readAll().data())
    sock.abort()
    return reply.startswith(b"ok")


def claim(db_path: Path, argv: Sequence[str] = ()) -> Instance | None:
    """None if another window already has ``db_path`` (it was brought forward and given
    ``argv``): the caller exits 0. Otherwise this start's :class:`Instance`."""
    name = server_name(db_path)
    lock = QLockFile(lock_path(name))
    # Held for the whole session: the lock is stale only when its process is gone, not
    # after some time.
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return Instance(name, lock)
    if lock.error() != QLockFile.LockError.LockFailedError:
        return Instance(name, None)  # no usable temporary folder: one window is a comfort
    handed = _hand_over(name, argv, lock)
    if handed is None:
        return Instance(name, lock)
    return None if handed else Instance(name, None)
