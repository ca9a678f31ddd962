"""Evidence services the screen uses: edit a document's number, date and title, link and
unlink criteria, read typed dates. Run on copies of the demo (with its evidence store)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from db.engine import Database, open_database
from parapp import i18n
from parapp.domain.errors import DomainError
from parapp.services import assessments, evidence
from parapp.services.common import ServiceError
from tests.conftest import copy_database
from tests.test_storage import dump


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


# -- bad input is refused with one sentence, the database unchanged (issue 13, part 6) ------
def _file(folder: Path, name: str, content: bytes = b"%PDF-1.4 bien ban") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def _refused(db: Database, call: Callable[[], object]) -> tuple[str, str]:
    """Run ``call``; it must raise a ServiceError and leave every table as it was. Returns
    the sentence in English and in Vietnamese."""
    before = dump(db.path)
    with pytest.raises(ServiceError) as caught:
        call()
    assert dump(db.path) == before
    english = i18n.message(caught.value)
    i18n.set_language("vi")
    try:
        vietnamese = i18n.message(caught.value)
    finally:
        i18n.set_language("en")
    assert vietnamese != english, "no Vietnamese translation"
    for text in (english, vietnamese):
        assert "\n" not in text and text.count(". ") == 0 and text.endswith("."), text
    return english, vietnamese


@pytest.fixture
def english() -> Iterator[None]:
    before = i18n.get_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (
            ["1", "1", "1"],  # "--nodes 1,1,1" typed for criterion 1.1.1
            "'1' is a whole area, not a criterion; write criterion codes with dots, such as "
            "1.1.1, and separate them with commas.",
        ),
        (
            ["1.1.1", "1.1.9"],
            "There is no criterion '1.1.9' in this criteria set; write criterion codes with "
            "dots, such as 1.1.1, and separate them with commas.",
        ),
        (
            ["1.1.1;1.1.2"],
            "There is no criterion '1.1.1;1.1.2' in this criteria set; write criterion codes "
            "with dots, such as 1.1.1, and separate them with commas.",
        ),
    ],
)
def test_node_lists_that_are_not_criteria_are_refused(
    draft_office: Database, tmp_path: Path, codes: list[str], expected: str
) -> None:
    source = _file(tmp_path, "ke-hoach.pdf")
    english, vietnamese = _refused(
        draft_office, lambda: evidence.add_evidence(draft_office, source, node_codes=codes)
    )
    assert english == expected
    assert codes[-1] in vietnamese and "1.1.1" in vietnamese
    doc = evidence.add_evidence(draft_office, source, title="Kế hoạch")
    _refused(draft_office, lambda: evidence.link_evidence(draft_office, doc.sha256, codes))


def test_a_code_given_twice_is_linked_once(draft_office: Database, tmp_path: Path) -> None:
    source = _file(tmp_path, "ke-hoach.pdf")
    info = evidence.add_evidence(draft_office, source, node_codes=["1.1.1", " 1.1.1", "1.2"])
    assert info.node_codes == ("1.1.1", "1.2")
    assert info.outcome is evidence.Outcome.ADDED


@pytest.mark.usefixtures("english")
def test_an_empty_file_is_refused(draft_office: Database, tmp_path: Path) -> None:
    source = _file(tmp_path, "quyet-dinh.pdf", b"")
    english, _vi = _refused(
        draft_office, lambda: evidence.add_evidence(draft_office, source, node_codes=["1.1.1"])
    )
    assert english == "The file quyet-dinh.pdf is empty (0 bytes); choose the document itself."
    assert not [p for p in draft_office.paths.evidence.rglob("*") if p.stat().st_size == 0]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (None, "is after today; check the day, month and year."),  # tomorrow, when it runs
        (date(2099, 1, 8), "is after today; check the day, month and year."),
        (date(1944, 12, 31), "is before 1945; check the year."),
    ],
)
def test_impossible_dates_are_refused(
    draft_office: Database, tmp_path: Path, when: date | None, expected: str
) -> None:
    # Not at collection: a run that passes midnight would make "tomorrow" today.
    when = when or date.today() + timedelta(days=1)
    source = _file(tmp_path, "ke-hoach.pdf")
    english, _vi = _refused(
        draft_office, lambda: evidence.add_evidence(draft_office, source, doc_date=when)
    )
    assert english == f"The document date {when:%d/%m/%Y} {expected}"
    doc = evidence.add_evidence(draft_office, source, title="Kế hoạch")
    _refused(
        draft_office, lambda: evidence.update_evidence(draft_office, doc.sha256, doc_date=when)
    )
    with pytest.raises(ServiceError):  # the screen reads typed dates with the same rule
        evidence.parse_doc_date(f"{when:%d/%m/%Y}")


@pytest.mark.usefixtures("english")
def test_a_date_outside_the_year_is_kept_with_a_warning(
    draft_office: Database, tmp_path: Path
) -> None:
    december = date(2025, 12, 20)  # a plan for 2026 made in December 2025
    info = evidence.add_evidence(
        draft_office, _file(tmp_path, "kh.pdf"), node_codes=["1.1.1"], doc_date=december
    )
    assert info.doc_date == december
    assert [i18n.message(w) for w in info.warnings] == [
        "The document date 20/12/2025 is not in 2026, the year assessed; it was kept, but "
        "check it if the year was mistyped."
    ]
    same_year = evidence.update_evidence(draft_office, info.sha256, doc_date=date(2026, 1, 5))
    assert same_year.warnings == ()
    again = evidence.update_evidence(draft_office, info.sha256, doc_date=date(2020, 3, 1))
    assert len(again.warnings) == 1 and again.doc_date == date(2020, 3, 1)


@pytest.mark.usefixtures("english")
def test_new_details_for_a_stored_file_need_update(draft_office: Database, tmp_path: Path) -> None:
    source = _file(tmp_path, "ke-hoach.pdf")
    first = evidence.add_evidence(
        draft_office, source, node_codes=["1.1.1"], title="Kế hoạch CCHC", doc_date=date(2026, 1, 8)
    )
    english, vietnamese = _refused(
        draft_office,
        lambda: evidence.add_evidence(
            draft_office, source, title="Kế hoạch khác", doc_number="5/KH-UBND"
        ),
    )
    assert english == (
        "ke-hoach.pdf is stored already as “Kế hoạch CCHC”, and adding it again would change "
        "title “Kế hoạch CCHC” → “Kế hoạch khác”; number (none) → “5/KH-UBND”; say that this "
        "change is wanted."
    )
    assert "“Kế hoạch khác”" in vietnamese
    english, _vi = _refused(
        draft_office,
        lambda: evidence.add_evidence(draft_office, source, doc_date=date(2026, 1, 9)),
    )
    assert "date 08/01/2026 → 09/01/2026" in english

    # The same details again (and a link it has): said, nothing changed.
    before = dump(draft_office.path)
    same = evidence.add_evidence(
        draft_office, source, node_codes=["1.1.1"], title="Kế hoạch CCHC", doc_date=date(2026, 1, 8)
    )
    assert same.outcome is evidence.Outcome.UNCHANGED and same.id == first.id
    assert dump(draft_office.path) == before

    # New links alone are not a change of details.
    linked = evidence.add_evidence(draft_office, source, node_codes=["1.2"])
    assert linked.outcome is evidence.Outcome.LINKED
    assert linked.node_codes == ("1.1.1", "1.2") and linked.title == "Kế hoạch CCHC"

    updated = evidence.add_evidence(
        draft_office, source, title=" Kế hoạch khác ", doc_number="5/KH-UBND", update=True
    )
    assert updated.outcome is evidence.Outcome.UPDATED
    assert [i18n.message(c) for c in updated.changes] == [
        "title “Kế hoạch CCHC” → “Kế hoạch khác”",
        "number (none) → “5/KH-UBND”",
    ]
    assert (updated.title, updated.doc_number, updated.doc_date) == (
        "Kế hoạch khác",
        "5/KH-UBND",
        date(2026, 1, 8),
    )
    assert [e.title for e in evidence.list_evidence(draft_office)] == ["Kế hoạch khác"]
