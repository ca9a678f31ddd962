"""Alembic environment: runs against the database named in the config, with our pragmas."""

from __future__ import annotations

from pathlib import Path

from alembic import context

from db.engine import make_engine
from db.models import Base

config = context.config
engine = make_engine(Path(config.attributes["db_path"]))
try:
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            # SQLite's DDL is transactional: one transaction for the whole upgrade, so a
            # power cut mid-migration leaves the old schema, never a half-altered one.
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()
finally:
    engine.dispose()
