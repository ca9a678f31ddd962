"""A throwaway PostgreSQL cluster for the hub tests (tests/test_hub.py).

The cluster lives in a temporary folder: ``initdb -A trust``, a server listening only on a
unix socket in that folder (and a free TCP port on 127.0.0.1), one database per test. The
server refuses to run as root, and CI runs as root: there the cluster belongs to the
``postgres`` user (the Debian package creates it) or else ``nobody``, and every command runs
through ``runuser -u <user>``. Without PostgreSQL's binaries the tests are skipped, saying so.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BINARIES = ("initdb", "pg_ctl", "postgres", "createdb")


def find_bindir() -> Path | None:
    """The folder with initdb, pg_ctl, postgres and createdb: on PATH, else Debian's
    versioned ones."""
    found = shutil.which("pg_ctl")
    # resolved: /usr/local/bin may hold symlinks to some of them only
    candidates = [Path(found).resolve().parent] if found else []
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += [Path(p) for p in versions]
    for folder in candidates:
        if all((folder / name).is_file() for name in BINARIES):
            return folder
    return None


def _run_as() -> str | None:
    """The user the server runs as when we are root (it refuses root), else None."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and there is neither a 'postgres' nor a 'nobody' user")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    user: str | None

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def _cmd(self, *args: str) -> list[str]:
        return (["runuser", "-u", self.user, "--"] if self.user else []) + list(args)

    def run(self, *args: str) -> None:
        done = subprocess.run(self._cmd(*args), capture_output=True, text=True,
                              timeout=120, cwd=self.folder)
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()}")

    def createdb(self, name: str) -> str:
        """A new empty database; its URL (the socket folder as libpq's ``host``)."""
        self.run(str(self.bindir / "createdb"), "-h", str(self.socket_dir), "-p",
                 str(self.port), "-U", "parapp", name)
        return f"postgresql://parapp@/{name}?host={self.socket_dir}&port={self.port}"

    def add_password_login(self, name: str, password: str, database: str) -> str:
        """A login that must give ``password`` (scram) on the socket, owning a new database
        ``database``; that database's URL, without the password."""
        sock = ["-h", str(self.socket_dir), "-p", str(self.port), "-U", "parapp"]
        self.run(str(self.bindir / "psql"), *sock, "-d", "postgres", "-v", "ON_ERROR_STOP=1",
                 "-c", f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        self.run(str(self.bindir / "createdb"), *sock, "-O", name, database)
        hba = self.folder / "data" / "pg_hba.conf"
        # First match wins: this login needs its password; the rest stay trusted.
        hba.write_text(f"local all {name} scram-sha-256\n" + hba.read_text())
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "reload")
        return f"postgresql://{name}@/{database}?host={self.socket_dir}&port={self.port}"

    def start(self) -> None:
        data = self.folder / "data"
        self.socket_dir.mkdir()
        if self.user:
            entry = pwd.getpwnam(self.user)
            for path in (self.folder, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.run(str(self.bindir / "initdb"), "-A", "trust", "-U", "parapp", "-E", "UTF8",
                 "--locale=C", "-D", str(data))
        options = (f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' "
                   "-c fsync=off -c full_page_writes=off")
        self.run(str(self.bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w",
                 "-l", str(self.folder / "server.log"), "start")

    def stop(self) -> None:
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                 "-w", "stop")


def start_cluster() -> Iterator[Cluster]:
    """A running cluster, stopped and removed when the generator is closed."""
    bindir = find_bindir()
    if bindir is None:
        raise LookupError("no PostgreSQL binaries (initdb, pg_ctl, postgres) on PATH or in "
                          "/usr/lib/postgresql/*/bin")
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="parapp-pg-"))
    # Sockets have a 107-byte path limit: the temp folder, not pytest's long tmp_path.
    os.chmod(folder, 0o755)
    cluster = Cluster(bindir, folder, _free_port(), user)
    try:
        cluster.start()
        yield cluster
    finally:
        # A cluster that never started has nothing to stop.
        with contextlib.suppress(RuntimeError, subprocess.SubprocessError, OSError):
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
