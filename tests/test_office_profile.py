"""Issue 15 part 1: every kind of office prints its own documents (the office profile).

A provincial office of kind ``department`` used to get a commune's wording everywhere: the
committee's header, KH-UBND, "đơn vị cấp xã", "Ủy ban nhân dân xã xây dựng Kế hoạch", the
unit's name as the place, the chairman as signer. These tests build documents for offices
that are not the demo's (a Văn phòng UBND tỉnh, a Sở, a district, a province, a ward)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest

from parapp.domain.errors import DomainError
from parapp.domain.office import default_profile
from parapp.domain.remediation import PlanDocument, Signer, SignMode
from parapp.domain.results import PublishedResult
from parapp.domain.units import Unit, UnitKind
from parapp.printing.builders import PlanInput, build_remediation_plan
from parapp.printing.model import Paragraph
from tests.test_cli import INCOMPLETE, SCORES_FILE, SET_FILE, Cli, new_cli

OFFICE = Unit(
    "9001",
    "Văn phòng UBND tỉnh",
    UnitKind.DEPARTMENT,
    appraiser_name="Sở Nội vụ tỉnh Lạng Sơn",
    province_name="Tỉnh Lạng Sơn",
)


def test_defaults_follow_the_kind_and_name() -> None:
    office = default_profile(OFFICE)
    assert (office.parent_body(), office.issuing_body()) == ("UBND TỈNH LẠNG SƠN", ("VĂN PHÒNG",))
    assert (office.symbol("KH"), office.place, office.level) == ("KH-VP", "Lạng Sơn", "cấp sở")
    assert (office.self_name, office.head) == ("Văn phòng", "Chánh Văn phòng")
    assert office.full_name == "Văn phòng UBND tỉnh Lạng Sơn"
    assert office.signer() == Signer(
        body="", head_title="CHÁNH VĂN PHÒNG", position="CHÁNH VĂN PHÒNG"
    )

    sở = default_profile(Unit("9002", "Sở Tư pháp tỉnh Lạng Sơn", UnitKind.DEPARTMENT))
    assert (sở.parent_body(), sở.issuing_body(), sở.symbol("KH")) == (
        "UBND TỈNH LẠNG SƠN",
        ("SỞ TƯ PHÁP",),
        "KH-STP",
    )
    assert (sở.self_name, sở.head, sở.deputies) == ("Sở", "Giám đốc Sở", "các Phó Giám đốc Sở")

    cases = {
        ("Huyện Lấp Vò", UnitKind.DISTRICT): ("HUYỆN LẤP VÒ", "Lấp Vò", "cấp huyện"),
        ("Tỉnh Đồng Tháp", UnitKind.PROVINCE): ("TỈNH ĐỒNG THÁP", "Đồng Tháp", "cấp tỉnh"),
        ("Phường Dị Sử", UnitKind.WARD): ("PHƯỜNG DỊ SỬ", "Dị Sử", "cấp xã"),
        ("Đặc khu Cô Tô", UnitKind.SPECIAL_ZONE): ("ĐẶC KHU CÔ TÔ", "Cô Tô", "cấp xã"),
    }
    for (name, kind), (line, place, level) in cases.items():
        p = default_profile(Unit("1", name, kind))
        assert p.issuing_body() == ("ỦY BAN NHÂN DÂN", line) and p.parent_body() == ""
        assert (p.place, p.level, p.symbol("KH")) == (place, level, "KH-UBND")
        assert p.signer().mode is SignMode.TM and p.signer().body == "ỦY BAN NHÂN DÂN"
    ward = default_profile(Unit("1", "Phường Dị Sử", UnitKind.WARD))
    assert (ward.self_name, ward.full_name) == (
        "Ủy ban nhân dân phường",
        "Ủy ban nhân dân phường Dị Sử",
    )


def test_signer_authority_lines() -> None:
    office = default_profile(OFFICE)
    kt = office.with_changes(
        {"signer_authority": "KT. CHÁNH VĂN PHÒNG", "signer_title": "PHÓ CHÁNH VĂN PHÒNG"}, office
    ).signer("Lê Văn B")
    assert (kt.mode, kt.body, kt.head_title, kt.position, kt.name) == (
        SignMode.KT,
        "",
        "CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Lê Văn B",
    )
    ward = default_profile(Unit("1", "Phường Dị Sử", UnitKind.WARD))
    both = ward.with_changes(
        {"signer_authority": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH"},
        ward,
    ).signer()
    assert (both.mode, both.body, both.head_title) == (SignMode.KT, "ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    with pytest.raises(DomainError):
        office.with_changes({"colour": "red"}, office)


def _text(blocks: tuple[object, ...]) -> str:
    return " ".join("".join(run.text for run in b.runs) for b in blocks if isinstance(b, Paragraph))


def test_a_department_plan_speaks_as_the_office() -> None:
    result = PublishedResult(
        index=Decimal("84.50"),
        rank=4,
        rank_of=20,
        decision_number="97/QĐ-UBND",
        decision_date=date(2024, 1, 31),
        issuer="UBND tỉnh Lạng Sơn",
    )
    doc = build_remediation_plan(
        PlanInput(
            unit=OFFICE,
            document=PlanDocument(place="Văn phòng UBND tỉnh"),  # as plans drafted before
            items=(),
            year=2024,
            assessed_year=2023,
            result=result,
            with_appendix=True,
        )
    )
    h = doc.header
    assert (h.parent_body, h.issuing_body, h.symbol, h.place) == (
        "UBND TỈNH LẠNG SƠN",
        ("VĂN PHÒNG",),
        "KH-VP",
        "Lạng Sơn",
    )
    assert doc.signature.authority == ("CHÁNH VĂN PHÒNG",)
    body = _text(doc.body)
    assert "xếp thứ 4/20 đơn vị cấp sở" in body
    assert "Văn phòng xây dựng Kế hoạch" in body
    assert "Ủy ban nhân dân" not in body and "cấp xã" not in body
    assert "của Văn phòng UBND tỉnh Lạng Sơn)" in doc.appendices[0].note
    assert doc.author == "Văn phòng UBND tỉnh Lạng Sơn"
    assert "- Chánh Văn phòng, các Phó Chánh Văn phòng;" in doc.signature.recipients


# -- through the command line ------------------------------------------------------------
def department(tmp: Path) -> Cli:
    """A Văn phòng UBND tỉnh with its 2023 PAR result and SIPAS result, its 2024 plan."""
    cli = new_cli(tmp)
    cli.ok(
        "init", "--unit-code", "9001", "--unit-name", "Văn phòng UBND tỉnh", "--kind",
        "department", "--province", "Tỉnh Lạng Sơn", "--appraiser-name",
        "Sở Nội vụ tỉnh Lạng Sơn",
    )  # fmt: skip
    cli.ok("criteria", "import", str(SET_FILE))
    cli.ok("assessment", "new", "--period", "2023")
    cli.ok("scores", "import", str(SCORES_FILE))
    cli.ok("assessment", "submit", "--allow-incomplete", "--reason", INCOMPLETE)
    cli.ok(
        "result", "set", "--period", "2023", "--index", "84,5", "--rank", "4", "--rank-of",
        "20", "--decision-number", "97/QĐ-UBND", "--decision-date", "31/01/2024",
        "--issuer", "UBND tỉnh Lạng Sơn",
    )  # fmt: skip
    return cli


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_department_office_show_set_and_its_printed_plan(tmp_path: Path) -> None:
    cli = department(tmp_path)
    out = cli.ok("office", "show")
    assert "UBND TỈNH LẠNG SƠN / VĂN PHÒNG" in out and "KH-VP" in out
    cli.ok("office", "set", "--signer-authority", "KT. CHÁNH VĂN PHÒNG", "--signer-title",
           "PHÓ CHÁNH VĂN PHÒNG")  # fmt: skip
    cli.ok("plan", "draft")
    assert '"symbol": "KH-VP"' in _rows(cli.db, "SELECT document_json FROM plans")[0][0]
    cli.ok("plan", "render", "--appendix", "--out", str(tmp_path / "plan.pdf"))
    text = pdf_text(tmp_path / "plan.pdf")
    for expected in (
        "UBND TỈNH LẠNG SƠN",
        "VĂN PHÒNG",
        "/KH-VP",
        "Lạng Sơn, ngày",
        "xếp thứ 4/20 đơn vị cấp sở",
        "Văn phòng xây dựng Kế hoạch",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "của Văn phòng UBND tỉnh Lạng Sơn)",
    ):
        assert expected in text, expected
    for wrong in ("ỦY BAN NHÂN DÂN", "KH-UBND", "cấp xã", "TM. ", "Văn phòng UBND tỉnh, ngày"):
        assert wrong not in text, wrong

    # A blank value goes back to the default; a bad one changes nothing.
    cli.ok("office", "set", "--signer-authority", "", "--signer-title", "")
    assert "CHÁNH VĂN PHÒNG (" in cli.ok("office", "show")
    before = _rows(cli.db)
    message = cli.fails("office", "set", "--symbol-suffix", "V P!")
    assert "SNV" in message
    message = cli.fails("office", "set", "--place", "x" * 201)
    assert "200" in message
    assert _rows(cli.db) == before


def _rows(db: Path | None, sql: str = "SELECT * FROM office_profiles") -> list[tuple[str, ...]]:
    assert db is not None
    con = sqlite3.connect(str(db))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_index_results_typed_imported_and_refused(tmp_path: Path) -> None:
    cli = new_cli(tmp_path)
    cli.ok("init", "--unit-code", "12160", "--unit-name", "Phường Dị Sử", "--kind", "ward")
    cli.ok("result", "index", "set", "--kind", "sipas", "--year", "2023", "--value", "88,42")
    cli.ok("result", "index", "set", "--kind", "SIPAS", "--year", "2023", "--rank", "6")
    file = tmp_path / "others.json"
    good = {
        "format": "parapp-index-results",
        "format_version": 1,
        "results": [
            {"kind": "Dân vận", "year": 2023, "value": "90,5", "decision_date": "2024-02-22"},
            {"kind": "PAPI", "year": 2023, "value": 41.2, "points": "41.2", "max_points": 80},
        ],
    }
    file.write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    cli.ok("result", "index", "import", str(file))
    lines = cli.ok("result", "index", "list").splitlines()
    assert [line.split("\t")[:4] for line in lines] == [
        ["2023", "SIPAS", "88,42%", "6"],
        ["2023", "PAPI", "41,20%"],
        ["2023", "DAN_VAN", "90,50%"],
    ]
    before = _rows(cli.db, "SELECT * FROM index_results ORDER BY id")
    bad = dict(good, results=[*good["results"], {"kind": "PAR", "year": 2023, "value": 1}])
    file.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert "PAR" in cli.fails("result", "index", "import", str(file))
    assert "--value" in cli.fails("result", "index", "set", "--kind", "DTI", "--year", "2023")
    cli.fails("result", "index", "set", "--kind", "PAPI", "--year", "2023", "--points", "90")
    assert _rows(cli.db, "SELECT * FROM index_results ORDER BY id") == before
    cli.ok("result", "index", "remove", "--kind", "PAPI", "--year", "2023")
    assert "PAPI" not in cli.ok("result", "index", "list")


def test_ranking_and_slip_take_the_office_header() -> None:
    """The appraiser's ranking and a transfer slip are headed as the office's profile says,
    not as its stored name would be read (a Văn phòng whose name carries no province)."""
    from parapp.printing.builders.ranking import build_ranking
    from parapp.printing.builders.slip import build_slip
    from tests.test_ranking_docs import inputs
    from tests.test_slip import slip

    office = default_profile(OFFICE)
    ranking = build_ranking(inputs(issuer_name=OFFICE.name, place="", office=office)).header
    assert (ranking.parent_body, ranking.issuing_body) == ("UBND TỈNH LẠNG SƠN", ("VĂN PHÒNG",))
    assert (ranking.symbol, ranking.place) == ("BXH-VP", "Lạng Sơn")
    paper = build_slip(slip(sender_name=OFFICE.name, sender_office=office)).header
    assert (paper.parent_body, paper.issuing_body, paper.symbol) == (
        "UBND TỈNH LẠNG SƠN",
        ("VĂN PHÒNG",),
        "PGN-VP",
    )
