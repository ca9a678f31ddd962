"""Shared by the council tests on a real server (test_hub_council, test_hub_conflicts,
test_hub_evidence): logins, command-line runs, the secretariat's office with the demo
commune's submission, and worker processes that save as a member's PC would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from db.location import server_path
from parapp.services.sync_keys import read_card
from tests.test_cli import ROOT, run


def as_login(url: str, login: str) -> str:
    """The same database under another login (trusted on the test cluster's socket)."""
    return url.replace("postgresql://parapp@", f"postgresql://{login}@", 1)


def ok(db: str | Path, data: Path, *args: str) -> str:
    code, out, err = run(db, *args, data_dir=data, timeout=120)  # type: ignore[arg-type]
    assert code == 0, (args, err)
    return out


def refused(db: str | Path, data: Path, *args: str) -> str:
    code, _out, err = run(db, *args, data_dir=data, timeout=120)  # type: ignore[arg-type]
    assert code == 1 and "Traceback" not in err, (args, err)
    return err


def secretariat_office(pg_url: str, demo: Path, data: Path) -> None:
    """On the secretariat's PC (local folder ``data``): the appraiser's office set up on the
    server with the demo appraiser's keys, its province's units, the demo commune's card
    trusted and its 2025 submission (with evidence) imported. The login that made the
    database, "parapp", owns it."""
    shutil.copytree(demo / "appraiser" / "keys", server_path(pg_url, data).parent / "keys")
    ok(pg_url, data, "init", "--role", "appraiser", "--unit-code", "20", "--sample")
    ok(pg_url, data, "appraise", "add-units", "--province", "20")
    card = demo / "usb" / "the-dinh-danh-06172.cchc"
    ok(pg_url, data, "keys", "trust", str(card), "--fingerprint", read_card(card).fingerprint)
    ok(pg_url, data, "sync", "import", str(demo / "usb" / "nop-06172-2025.cchc"))


def start_worker(function: str, url: str, data: Path, go: Path,
                 payload: object) -> subprocess.Popen[str]:
    """``function`` ("tests.module:name") in a process of its own, as a member's PC: it is
    given the URL, the file whose appearance says go, and ``payload`` as JSON."""
    module, name = function.split(":")
    env = dict(os.environ, PARAPP_DATA_DIR=str(data), PARAPP_LANG="vi")
    script = f"import sys; from {module} import {name}; {name}(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", script, url, str(go), json.dumps(payload)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(proc: subprocess.Popen[str], timeout: float = 300) -> list[dict[str, object]]:
    """The worker's lines (one JSON object each), once it ended well."""
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, err
    return [json.loads(line) for line in out.splitlines() if line.strip()]
