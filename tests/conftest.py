"""Shared test set-up.

Qt needs a platform before anything imports it: without a display it aborts the whole
process, so every test run is offscreen unless told otherwise.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# --- GUI tests (tests/test_ui_*.py) -----------------------------------------------------
# Importing ``ui`` guards the process against PySide6 6.12 losing references to None and
# True on Python 3.11 (see ui/__init__.py); it imports no Qt.
import ui  # noqa: F401

if TYPE_CHECKING:
    from gui_support import OpenWindow, Ready


@pytest.fixture
def window_ready() -> Ready:
    """When ``open_window`` returns, unless told otherwise: once the figures are shown. A
    test module overrides this fixture to wait for more (the plan, the list of periods)."""
    from gui_support import figures_shown

    return figures_shown


@pytest.fixture
def open_window(qtbot: object, window_ready: Ready) -> Iterator[OpenWindow]:
    """``open_window(path, ready=None)``: the main window on ``path`` (1366×768), once
    ``ready(window)`` holds (by default, ``window_ready``); closed after the test. (Qt is
    imported only by the tests that ask for it.)"""
    from gui_support import opened_windows

    yield from opened_windows(qtbot, window_ready)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo office (``parapp demo``), built once per session; copy it before writing."""
    from parapp.services.demo import build_demo

    folder = tmp_path_factory.mktemp("ui-demo")
    paths = dict(build_demo(folder / "demo"))
    return Path(paths["commune-db"])


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a WAL database, made with SQLite's online backup."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


@pytest.fixture
def published_db(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo: its latest assessment (2025) is published, so locked."""
    return copy_database(demo_db, tmp_path / "published" / "parapp.sqlite3")


@pytest.fixture
def draft_db(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo with a 2026 self-assessment in progress: areas 1-3 carry last
    year's answers, areas 4 and up are not scored yet."""
    from db.engine import open_database
    from parapp.services.demo import start_next_year

    path = copy_database(demo_db, tmp_path / "draft" / "parapp.sqlite3")
    db = open_database(path)
    try:
        start_next_year(db)
    finally:
        db.close()
    return path


@pytest.fixture(autouse=True)
def _language_kept() -> Iterator[None]:
    """A test that runs the command line in-process with --lang en switches the program's
    language; the next test must not inherit it (its sentences would come out English)."""
    from parapp import i18n

    before = i18n.get_language()
    yield
    if i18n.get_language() != before:
        i18n.set_language(before)


@pytest.fixture
def vietnamese() -> Iterator[None]:
    """Run the test in Vietnamese whatever another test left behind."""
    from parapp import i18n

    before = i18n.get_language()
    i18n.set_language("vi")
    yield
    i18n.set_language(before)


# --- A real PostgreSQL server (tests/test_hub.py) ----------------------------------------
@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """One throwaway cluster for the session (tests/pg_support.py); the hub tests are
    skipped, with the reason, when it cannot be started."""
    import pg_support

    clusters = pg_support.start_cluster()
    try:
        cluster = next(clusters)
    except LookupError as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    except Exception as exc:  # a cluster that would not start: say why, don't hide it
        pytest.skip(f"PostgreSQL tests skipped: the server did not start ({exc})")
    yield cluster
    clusters.close()


@pytest.fixture
def pg_url(pg_cluster: object, request: pytest.FixtureRequest) -> str:
    """The URL of a new empty database on the test cluster."""
    import re

    import pg_support

    assert isinstance(pg_cluster, pg_support.Cluster)
    # Numbered: two tests whose names begin alike still get a database each.
    name = f"t{next(_PG_NUMBERS)}_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    return pg_cluster.createdb(name)


_PG_NUMBERS = itertools.count(1)
