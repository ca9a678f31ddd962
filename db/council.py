"""The appraisal council on a server: who is connected, and the server's own rights for
each member's login (docs/hub.md, "Council members and their areas").

Only this module and migration 0010 speak PostgreSQL's roles and grants. A database file
has one user: there ``current_login`` is None and nothing here is used.

What a member's login gets: reading every table; writing appraised scores and comments
(``node_scores``, where row-level security admits only the criteria of its areas); the
status and time of an assessment being appraised (``assessments``, the same policies keep
it from returning or publishing); adding audit rows, whose ``login`` column the server
fills. A secretariat's login gets every privilege on every table, with the right to grant
them on (so it can add members itself).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

_WHO_KEY = "parapp_connected"  # Session.info key: asked once per unit of work

# What a member's save writes (parapp.services.assessments.apply_appraisals and its
# audit rows); everything else it may only read.
_SCORE_COLUMNS = ("appraised_score", "appraisal_comment", "survey_score",
                  "needs_reappraisal", "updated_at")
_ASSESSMENT_COLUMNS = ("status", "updated_at")
_AUDIT_COLUMNS = ("at", "actor", "entity", "entity_key", "assessment_uuid", "field",
                  "old_value", "new_value", "source")


@dataclass(frozen=True)
class Connected:
    """Who this unit of work runs as on the server, asked in one query."""

    login: str
    member_name: str | None  # None: the login is no member of the council
    member_secretariat: bool
    owns_database: bool  # owns parapp's tables, or a superuser: the policies spare it
    any_member: bool  # the council has members at all


_WHO = (
    "SELECT current_user, m.display_name, coalesce(m.secretariat, false), "
    "r.rolsuper OR pg_has_role(current_user, c.relowner, 'MEMBER'), "
    "EXISTS (SELECT 1 FROM council_members) "
    "FROM pg_roles r JOIN pg_class c ON c.oid = to_regclass('node_scores') "
    "LEFT JOIN council_members m ON m.login = current_user "
    "WHERE r.rolname = current_user"
)


def connected(s: Session) -> Connected | None:
    """Who is connected (cached for the unit of work); None in a database file."""
    if s.get_bind().dialect.name != "postgresql":
        return None
    found = s.info.get(_WHO_KEY)
    if not isinstance(found, Connected):
        row = s.connection().exec_driver_sql(_WHO).one()
        found = Connected(str(row[0]), None if row[1] is None else str(row[1]),
                          bool(row[2]), bool(row[3]), bool(row[4]))
        s.info[_WHO_KEY] = found
    return found


def current_login(s: Session) -> str | None:
    """The server login of this unit of work (``SELECT current_user``); None in a file."""
    who = connected(s)
    return None if who is None else who.login


def member_name(s: Session) -> str | None:
    """The connected member's name (the audit trail's "who"); None in a file or for a login
    outside the council."""
    who = connected(s)
    return None if who is None else who.member_name


def owns_database(s: Session) -> bool:
    """Whether the login owns parapp's tables (the login that made the database) or is a
    superuser: the policies do not apply to it, so it is the secretariat in any case."""
    who = connected(s)
    return who is not None and who.owns_database


def login_exists(s: Session, login: str) -> bool:
    return bool(s.connection().exec_driver_sql(
        "SELECT 1 FROM pg_roles WHERE rolname = %(login)s", {"login": login}
    ).scalar())


def may_create_logins(s: Session) -> bool:
    return bool(s.connection().exec_driver_sql(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
    ).scalar())


def _quote(s: Session, name: str) -> str:
    return s.get_bind().dialect.identifier_preparer.quote_identifier(name)


def _schema(s: Session) -> str:
    return str(s.connection().exec_driver_sql("SELECT quote_ident(current_schema())").scalar())


def create_login(s: Session, login: str) -> None:
    """A new login role without a password (the IT staff set one, or pg_hba admits it by
    certificate or peer): the caller has checked ``may_create_logins``."""
    s.connection().exec_driver_sql(f"CREATE ROLE {_quote(s, login)} LOGIN")


def owner(s: Session) -> str:
    """The login that owns parapp's tables (made the database)."""
    return str(s.connection().exec_driver_sql(
        "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass('node_scores')"
    ).scalar())


def _defaults(s: Session, schema: str) -> str | None:
    """``ALTER DEFAULT PRIVILEGES`` for the tables the owner will create (a later
    migration's), with the action to append; None when this login cannot set them (only
    the owner, or a superuser, can)."""
    if not owns_database(s):
        return None
    return f"ALTER DEFAULT PRIVILEGES FOR ROLE {_quote(s, owner(s))} IN SCHEMA {schema}"


def grant(s: Session, login: str, *, secretariat: bool) -> None:
    """The privileges of a member's (or the secretariat's) login on this database, and on
    the tables a later migration adds (as far as this login can say so)."""
    role, schema = _quote(s, login), _schema(s)
    conn = s.connection()
    statements = [f"GRANT USAGE ON SCHEMA {schema} TO {role}"]
    defaults = _defaults(s, schema)
    if defaults:
        statements += [f"{defaults} REVOKE ALL ON TABLES FROM {role}",
                       f"{defaults} REVOKE ALL ON SEQUENCES FROM {role}"]
    if secretariat:
        statements += [
            f"GRANT ALL ON ALL TABLES IN SCHEMA {schema} TO {role} WITH GRANT OPTION",
            f"GRANT ALL ON ALL SEQUENCES IN SCHEMA {schema} TO {role} WITH GRANT OPTION",
        ]
        if defaults:
            statements += [f"{defaults} GRANT ALL ON TABLES TO {role} WITH GRANT OPTION",
                           f"{defaults} GRANT ALL ON SEQUENCES TO {role} WITH GRANT OPTION"]
    else:
        if defaults:
            # A new table is readable; what a member writes is named below, column by column.
            statements += [f"{defaults} GRANT SELECT ON TABLES TO {role}",
                           f"{defaults} GRANT USAGE, SELECT ON SEQUENCES TO {role}"]
        statements += [
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            f"GRANT INSERT ON node_scores TO {role}",
            f"GRANT UPDATE ({', '.join(_SCORE_COLUMNS)}) ON node_scores TO {role}",
            f"GRANT UPDATE ({', '.join(_ASSESSMENT_COLUMNS)}) ON assessments TO {role}",
            f"GRANT INSERT ({', '.join(_AUDIT_COLUMNS)}) ON audit_log TO {role}",
        ]
    for statement in statements:
        conn.exec_driver_sql(statement)


def revoke(s: Session, login: str) -> None:
    """Every privilege of ``login`` on this database's tables (the login itself stays: it
    is the IT staff's, and may serve other databases)."""
    role, schema = _quote(s, login), _schema(s)
    conn = s.connection()
    defaults = _defaults(s, schema)
    if defaults:  # else the IT staff's dropuser would find privileges still held
        conn.exec_driver_sql(f"{defaults} REVOKE ALL ON TABLES FROM {role}")
        conn.exec_driver_sql(f"{defaults} REVOKE ALL ON SEQUENCES FROM {role}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
