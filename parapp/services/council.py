"""The appraisal council on a server (docs/hub.md): its members, the areas each appraises
per criteria set and year, and the checks every appraising service makes first.

A member is a server login with a name; the secretariat's members import, accept, return,
publish and export, the others score the areas assigned to them. The services refuse
first, in one sentence; the server's grants and row-level security (db/council.py,
migration 0010) are the guarantee a hand-written SQL client cannot get around.

With no member defined, and always in a database file (one user), everything is allowed
as before: the checks return at once, without a query in a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import council as server
from db.engine import Database
from db.models import (
    AreaAssignmentRow,
    AssessmentRow,
    CouncilMemberRow,
    CriteriaSetRow,
    CriterionNodeRow,
)
from parapp.domain.assessment import AssessmentStatus
from parapp.domain.criteria import CriteriaSet
from parapp.domain.errors import Need
from parapp.domain.text import clean

from .common import NotFound, ServiceError, now

# A PostgreSQL role name as libpq and .pgpass users type it: lower case, unquoted.
_LOGIN = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclass(frozen=True)
class Member:
    login: str
    name: str
    secretariat: bool


@dataclass(frozen=True)
class Assignment:
    set_code: str
    year: int
    area_code: str
    area_title: str
    member: Member


@dataclass(frozen=True)
class MemberAdded:
    member: Member
    login_created: bool  # False: an existing login was adopted


@dataclass(frozen=True)
class _Rights:
    login: str | None  # None: a database file
    member: Member | None
    secretariat: bool


def _member(row: CouncilMemberRow) -> Member:
    return Member(row.login, row.display_name, row.secretariat)


def _rights(s: Session) -> _Rights:
    who = server.connected(s)
    if who is None:
        return _Rights(None, None, True)
    member = (Member(who.login, who.member_name, who.member_secretariat)
              if who.member_name is not None else None)
    # No member yet: as before. Otherwise a login outside the council is the secretariat
    # only if it made the database (the policies spare it anyway).
    secretariat = (who.member_secretariat or who.owns_database if member
                   else not who.any_member or who.owns_database)
    return _Rights(who.login, member, secretariat)


def is_secretariat(s: Session) -> bool:
    """The login in use may do everything (a file, no member yet, or the secretariat)."""
    return _rights(s).secretariat


def require_secretariat(s: Session) -> None:
    """Importing, accepting, returning, publishing and exporting are the secretariat's."""
    rights = _rights(s)
    if not rights.secretariat:
        raise ServiceError(
            "Only the council's secretariat can import, accept, return, publish or export "
            "results; the login {login} appraises only the areas assigned to it.",
            login=rights.login,
        )


def require_areas(s: Session, row: AssessmentRow, cset: CriteriaSet,
                  codes: Iterable[str]) -> None:
    """Refuse, before anything is written, a member's score on a criterion outside its
    areas (the criteria set's areas as assigned for the assessment's year)."""
    rights = _rights(s)
    if rights.secretariat:
        return
    if rights.member is None:
        raise ServiceError(
            "The login {login} is not a member of the appraisal council; the secretariat "
            "adds members with 'parapp hub member add'.",
            login=rights.login,
        )
    assigned = {
        a.area_code: a.member
        for a in s.scalars(select(AreaAssignmentRow).where(
            AreaAssignmentRow.set_code == cset.code, AreaAssignmentRow.year == row.year))
    }
    for code in codes:
        if not cset.has(code):
            continue  # the caller says the criterion does not exist
        area = cset.area_of(code).code
        holder = assigned.get(area)
        if holder is None:
            raise ServiceError(
                "Area {area} is not assigned to you for {year}; the secretariat assigns "
                "areas with 'parapp hub assign'.",
                area=area,
                year=row.year,
            )
        if holder.login != rights.login:
            raise ServiceError(
                "Area {area} is assigned to {name}; you cannot score this area.",
                area=area,
                name=holder.display_name,
            )


@dataclass(frozen=True)
class Role:
    """What the login in use may do (the window hides what it may not)."""

    login: str | None  # None: a database file
    member: Member | None
    secretariat: bool  # a database file, or no member yet: True


def role(db: Database) -> Role:
    with db.session() as s:
        rights = _rights(s)
    return Role(rights.login, rights.member, rights.secretariat)


def closed_areas(db: Database, set_code: str, year: int,
                 area_codes: Iterable[str]) -> dict[str, str]:
    """The areas of ``area_codes`` the login in use may not score for ``set_code`` and
    ``year``, each with the name of the member it is assigned to ("" when nobody);
    empty for the secretariat (and in a file)."""
    with db.session() as s:
        rights = _rights(s)
        if rights.secretariat:
            return {}
        holders = {
            a.area_code: a.member
            for a in s.scalars(select(AreaAssignmentRow).where(
                AreaAssignmentRow.set_code == set_code, AreaAssignmentRow.year == year))
        }
        return {code: (holders[code].display_name if code in holders else "")
                for code in area_codes
                if code not in holders or holders[code].login != rights.login}


# -- the secretariat's commands ------------------------------------------------------------
def _server_session(s: Session) -> None:
    if server.current_login(s) is None:
        raise ServiceError(
            "Council members and their areas belong to a database on a server; a database "
            "file has a single user."
        )
    require_secretariat(s)


def _valid_login(login: str) -> str:
    login = clean(login)
    if not _LOGIN.fullmatch(login):
        raise ServiceError(
            "'{login}' is not a usable login: lower-case letters, digits and '_', at most 63, "
            "not starting with a digit.",
            login=login,
        )
    return login


def add_member(db: Database, login: str, name: str, *, secretariat: bool = False) -> MemberAdded:
    """Add a member (or change its name and role): its login is adopted if the server has
    it, created if this login may create logins, and given what a member needs."""
    login, name = _valid_login(login), clean(name)
    if not name:
        raise ServiceError("Give the member's name, as it will be shown to others.",
                           need=Need.MEMBER_NAME)
    with db.session() as s:
        _server_session(s)
        if not secretariat and login in (server.current_login(s), server.owner(s)):
            # Its grants would be narrowed to a member's: the database would lose its
            # secretariat (the owner would revoke its own privileges).
            raise ServiceError(
                "{login} is the secretariat's own login: add it as the secretariat.",
                login=login, need=Need.SECRETARIAT,
            )
        created = False
        if not server.login_exists(s, login):
            if not server.may_create_logins(s):
                raise ServiceError(
                    "The server has no login {login}, and yours cannot create logins: ask "
                    "the IT staff to create it on the server, then add it again.",
                    login=login, need=Need.SERVER_LOGIN,
                )
            server.create_login(s, login)
            created = True
        row = s.scalars(select(CouncilMemberRow).where(CouncilMemberRow.login == login)).first()
        if row is None:
            row = CouncilMemberRow(login=login, display_name=name, secretariat=secretariat,
                                   added_at=now())
            s.add(row)
        else:
            row.display_name, row.secretariat = name, secretariat
        server.grant(s, login, secretariat=secretariat)
        return MemberAdded(_member(row), created)


def members(db: Database) -> list[Member]:
    with db.session() as s:
        rows = s.scalars(select(CouncilMemberRow).order_by(CouncilMemberRow.login))
        return [_member(r) for r in rows]


def remove_member(db: Database, login: str) -> Member:
    """Remove a member, its areas and its privileges here (its login stays on the server)."""
    login = clean(login)
    with db.session() as s:
        _server_session(s)
        row = _member_row(s, login)
        if login == server.current_login(s):
            raise ServiceError("You cannot remove your own login from the council.")
        member = _member(row)
        for a in s.scalars(select(AreaAssignmentRow).where(AreaAssignmentRow.member_id == row.id)):
            s.delete(a)
        s.delete(row)
        server.revoke(s, login)
        return member


def _member_row(s: Session, login: str) -> CouncilMemberRow:
    row = s.scalars(select(CouncilMemberRow).where(CouncilMemberRow.login == login)).first()
    if row is None:
        raise NotFound("{login} is not a member of the appraisal council.", login=login)
    return row


def _year(s: Session, year: int | None) -> int:
    if year is not None:
        return year
    received = [st.value for st in (AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED,
                                    AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED)]
    found = s.scalars(select(AssessmentRow.year).where(AssessmentRow.status.in_(received))
                      .order_by(AssessmentRow.year.desc())).first()
    if found is None:
        raise ServiceError("Say which year: no unit has submitted yet.", need=Need.YEAR)
    return found


def _set_code(s: Session, year: int, set_code: str | None) -> str:
    if set_code:
        code = clean(set_code)
        if s.scalars(select(CriteriaSetRow.id).where(CriteriaSetRow.code == code)).first() is None:
            raise NotFound("There is no criteria set {code} in this database.", code=code)
        return code
    in_year = set(s.scalars(
        select(CriteriaSetRow.code)
        .join(AssessmentRow, AssessmentRow.set_id == CriteriaSetRow.id)
        .where(AssessmentRow.year == year)))
    codes = in_year or set(s.scalars(select(CriteriaSetRow.code)))
    if len(codes) != 1:
        raise ServiceError("Say which criteria set: this database has several.",
                           need=Need.CRITERIA_SET)
    return codes.pop()


def _area_titles(s: Session, set_code: str) -> dict[str, str]:
    """The areas (root criteria) of the set's latest version, by code."""
    latest = s.scalars(select(CriteriaSetRow).where(CriteriaSetRow.code == set_code)
                       .order_by(CriteriaSetRow.version.desc())).first()
    if latest is None:
        return {}
    rows = s.scalars(select(CriterionNodeRow).where(
        CriterionNodeRow.set_id == latest.id, CriterionNodeRow.parent_code.is_(None)))
    return {r.code: r.title for r in rows}


def _assignment(a: AreaAssignmentRow, titles: dict[str, str]) -> Assignment:
    return Assignment(a.set_code, a.year, a.area_code, titles.get(a.area_code, ""),
                      _member(a.member))


def assign(db: Database, login: str, area: str, *, year: int | None = None,
           set_code: str | None = None) -> Assignment:
    """Give an area of a set and year to a member (replacing whoever had it)."""
    with db.session() as s:
        _server_session(s)
        member = _member_row(s, clean(login))
        year = _year(s, year)
        code = _set_code(s, year, set_code)
        titles = _area_titles(s, code)
        area = clean(area)
        if area not in titles:
            raise NotFound("Criteria set {set} has no area {area} (its areas: {areas}).",
                           set=code, area=area, areas=", ".join(titles))
        row = s.scalars(select(AreaAssignmentRow).where(
            AreaAssignmentRow.set_code == code, AreaAssignmentRow.year == year,
            AreaAssignmentRow.area_code == area)).first()
        if row is None:
            row = AreaAssignmentRow(set_code=code, year=year, area_code=area)
            s.add(row)
        row.member = member
        s.flush()
        return _assignment(row, titles)


def unassign(db: Database, area: str, *, year: int | None = None,
             set_code: str | None = None) -> Assignment:
    with db.session() as s:
        _server_session(s)
        year = _year(s, year)
        code = _set_code(s, year, set_code)
        row = s.scalars(select(AreaAssignmentRow).where(
            AreaAssignmentRow.set_code == code, AreaAssignmentRow.year == year,
            AreaAssignmentRow.area_code == clean(area))).first()
        if row is None:
            raise NotFound("Area {area} of {set} is not assigned to anyone for {year}.",
                           area=clean(area), set=code, year=year)
        done = _assignment(row, _area_titles(s, code))
        s.delete(row)
        return done


def assignments(db: Database, *, year: int | None = None,
                set_code: str | None = None) -> list[Assignment]:
    """Who appraises which area (of ``year`` and ``set_code`` when given), in area order."""
    with db.session() as s:
        query = select(AreaAssignmentRow)
        if year is not None:
            query = query.where(AreaAssignmentRow.year == year)
        if set_code:
            query = query.where(AreaAssignmentRow.set_code == clean(set_code))
        rows = list(s.scalars(query))
        titles = {code: _area_titles(s, code) for code in {r.set_code for r in rows}}
        out = [_assignment(r, titles[r.set_code]) for r in rows]
    return sorted(out, key=lambda a: (a.year, a.set_code, _order(a.area_code)))


def _order(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (10**6, code)
