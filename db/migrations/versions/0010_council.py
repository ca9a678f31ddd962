"""the appraisal council: members, their areas, and the server's own enforcement

``council_members``: a server login, the name shown for it, and whether it is the
secretariat's. ``area_assignments``: which member appraises which area (a root criterion)
of a criteria set (by code) in a year; one member per area. ``audit_log.login``: the server
login that made a change (blank in a database file).

On PostgreSQL only (a file has one user and none of this applies): the login column
defaults to ``CURRENT_USER`` (members may not write it themselves, see db/council.py), and
row-level security on ``node_scores`` and ``assessments`` lets a member's login write only
the scores of criteria in its areas (docs/hub.md). The tables' owner (the login that made
the database) is not subject to the policies; nor is anyone while no member is defined,
since only the owner holds privileges then.

Revision ID: 0010_council
Revises: 0009_published_rankings
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_council"
down_revision = "0009_published_rankings"
branch_labels = None
depends_on = None

# The statuses in which appraised scores are written (AssessmentStatus' values).
_OPEN = "('submitted', 'appraised')"


def _server_functions(schema: str) -> list[str]:
    # search_path fixed, pg_temp last: a member's temporary table named council_members
    # must not stand in for the real one.
    path = f"SET search_path = {schema}, pg_temp"
    return [
        f"""CREATE FUNCTION parapp_is_secretariat() RETURNS boolean LANGUAGE sql STABLE {path}
        AS $$ SELECT EXISTS (SELECT 1 FROM council_members
                             WHERE login = current_user AND secretariat) $$""",
        f"""CREATE FUNCTION parapp_area_of(p_set_id integer, p_code text) RETURNS text
        LANGUAGE sql STABLE {path} AS $$
          WITH RECURSIVE up(code, parent_code) AS (
            SELECT code, parent_code FROM criterion_nodes
            WHERE set_id = p_set_id AND code = p_code
            UNION ALL
            SELECT n.code, n.parent_code FROM criterion_nodes n
            JOIN up ON n.set_id = p_set_id AND n.code = up.parent_code)
          SELECT code FROM up WHERE parent_code IS NULL LIMIT 1 $$""",
        f"""CREATE FUNCTION parapp_may_appraise(p_assessment_id integer, p_code text)
        RETURNS boolean LANGUAGE sql STABLE {path} AS $$
          SELECT EXISTS (
            SELECT 1 FROM assessments a
            JOIN criteria_sets cs ON cs.id = a.set_id
            JOIN area_assignments aa ON aa.set_code = cs.code AND aa.year = a.year
            JOIN council_members m ON m.id = aa.member_id
            WHERE a.id = p_assessment_id AND m.login = current_user
              AND aa.area_code = parapp_area_of(a.set_id, p_code)) $$""",
        f"""CREATE FUNCTION parapp_is_member() RETURNS boolean LANGUAGE sql STABLE {path}
        AS $$ SELECT EXISTS (SELECT 1 FROM council_members WHERE login = current_user) $$""",
    ]


_POLICIES = [
    "ALTER TABLE audit_log ALTER COLUMN login SET DEFAULT CURRENT_USER",
    "ALTER TABLE node_scores ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY parapp_read ON node_scores FOR SELECT USING (true)",
    "CREATE POLICY parapp_secretariat ON node_scores USING (parapp_is_secretariat()) "
    "WITH CHECK (parapp_is_secretariat())",
    "CREATE POLICY parapp_member_insert ON node_scores FOR INSERT "
    "WITH CHECK (parapp_may_appraise(assessment_id, node_code))",
    "CREATE POLICY parapp_member_update ON node_scores FOR UPDATE "
    "USING (parapp_may_appraise(assessment_id, node_code)) "
    "WITH CHECK (parapp_may_appraise(assessment_id, node_code))",
    "ALTER TABLE assessments ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY parapp_read ON assessments FOR SELECT USING (true)",
    "CREATE POLICY parapp_secretariat ON assessments USING (parapp_is_secretariat()) "
    "WITH CHECK (parapp_is_secretariat())",
    # A member's save touches its assessment (updated_at; appraised once nothing is left),
    # and can neither return, publish nor reopen one.
    f"CREATE POLICY parapp_member_update ON assessments FOR UPDATE "
    f"USING (parapp_is_member() AND status IN {_OPEN}) "
    f"WITH CHECK (parapp_is_member() AND status IN {_OPEN})",
]


def upgrade() -> None:
    op.create_table(
        "council_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("login", sa.String(63), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("secretariat", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("login"),
    )
    op.create_table(
        "area_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "member_id",
            sa.Integer(),
            sa.ForeignKey("council_members.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("set_code", sa.String(64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(32), nullable=False),
        sa.UniqueConstraint("set_code", "year", "area_code"),
    )
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("login", sa.String(63), nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar()
        for statement in _server_functions(str(schema)) + _POLICIES:
            bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in ("node_scores", "assessments"):
            for policy in ("parapp_read", "parapp_secretariat", "parapp_member_update"):
                bind.exec_driver_sql(f"DROP POLICY IF EXISTS {policy} ON {table}")
            bind.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        bind.exec_driver_sql("DROP POLICY IF EXISTS parapp_member_insert ON node_scores")
        for function in ("parapp_may_appraise(integer, text)", "parapp_area_of(integer, text)",
                         "parapp_is_secretariat()", "parapp_is_member()"):
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {function}")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("login")
    op.drop_table("area_assignments")
    op.drop_table("council_members")
