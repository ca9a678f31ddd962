"""Nothing left behind (issue 19, part 5): an import's temporary files, decrypted plaintext
first, do not survive the import, nor a kill -9 once parapp starts again.

The kill test runs the real ``parapp sync import`` on a folder of encrypted packages (the
demo commune's 2026 submission with ~20 MB of evidence, sealed with real X25519/AES-GCM to
the demo appraiser's key), kills it with SIGKILL while a decrypted package is on disk, and
checks after the next start that no file in the data folder holds any package's plaintext
and no temporary file is left.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sync_support import copy_demo, draft_2026_submission

from parapp.services import leftovers, sync_keys
from parapp.sync import crypto
from parapp.sync.package import read_package, write_package

ROOT = Path(__file__).resolve().parent.parent
PACKAGES, EVIDENCE_FILES, EVIDENCE_SIZE = 3, 10, 2 * 1024**2
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARAPP_LANG": "en"}
    return subprocess.Popen([sys.executable, "-m", "ui.launcher", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def sealed(demo_db: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, Path, set[str]]:
    """(pristine appraiser folder, folder of encrypted packages, SHA-256s of their
    plaintexts)."""
    root = copy_demo(demo_db, tmp_path_factory.mktemp("leftovers") / "demo")
    valid = draft_2026_submission(root)
    own = sync_keys.own_keys(root / "commune" / "parapp.sqlite3")
    opened = read_package(valid, {own.fingerprint: own.signing.public_bytes}, None)
    data = opened.data
    rng = random.Random(5)
    evidence = {sha: root / "commune" / "evidence" / sha[:2] / sha for sha in opened.evidence}
    for i in range(EVIDENCE_FILES):
        content = rng.randbytes(EVIDENCE_SIZE)
        sha = hashlib.sha256(content).hexdigest()
        source = root / "big" / f"bang-chung-{i}.bin"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(content)
        evidence[sha] = source
        data["evidence"].append({"sha256": sha, "filename": source.name, "title": f"BC {i}",
                                 "doc_number": "", "doc_date": None, "size": len(content),
                                 "nodes": ["1.1"]})
    recipient = sync_keys.own_keys(root / "appraiser" / "parapp.sqlite3").enc_public
    stick, plain_hashes = root / "stick", set()
    stick.mkdir()
    for n in range(1, PACKAGES + 1):
        plain = write_package(root / "plain" / f"{n}.cchc", "submission", own.signing, "06172",
                              {"unit_code": "20"}, data, evidence,
                              criteria_set=opened.manifest["criteria_set"], period=2026,
                              sequence=n)
        plain_hashes.add(plain.sha256)
        with zipfile.ZipFile(plain.path) as archive:
            manifest = archive.read("manifest.json")
        crypto.encrypt_file(plain.path, stick / f"{n}-nop-06172-2026.cchc", recipient, manifest)
    shutil.rmtree(root / "plain")
    return root / "appraiser", stick, plain_hashes


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _temporary(folder: Path) -> list[str]:
    """Files a finished import must not leave: anything under tmp/ (the folder itself may
    stay, empty), partial backups, half-copied store or mirror files."""
    left = [str(p.relative_to(folder)) for p in (folder / "tmp").rglob("*")] \
        if (folder / "tmp").exists() else []
    for pattern in ("backups/*.partial*", "evidence/**/.incoming-*", "backups/files/**/.incoming-*",
                    "**/*.decrypted", "**/*.tmp"):
        left += [str(p.relative_to(folder)) for p in folder.glob(pattern)]
    return left


def _plaintexts(folder: Path, hashes: set[str]) -> list[str]:
    """Files anywhere in the data folder whose bytes are a decrypted package."""
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and p.stat().st_size > 1_000_000 and _sha(p) in hashes]


def test_a_finished_import_leaves_nothing(sealed: tuple[Path, Path, set[str]],
                                          tmp_path: Path) -> None:
    pristine, stick, hashes = sealed
    folder = tmp_path / "appraiser"
    shutil.copytree(pristine, folder)
    child = _cli("--db", str(folder / "parapp.sqlite3"), "sync", "import", str(stick))
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    assert out.count("imported") == PACKAGES, out
    assert _temporary(folder) == [] and _plaintexts(folder, hashes) == []


def test_kill_during_an_encrypted_folder_import_leaves_no_plaintext_after_the_next_start(
        sealed: tuple[Path, Path, set[str]], tmp_path: Path) -> None:
    pristine, stick, hashes = sealed
    rng = random.Random(19)
    for trial in range(3):
        folder = tmp_path / f"trial-{trial}"
        shutil.copytree(pristine, folder)
        db = str(folder / "parapp.sqlite3")
        child = _cli("--db", db, "sync", "import", str(stick))
        # Wait for a decrypted package on disk (the worst moment), then a little more.
        deadline = time.monotonic() + 120
        while not list((folder / "tmp").glob("run-*/*.decrypted")):
            assert child.poll() is None, "the import ended before anything was decrypted"
            assert time.monotonic() < deadline
            time.sleep(0.002)
        # A whole import takes about a second here: a few milliseconds later still lands
        # inside it (0,3 s landed after its end on a fast machine).
        time.sleep(rng.uniform(0, 0.02) * trial)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        assert _temporary(folder), "the kill left nothing: the test proves nothing"

        # The next start: the import again (dry run: it changes nothing but clears first).
        again = _cli("--db", db, "sync", "import", str(stick), "--dry-run")
        _out, err = again.communicate(timeout=300)
        assert again.returncode == 0, err
        assert _temporary(folder) == [], f"trial {trial}"
        assert _plaintexts(folder, hashes) == [], f"trial {trial}"


def test_a_live_import_folder_is_kept_and_a_dead_one_removed(tmp_path: Path) -> None:
    """The lock decides, not the age: a run folder of a living process stays (another
    import beside this one), the same folder is removed as soon as its process is dead."""
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from parapp.services.leftovers import Scratch; s = Scratch(Path(sys.argv[1])); "
         "(s.folder / 'plain.decrypted').write_bytes(b'secret'); "
         "print(s.folder, flush=True); time.sleep(60)", str(tmp_path)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        text=True)
    assert child.stdout is not None
    run = Path(child.stdout.readline().strip())
    (tmp_path / "tmp" / "old.pid.decrypted").write_bytes(b"an older version's leftover")
    leftovers.clear(tmp_path)
    assert (run / "plain.decrypted").is_file()
    assert not (tmp_path / "tmp" / "old.pid.decrypted").exists()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    leftovers.clear(tmp_path)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_stale_backup_and_store_temporaries_are_removed(tmp_path: Path) -> None:
    """Writers without a lock (a backup, the evidence store): their temporary files go once
    they are ten minutes old; newer ones may belong to a writer still running."""
    names = ["backups/parapp-20261207-101500-auto.partial",
             "backups/parapp-20261207-101500-auto.partial-journal",
             "backups/files/evidence/ab/.incoming-x1y2", "evidence/ab/.incoming-a1b2",
             "evidence/.incoming-c3d4", "parapp.sqlite3.restore-tmp",
             "keys/.signing-key.pem.k2j3.tmp", ".language.txt.a1b2.tmp"]
    for fresh in (False, True):
        for name in names:
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"half")
            if not fresh:
                old = time.time() - leftovers.STALE_AFTER - 60
                os.utime(path, (old, old))
        leftovers.clear(tmp_path)
        assert [n for n in names if (tmp_path / n).exists()] == (names if fresh else [])
