"""Alembic environment: runs against the database named in the config (a SQLite file with
our pragmas, or a server: db.engine.make_engine)."""

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
            if connection.dialect.name != "sqlite":
                # Alembic's own table has VARCHAR(32); our revision ids are longer, which
                # only SQLite lets pass. Alembic uses the table it finds.
                connection.exec_driver_sql(
                    "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(64) "
                    "NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                )
            context.run_migrations()
finally:
    engine.dispose()
