"""Evidence services the screen uses: edit a document's number, date and title, link and
unlink criteria, read typed dates. Run on copies of the demo (with its evidence store)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from db.engine import Database, open_database
from parapp import i18n
from parapp.domain.errors import DomainError
from parapp.services import assessments, evidence
from parapp.services.common import ServiceError
from tests.conftest import copy_database


def copy_office(source: Path, target: Path) -> Path:
    """The database and its evidence store (copy_database copies only the SQLite file)."""
    path = copy_database(source, target)
    store = source.parent / "evidence"
    if store.is_dir():
        shutil.copytree(store, target.parent / "evidence")
    return path


@pytest.fixture
def office(demo_db: Path, tmp_path: Path) -> Iterator[Database]:
    db = open_database(copy_office(demo_db, tmp_path / "office" / "parapp.sqlite3"))
    yield db
    db.close()


@pytest.fixture
def draft_office(office: Database) -> Database:
    from parapp.services.demo import start_next_year

    start_next_year(office)
    return office


def _doc(db: Database, year: int | None = None) -> evidence.EvidenceInfo:
    return evidence.list_evidence(db, year)[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2024", date(2024, 3, 5)),
        ("5/3/2024", date(2024, 3, 5)),
        (" 5-3-2024 ", date(2024, 3, 5)),
        ("31.12.2025", date(2025, 12, 31)),
        ("", None),
    ],
)
def test_typed_dates_are_read_day_first(text: str, expected: date | None) -> None:
    assert evidence.parse_doc_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "2024-03-05", "5/3", "hôm qua", "5/3/24"])
def test_a_wrong_date_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ServiceError) as caught:
        evidence.parse_doc_date(text)
    assert "05/03/2024" in i18n.message(caught.value)


def test_number_date_and_title_are_saved(office: Database) -> None:
    doc = _doc(office)
    info = evidence.update_evidence(
        office, doc.sha256, doc_number="99/KH-UBND", doc_date=date(2025, 4, 1)
    )
    expected = ("99/KH-UBND", date(2025, 4, 1), doc.title)
    assert (info.doc_number, info.doc_date, info.title) == expected
    info = evidence.update_evidence(office, doc.sha256, title="  Kế hoạch mới  ", doc_date=None)
    assert (info.title, info.doc_date, info.doc_number) == ("Kế hoạch mới", None, "99/KH-UBND")
    found = [e for e in evidence.list_evidence(office) if e.sha256 == doc.sha256]
    assert found[0].title == "Kế hoạch mới"


def test_an_empty_title_is_refused(office: Database) -> None:
    doc = _doc(office)
    with pytest.raises(ServiceError):
        evidence.update_evidence(office, doc.sha256, title="  ")
    assert _doc(office).title == doc.title


def test_link_and_unlink_follow_the_view(draft_office: Database, tmp_path: Path) -> None:
    source = tmp_path / "bien-ban.txt"
    source.write_text("Biên bản kiểm tra", encoding="utf-8")
    doc = evidence.add_evidence(draft_office, source, title="Biên bản kiểm tra")
    assert doc.node_codes == ()
    view = assessments.view(draft_office)
    leaf = next(iter(view.cset.leaves())).code
    assert not view.has_evidence(leaf)
    info = evidence.link_evidence(draft_office, doc.sha256, [leaf, leaf])
    assert info.node_codes == (leaf,)
    assert assessments.view(draft_office).has_evidence(leaf)
    info = evidence.unlink_evidence(draft_office, doc.sha256, [leaf])
    assert info.node_codes == ()
    assert not assessments.view(draft_office).has_evidence(leaf)
    # Unlinked documents stay in the list, waiting to be filed.
    assert doc.sha256 in {e.sha256 for e in evidence.list_evidence(draft_office)}


def test_links_to_unknown_criteria_are_refused(draft_office: Database, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("a", encoding="utf-8")
    doc = evidence.add_evidence(draft_office, source)
    with pytest.raises(ServiceError):
        evidence.link_evidence(draft_office, doc.sha256, ["99.99"])
    with pytest.raises(ServiceError):
        evidence.link_evidence(draft_office, doc.sha256, [])


def test_a_published_assessment_refuses_new_links(office: Database) -> None:
    doc = _doc(office)
    leaf = list(assessments.view(office).cset.leaves())[-1].code
    with pytest.raises(DomainError):
        evidence.link_evidence(office, doc.sha256, [leaf])
    with pytest.raises(DomainError):
        evidence.unlink_evidence(office, doc.sha256, list(doc.node_codes))
    assert _doc(office).node_codes == doc.node_codes


def test_the_copied_store_has_the_demo_files(office: Database) -> None:
    doc = _doc(office)
    assert evidence.evidence_file(office, doc.sha256).is_file()
