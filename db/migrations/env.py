"""Alembic environment: runs against the database named in the config, with our pragmas."""

from __future__ import annotations

from pathlib import Path

from alembic import context

from db.engine import make_engine
from db.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url") or ""
engine = make_engine(Path(url.removeprefix("sqlite:///")))
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
        )
        with context.begin_transaction():
            context.run_migrations()
finally:
    engine.dispose()
