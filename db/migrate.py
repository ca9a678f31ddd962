"""Alembic, imported only when a migration is due (it costs start-up time)."""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(db_path: Path) -> object:
    from alembic.config import Config  # half a second to import: only when a migration is due

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["db_path"] = db_path  # not a URL: see db.engine.make_engine
    return config


def upgrade(db_path: Path, revision: str = "head") -> None:
    from alembic import command  # as in alembic_config

    command.upgrade(alembic_config(db_path), revision)  # type: ignore[arg-type]
