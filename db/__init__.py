"""Storage: SQLAlchemy 2 models, the engine with its pragmas, and Alembic migrations."""
