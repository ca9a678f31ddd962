"""Evidence on the hub (issue 18, point 2; docs/hub.md): the files an import brings are kept
in the server's database, so a council member on another PC opens them, checked by their
SHA-256; a damaged copy on the server is refused; ``hub move`` carries them both ways.

Runs against the throwaway cluster of tests/pg_support.py (skipped, with the reason, when
no PostgreSQL binaries are found).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from db.evidence_store import store_path
from db.location import server_path
from db.models import EvidenceContentRow, EvidenceRow
from parapp.i18n import message
from parapp.services.common import ServiceError
from parapp.services.evidence_open import copies_folder, open_copy
from parapp.services.office import open_office
from tests.hub_support import as_login, ok, secretariat_office
from tests.test_cli import run

MEMBER = "tv_khcn_ev"  # a council member's login (cluster-wide: adopted if it exists)


def _secretariat_imports(pg_url: str, demo: Path, data: Path) -> None:
    """The secretariat's office with the commune's submission and its evidence; a member."""
    secretariat_office(pg_url, demo, data)
    ok(pg_url, data, "hub", "member", "add", MEMBER, "--name", "Sở Khoa học và Công nghệ")


def _evidence(office: object) -> list[tuple[str, str]]:
    with office.session() as s:  # type: ignore[attr-defined]
        return sorted({(r.sha256, r.filename) for r in s.scalars(select(EvidenceRow))})


def test_a_member_on_another_pc_opens_the_evidence_the_secretariat_imported(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    demo = demo_db.parent.parent
    first_pc = tmp_path / "pc-secretariat"
    _secretariat_imports(pg_url, demo, first_pc)
    imported = server_path(pg_url, first_pc).parent / "evidence"  # the secretariat's store

    # A member's PC: its own login, its own local folder, an empty evidence store.
    member = open_office(server_path(as_login(pg_url, MEMBER), tmp_path / "pc-member"))
    try:
        files = _evidence(member)
        assert len(files) >= 2
        assert not member.paths.evidence.exists()
        for sha, name in files:
            copy = open_copy(member, sha, name)  # the window's way (named_copy)
            assert copy.parent.parent == copies_folder(member)
            assert copy.read_bytes() == store_path(imported, sha).read_bytes()
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == sha
            assert store_path(member.paths.evidence, sha).is_file()  # kept for next time
        # The member reads the contents but cannot write them (only the import does): the
        # server refuses it, and the unit of work says so in one sentence.
        from db.engine import NotAllowedError

        with pytest.raises(NotAllowedError) as refused, member.session() as s:
            s.execute(text("UPDATE evidence_contents SET content = 'x'::bytea"))
        assert "permission denied" in str(refused.value.__cause__)
    finally:
        member.close()


def test_a_damaged_copy_on_the_server_is_refused_not_opened(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    demo = demo_db.parent.parent
    _secretariat_imports(pg_url, demo, tmp_path / "pc-secretariat")
    owner = open_office(server_path(pg_url, tmp_path / "pc-secretariat"))
    try:
        sha, name = _evidence(owner)[0]
        with owner.session() as s:  # a disk fault, a hand-made UPDATE
            s.execute(text("UPDATE evidence_contents SET content = content || 'x'::bytea "
                           "WHERE sha256 = :sha"), {"sha": sha})
    finally:
        owner.close()
    other = open_office(server_path(pg_url, tmp_path / "pc-other"))
    try:
        with pytest.raises(ServiceError) as refused:
            open_copy(other, sha, name)
        said = message(refused.value)
        assert "bị hỏng" in said and sha[:12] in said, said
        assert not store_path(other.paths.evidence, sha).exists()
        assert not copies_folder(other).exists() or not any(copies_folder(other).rglob("*.*"))
    finally:
        other.close()


def test_hub_move_carries_the_evidence_both_ways_checked(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    from tests.sync_support import copy_demo

    root = copy_demo(demo_db, tmp_path / "demo")
    source = root / "appraiser" / "parapp.sqlite3"
    held = {p.name: p.read_bytes() for p in (root / "appraiser" / "evidence").rglob("*")
            if p.is_file()}
    assert held, "the demo appraiser holds evidence"
    data = tmp_path / "data"
    ok(source, data, "hub", "move", "--to", pg_url)
    server = open_office(server_path(pg_url, data))
    try:
        with server.session() as s:
            rows = {r.sha256: bytes(r.content) for r in s.scalars(select(EvidenceContentRow))}
    finally:
        server.close()
    assert rows == held

    # Back to a file, from the server's database alone (this PC's copies removed first).
    shutil.rmtree(server_path(pg_url, data).parent / "evidence")
    back = tmp_path / "back" / "parapp.sqlite3"
    ok(pg_url, data, "hub", "move", "--to", str(back))
    store = back.parent / "evidence"
    assert {p.name: p.read_bytes() for p in store.rglob("*") if p.is_file()} == held
    office = open_office(back)
    try:
        with office.session() as s:  # a file keeps them in its store only
            assert s.scalars(select(EvidenceContentRow)).first() is None
    finally:
        office.close()


def test_hub_move_refuses_a_damaged_evidence_file(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    from tests.sync_support import copy_demo

    root = copy_demo(demo_db, tmp_path / "demo")
    damaged = next(p for p in (root / "appraiser" / "evidence").rglob("*") if p.is_file())
    damaged.write_bytes(damaged.read_bytes() + b"x")
    code, _out, err = run(root / "appraiser" / "parapp.sqlite3", "hub", "move", "--to",  # type: ignore[arg-type]
                          pg_url, data_dir=tmp_path / "data", timeout=120)
    assert code == 1 and damaged.name[:12] in err and "Traceback" not in err, err
    server = open_office(server_path(pg_url, tmp_path / "data"))
    try:
        with server.session() as s:  # the move's one transaction: nothing kept
            assert s.scalars(select(EvidenceRow)).first() is None
    finally:
        server.close()
