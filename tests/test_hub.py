"""The appraiser's office on a PostgreSQL server (issue 18, docs/hub.md): the same migrations,
the same command line, the same published result as on a SQLite file.

Runs against a throwaway cluster (tests/pg_support.py); skipped, with the reason, when no
PostgreSQL binaries are found.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from db.location import mask_url, resolve_db_path, server_path
from parapp.services.office import open_office
from tests.test_cli import run


def _schema(db: object) -> tuple[str, list[object]]:
    """The Alembic revision and the differences between the models and the live schema."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.models import Base

    with db.engine.connect() as conn:  # type: ignore[attr-defined]
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    return revision, diff


def test_the_migrations_make_the_same_schema_on_the_server(pg_url: str, tmp_path: Path) -> None:
    office = open_office(server_path(pg_url, tmp_path), create=True)
    try:
        revision, diff = _schema(office)
    finally:
        office.close()
    file_office = open_office(tmp_path / "file" / "parapp.sqlite3", create=True)
    try:
        file_revision, _ = _schema(file_office)
    finally:
        file_office.close()
    assert revision == file_revision
    # Only differences a server reports and SQLite cannot (none expected beyond these).
    assert [d for d in diff if not (isinstance(d, tuple) and d[0] in ("add_fk", "remove_fk"))] \
        == [], diff


def test_a_missing_server_database_is_one_sentence_without_the_password(
    pg_cluster: object, tmp_path: Path
) -> None:
    url = f"postgresql://parapp:secret@/no_such_db?host={pg_cluster.socket_dir}" \
        f"&port={pg_cluster.port}"  # type: ignore[attr-defined]
    code, _out, err = run(url, "appraise", "units", data_dir=tmp_path)  # type: ignore[arg-type]
    assert code == 1
    assert "secret" not in err and "***" in err and "no_such_db" in err, err
    assert mask_url(url).startswith("postgresql://parapp:***@/no_such_db")


def _appraiser_flow(db: str | Path, demo: Path, data_dir: Path) -> str:
    """docs/cli.md's appraiser steps, by the command line, on ``db``: set up, import the
    demo commune's submission, accept it, publish; returns the ranking as printed."""
    keys = (resolve_db_path(db) if isinstance(db, Path) else server_path(db, data_dir)).parent
    # The demo's Sở Nội vụ keys: the commune's package is sealed for them.
    shutil.copytree(demo / "appraiser" / "keys", keys / "keys")

    def ok(*args: str) -> str:
        code, out, err = run(db, *args, data_dir=data_dir, timeout=120)  # type: ignore[arg-type]
        assert code == 0, (args, err)
        return out

    created = ok("init", "--role", "appraiser", "--unit-code", "20", "--sample")
    # The server by its URL, not the local stand-in path.
    assert str(db).split("?")[0] in created.splitlines()[0], created
    ok("appraise", "add-units", "--province", "20")
    from parapp.services.sync_keys import read_card

    card = demo / "usb" / "the-dinh-danh-06172.cchc"  # the commune's unit card
    ok("keys", "trust", str(card), "--fingerprint", read_card(card).fingerprint)
    ok("sync", "import", str(demo / "usb" / "nop-06172-2025.cchc"))
    ok("appraise", "accept", "06172", "--year", "2025")
    ok("appraise", "publish", "--year", "2025", "--decision-number", "70/QĐ-UBND",
       "--decision-date", "15/03/2026", "--confirm-incomplete")
    return ok("appraise", "units", "--year", "2025")


def test_the_demo_appraiser_works_the_same_on_the_server(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    demo = demo_db.parent.parent
    on_file = _appraiser_flow(tmp_path / "file" / "parapp.sqlite3", demo, tmp_path / "d1")
    on_server = _appraiser_flow(pg_url, demo, tmp_path / "d2")
    assert on_server == on_file
    assert "06172" in on_server
    # The file's backups do not apply to a server (its own pg_dump does): refused, and no
    # SQLite file is written beside the server's stand-in path.
    stand_in = server_path(pg_url, tmp_path / "d2")
    for args in (("backup", "make"),
                 ("backup", "restore", str(tmp_path / "file" / "backups"), "--yes")):
        code, _out, err = run(pg_url, *args, data_dir=tmp_path / "d2")  # type: ignore[arg-type]
        assert code == 1 and "pg_dump" in err, (args, err)
    assert not stand_in.exists()
    # Exact points survive the server: the same Decimals, row for row, as the file's
    # (a tier of 0,375 included when the demo has one).
    from sqlalchemy import select

    from db.models import NodeScoreRow, PublishedResultRow

    def points(office: object) -> list[tuple[object, ...]]:
        with office.session() as s:  # type: ignore[attr-defined]
            scores = [(r.node_code, r.self_score, r.appraised_score)
                      for r in s.scalars(select(NodeScoreRow))]
            results = [(r.index_value, r.points, r.max_points)
                       for r in s.scalars(select(PublishedResultRow))]
        return sorted(scores, key=repr) + sorted(results, key=repr)

    server = open_office(server_path(pg_url, tmp_path / "d2"))
    file_office = open_office(tmp_path / "file" / "parapp.sqlite3")
    try:
        on_pg, on_sqlite = points(server), points(file_office)
    finally:
        server.close()
        file_office.close()
    assert on_pg == on_sqlite and len(on_pg) > 50
    assert all(isinstance(v, Decimal) for row in on_pg for v in row[1:] if v is not None)


def test_hub_move_round_trips_the_demo_appraiser(
    demo_db: Path, pg_url: str, tmp_path: Path
) -> None:
    """SQLite → PostgreSQL → SQLite by ``parapp hub move``: the same rows in every table,
    the evidence and keys in the local folders, none of the keys in the server."""
    from tests.sync_support import copy_demo, dump

    root = copy_demo(demo_db, tmp_path / "demo")
    source = root / "appraiser" / "parapp.sqlite3"
    data = tmp_path / "data"
    before = dump(source)
    code, out, err = run(source, "hub", "move", "--to", pg_url, data_dir=data, timeout=120)
    assert code == 0, err
    assert "node_scores\t67" in out.splitlines()
    assert "khớp" in out.splitlines()[-1], out
    local = server_path(pg_url, data).parent
    assert sorted(p.name for p in (local / "keys").iterdir()) == sorted(
        p.name for p in (root / "appraiser" / "keys").iterdir())
    assert (local / "evidence").is_dir()

    # Moving again into the now full database is refused; nothing changes there.
    code, _out, err = run(source, "hub", "move", "--to", pg_url, data_dir=data)
    assert code == 1 and "đã có dữ liệu" in err, err

    back = tmp_path / "back" / "parapp.sqlite3"
    code, out, err = run(pg_url, "hub", "move", "--to", str(back), data_dir=data,  # type: ignore[arg-type]
                         timeout=120)
    assert code == 0, err
    after = dump(back)
    assert after == before
    # The server goes on numbering after the copied rows (its sequences were moved on).
    code, out, err = run(pg_url, "appraise", "add-unit", "--code", "99999",  # type: ignore[arg-type]
                         "--name", "Xã Thử", "--kind", "commune", data_dir=data)
    assert code == 0, err


def test_the_password_comes_from_libpq_and_is_never_written(
    pg_cluster: object, tmp_path: Path
) -> None:
    """libpq's own conventions: the URL names no password, the password file (PGPASSFILE,
    as ~/.pgpass) gives it. Without it: one sentence. With it in the URL: never shown, never
    in the data folder."""
    import os
    import time

    url = pg_cluster.add_password_login(  # type: ignore[attr-defined]
        "thamdinh", "mat-khau-9", "t_password")
    time.sleep(0.5)  # the reload reaches the server
    data = tmp_path / "data"
    code, _out, err = run(url, "init", "--role", "appraiser", "--unit-code", "20",  # type: ignore[arg-type]
                          data_dir=data)
    assert code == 1 and "password" in err.lower() and "Traceback" not in err, err

    passfile = tmp_path / "pgpass"
    passfile.write_text("*:*:*:thamdinh:mat-khau-9\n")
    passfile.chmod(0o600)
    os.environ["PGPASSFILE"] = str(passfile)
    try:
        code, out, err = run(url, "init", "--role", "appraiser", "--unit-code", "20",  # type: ignore[arg-type]
                             data_dir=data)
    finally:
        del os.environ["PGPASSFILE"]
    assert code == 0, err

    with_password = url.replace("thamdinh@", "thamdinh:mat-khau-9@")
    code, out, err = run(with_password, "appraise", "add-units", "--province", "20",  # type: ignore[arg-type]
                         data_dir=data)
    assert code == 0, err
    code, out, err = run(with_password, "hub", "move", "--to", str(tmp_path / "x.sqlite3"),  # type: ignore[arg-type]
                         data_dir=data)
    assert code == 0 and "mat-khau-9" not in out + err, err
    assert "thamdinh:***@" not in out  # a file target: its path, no URL at all
    written = [p for p in data.rglob("*") if p.is_file()]
    assert not [p for p in written if b"mat-khau-9" in p.read_bytes()]
    # Nor in the database.
    from db.models import Base

    office = open_office(with_password)
    try:
        with office.engine.connect() as conn:
            held = [repr(row) for table in Base.metadata.sorted_tables
                    for row in conn.execute(table.select())]
    finally:
        office.close()
    assert held and not [r for r in held if "mat-khau-9" in r]


def test_two_changes_to_the_same_row_on_the_server_never_overwrite_unseen(
    pg_url: str, tmp_path: Path
) -> None:
    """As a file's BEGIN IMMEDIATE: of two units of work changing the same row at once,
    the later fails (on the server's default, READ COMMITTED, it silently won)."""
    import pytest
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError

    from db.models import Setting

    office = open_office(server_path(pg_url, tmp_path), create=True)
    try:
        with office.session() as s:
            s.add(Setting(key="probe", value="0"))
        probe = select(Setting).where(Setting.key == "probe")
        with pytest.raises(OperationalError, match="serialize"), office.session() as first:
            row = first.scalars(probe).one()
            with office.session() as second:
                second.scalars(probe).one().value = "2"
            row.value = "1"  # computed from the "0" it read: would hide the "2"
        with office.session() as s:
            assert s.get(Setting, "probe").value == "2"  # type: ignore[union-attr]
    finally:
        office.close()


def test_a_server_url_is_shown_masked_and_has_a_local_folder_of_its_own(
    tmp_path: Path,
) -> None:
    """No server needed: how a URL is shown, and where its evidence and keys go."""
    from db.location import describe, is_server_url, server_url

    assert mask_url("postgresql://snv:b%40d@hub.example:5433/parapp") == \
        "postgresql://snv:***@hub.example:5433/parapp"
    assert mask_url("postgresql://snv@hub.example/parapp") == "postgresql://snv@hub.example/parapp"
    assert is_server_url("postgres://h/d") and not is_server_url("C:/data/parapp.sqlite3")
    one = server_path("postgresql://snv:pw@hub.example:5433/parapp", tmp_path)
    two = server_path("postgresql:///parapp?host=/var/run/postgresql", tmp_path)
    assert one.parent == tmp_path.resolve() / "servers" / "hub.example-5433-parapp"
    assert two.parent.name == "var_run_postgresql-parapp"
    assert "pw" not in str(one) and describe(one) == "postgresql://snv:***@hub.example:5433/parapp"
    assert server_url(one) == "postgresql://snv:pw@hub.example:5433/parapp"
    assert server_url(tmp_path / "parapp.sqlite3") is None
    assert describe(tmp_path / "parapp.sqlite3") == str(tmp_path / "parapp.sqlite3")
