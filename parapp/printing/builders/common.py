"""Pieces every document shares: the unit's names, header, title, legal bases, signature,
the summary score table, grouping items by area, and small number words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from parapp.domain.office import OfficeProfile, default_profile
from parapp.domain.remediation import PlanDocument, Signer
from parapp.domain.text import clean, fold
from parapp.domain.units import Unit, UnitKind
from parapp.printing import nd30, texts
from parapp.printing.model import (
    Align,
    Block,
    Header,
    Heading,
    HeadingLevel,
    Paragraph,
    Run,
    Signature,
    Title,
)

# Table widths: at most 160 mm portrait (A4 less 30 + 20 mm margins), 247 mm landscape.
TWO_TIER_FROM = date(2025, 7, 1)  # districts abolished: communes report to the province
PLAN_KIND, PLAN_SYMBOL = "KẾ HOẠCH", "KH-UBND"
REPORT_KIND, REPORT_SYMBOL = "BÁO CÁO", "BC-UBND"
COMMITTEE = "ỦY BAN NHÂN DÂN"

_LETTERS = tuple("abcdđeghiklmnopqrstuvxy")  # the Vietnamese order, without f, j, w, z
_ROMAN: tuple[tuple[int, str], ...] = (
    *((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")),
    *((40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")),
)
_PREFIXES = ("Thị trấn", "Đặc khu", "Phường", "Xã", "Thị xã", "Thành phố", "Huyện", "Quận", "Tỉnh")
_KIND_WORDS = {
    UnitKind.COMMUNE: "xã",
    UnitKind.WARD: "phường",
    UnitKind.SPECIAL_ZONE: "đặc khu",
    UnitKind.TOWNSHIP: "thị trấn",
    UnitKind.DISTRICT: "huyện",
    UnitKind.PROVINCE: "tỉnh",
}


def letter(index: int) -> str:
    """The Vietnamese list letters a, b, c, d, đ, e, ... (0 -> "a"); "aa" after "y"."""
    n = len(_LETTERS)
    return _LETTERS[index % n] * (index // n + 1)


def roman(number: int) -> str:
    out = []
    for value, digits in _ROMAN:
        while number >= value:
            out.append(digits)
            number -= value
    return "".join(out)


def count(n: int) -> str:
    """Counts as documents write them: "03 nhiệm vụ", "12 nhiệm vụ", "0 nhiệm vụ"."""
    return f"{n:02d}" if 0 < n < 10 else str(n)


def capitalize(value: str) -> str:
    return value[:1].upper() + value[1:]


def sentence(value: str) -> str:
    """End a clause with a full stop unless it already ends in punctuation."""
    value = clean(value)
    return value if not value or value[-1] in ".!?:;" else value + "."


def two_tier(when: date) -> bool:
    return when >= TWO_TIER_FROM


@dataclass(frozen=True)
class Names:
    """How a unit is named in a document."""

    title: str  # "Xã Hoàng Văn Thụ"
    running: str  # "xã Hoàng Văn Thụ"
    kind_word: str  # "xã"
    upper: str  # "XÃ HOÀNG VĂN THỤ"
    place: str  # "Hoàng Văn Thụ"


def names(unit: Unit) -> Names:
    name = clean(unit.name)
    word, place = _KIND_WORDS.get(unit.kind, ""), name
    for prefix in _PREFIXES:
        if name.lower().startswith(prefix.lower() + " "):
            word, place = prefix.lower(), name[len(prefix) :].strip()
            break
    running = f"{word} {place}" if word else name
    title = capitalize(running)
    return Names(title, running, word, title.upper(), place)


def profile_of(unit: Unit, profile: OfficeProfile | None) -> OfficeProfile:
    """The office's profile as the service gave it, else the defaults of its kind."""
    return profile if profile is not None else default_profile(unit)


def _follow_up_key(profile: OfficeProfile, when: date) -> str:
    """Who follows the work up, by the office's level (and for a commune, by era)."""
    if not profile.committee:
        return "common.office_agency"
    if profile.level == "cấp huyện":
        return "common.office_district"
    if profile.level == "cấp tỉnh":
        return "common.office_province"
    return "common.office_two_tier" if two_tier(when) else "common.office_before_2025"


def _by_level(path: str, level: str) -> str:
    """A word that depends on the office's level; an unknown level takes the commune's."""
    words = texts.mapping(path)
    return words.get(clean(level), words["cấp xã"])


def values(
    unit: Unit,
    *,
    year: int,
    when: date,
    assessed_year: int | None = None,
    appraiser: str = "",
    office: str = "",
    rank_group: str = "",
    profile: OfficeProfile | None = None,
) -> dict[str, str]:
    """The placeholders every text may use (see defaults.json "_comment")."""
    n = names(unit)
    p = profile_of(unit, profile)
    committee = p.committee
    out = {
        # An agency is named in full ("Sở Nội vụ tỉnh Lạng Sơn"), a committee by its area.
        "unit_name": n.running if committee else p.full_name,
        "unit_title": n.title if committee else capitalize(p.full_name),
        "unit_short": n.kind_word or "xã",
        "year": str(year),
        "rank_group": clean(rank_group) or p.rank_group,
        "self_name": p.self_name,
        "head": p.head,
        "deputies": p.deputies,
        "level": p.level,
        "full_name": p.full_name,
        "staff": _by_level("common.staff", p.level),
        "party_committee": _by_level("common.party_committee", p.level),
    }
    if assessed_year is not None:
        out["assessed_year"] = str(assessed_year)
    who = clean(appraiser) or clean(unit.appraiser_name)
    if who:
        out["appraiser"] = who
    out["office"] = clean(office) or texts.text(_follow_up_key(p, when), out)
    return out


def own_path(path: str, profile: OfficeProfile) -> str:
    """An agency's own default ("remediation.recipients_agency") where there is one."""
    if profile.committee:
        return path
    try:
        texts.lookup(path + "_agency")
    except LookupError:
        return path
    return path + "_agency"


def index_name(kind: str) -> str:
    names_ = texts.mapping("common.index_names")
    return names_.get(kind, names_.get("OTHER", kind))


def report_document(doc: PlanDocument) -> PlanDocument:
    """A report stored with the plan's defaults gets the report's kind and symbol."""
    return replace(
        doc,
        title=REPORT_KIND if clean(doc.title).upper() in ("", PLAN_KIND) else doc.title,
        symbol=REPORT_SYMBOL if clean(doc.symbol) in ("", PLAN_SYMBOL) else doc.symbol,
    )


# -- cells 1-5 and 7-9 ------------------------------------------------------------------
def symbol_of(doc: PlanDocument, profile: OfficeProfile) -> str:
    """The document's symbol; the committee's defaults ("KH-UBND", "BC-UBND") stand for
    the office's own ("KH-SNV")."""
    symbol = clean(doc.symbol)
    if symbol in ("", PLAN_SYMBOL):
        return profile.symbol("KH")
    if symbol == REPORT_SYMBOL:
        return profile.symbol("BC")
    return symbol


def place_of(unit: Unit, doc: PlanDocument, profile: OfficeProfile) -> str:
    """The date line's place; a place that is only the unit's name (as plans drafted
    before the office profile stored it) gives way to the profile's."""
    place = clean(doc.place)
    if place in ("", clean(unit.name), names(unit).place):
        return profile.place or place
    return place


def header(
    unit: Unit,
    doc: PlanDocument,
    parent_body: str,
    draft_year: int | None,
    profile: OfficeProfile | None = None,
) -> Header:
    """Issued documents print number and date; a draft leaves them blank (keeping the
    month and year when the clerk already chose the date)."""
    p = profile_of(unit, profile)
    number = clean(doc.number)
    issued = doc.issued_on
    base = Header(
        issuing_body=p.issuing_body(),
        parent_body=clean(parent_body).upper() or p.parent_body(),
        number=number,
        symbol=symbol_of(doc, p),
        place=place_of(unit, doc, p),
        draft_year=draft_year,
    )
    if number and issued is not None:
        return replace(base, date=issued, draft_year=None)
    if issued is not None:
        return replace(base, draft_year=issued.year, draft_month=issued.month)
    return base


def balanced_lines(summary: str, limit: int = 60) -> tuple[str, ...]:
    """Split a long one-line summary into two lines of similar length (as the law's
    samples centre it), preferring a break before a capitalised name ("Chỉ số ...") or
    after a comma, and never leaving a one-word line."""
    if len(summary) <= limit:
        return (summary,)
    middle = len(summary) / 2
    spaces = [i for i, ch in enumerate(summary) if ch == " " and 0 < i < len(summary) - 1]
    if len(spaces) < 2:
        return (summary,)
    spaces = spaces[1:-1] or spaces

    def cost(i: int) -> float:
        bonus = 8 if summary[i + 1].isupper() else 0
        bonus += 5 if summary[i - 1] == "," else 0
        return abs(i - middle) - bonus

    cut = min(spaces, key=cost)
    return summary[:cut].strip(), summary[cut:].strip()


def title(doc: PlanDocument, kind: str, default_summary: Sequence[str]) -> Title:
    lines = texts.split(doc.summary)
    if len(lines) == 1:
        lines = balanced_lines(lines[0])
    return Title(clean(doc.title).upper() or kind, lines or tuple(default_summary))


def recipients(
    given: Iterable[str], default_path: str, vals: texts.Values, *, nhu_tren: bool
) -> tuple[str, ...]:
    """The clerk's list, else the defaults; "Như trên" only where there is a "Kính gửi"."""
    items = [clean(r) for r in given if clean(r)]
    if not nhu_tren:
        items = [r for r in items if not fold(r.lstrip("- ")).startswith("nhu tren")]
    if not [r for r in items if not fold(r.lstrip("- ")).startswith(("luu", "nhu tren"))]:
        items = list(texts.paragraphs(default_path, vals))
    return nd30.recipients_lines(tuple(texts.fill(r, vals) for r in items))


def signer_of(doc: PlanDocument, profile: OfficeProfile | None) -> Signer:
    """The document's signer; the built-in committee chairman stands for the office's own
    signer (a department's "GIÁM ĐỐC"), keeping the name typed."""
    signer = doc.signer
    if profile is None or replace(signer, name="") != Signer():
        return signer
    return profile.signer(signer.name)


def signature(
    doc: PlanDocument, recipient_lines: tuple[str, ...], profile: OfficeProfile | None = None
) -> Signature:
    signer = signer_of(doc, profile)
    return Signature(recipient_lines, nd30.signer_lines(signer), clean(signer.name))


def addressee(vals: texts.Values, path: str) -> Paragraph:
    """ "Kính gửi: Sở Nội vụ tỉnh ..." centred under the title (reports)."""
    return Paragraph.of(f"Kính gửi: {texts.text(path, vals)}.", indent=False, align=Align.CENTER)


# -- body -------------------------------------------------------------------------------
def _clause(text: str, first: bool) -> str:
    text = clean(text).rstrip(" ;,.")
    lowered = fold(text)
    if not lowered.startswith(("can cu", "thuc hien", "theo ")):
        return f"Căn cứ {text}" if first else text
    if not first and lowered.startswith("can cu "):
        return text[len("Căn cứ ") :]
    return text


def basis_blocks(
    clauses: Sequence[str], *, as_sentence: bool, lead_in: str, statement: str = ""
) -> list[Block]:
    """Legal bases in italics: one running sentence leading into the body (the seeds), or
    one line each ending ";" and the last "." followed by ``statement`` and the lead-in."""
    clauses = [c for c in clauses if clean(c)]
    if as_sentence:
        if not clauses:
            return [Paragraph.of(capitalize(lead_in))]
        joined = "; ".join(_clause(c, i == 0) for i, c in enumerate(clauses))
        return [Paragraph((Run(joined + ",", italic=True), Run(" " + lead_in)))]
    blocks: list[Block] = [
        Paragraph.of(_clause(c, True) + (";" if i < len(clauses) - 1 else "."), italic=True)
        for i, c in enumerate(clauses)
    ]
    blocks.append(Paragraph.of(" ".join(p for p in (statement, capitalize(lead_in)) if p)))
    return blocks


def drop_date(template: str, when: date | None, issuer: str) -> str:
    """A decision cited without a known date or issuer leaves those words out."""
    if when is None:
        template = template.replace(" ngày {decision_date}", "")
    return template if clean(issuer) else template.replace(" của {issuer}", "")


def section(text: str) -> Heading:
    return Heading(text, HeadingLevel.SECTION)


def numbered(text: str) -> Heading:
    return Heading(text, HeadingLevel.NUMBERED)


def lettered(text: str) -> Heading:
    return Heading(text, HeadingLevel.LETTERED)


def plain(paragraphs: Iterable[str]) -> list[Block]:
    return [Paragraph.of(p) for p in paragraphs]


def labelled(label: str, text: str, prefix: str = "", keep: bool = False) -> Paragraph:
    """ "a) Tồn tại: ..." with the label in italics."""
    runs = [Run(prefix)] if prefix else []
    runs += [Run(label, italic=True), Run(" " + sentence(text))]
    return Paragraph(tuple(runs), keep_with_next=keep)


def doc_ref(
    kind: str,
    doc: PlanDocument,
    unit: Unit,
    year: int,
    *,
    phrase: bool,
    profile: OfficeProfile | None = None,
) -> str:
    """ "Kế hoạch số 15/KH-UBND ngày 06/02/2026 của Ủy ban nhân dân xã ..."; a draft's
    number and day are left blank for the clerk to write in (``phrase``: "ngày 06 tháng 02
    năm 2026", as appendix notes write it)."""
    p = profile_of(unit, profile)
    who = f"của {p.full_name}"
    number = clean(doc.number)
    symbol = symbol_of(doc, p)
    ref = nd30.number_line(number, symbol).replace("Số:", "số", 1)
    issued = doc.issued_on
    if number and issued is not None:
        when = nd30.date_phrase(issued) if phrase else f"ngày {nd30.short_date(issued)}"
    else:
        gap = nd30.DRAFT_GAP
        month = nd30.month_text(issued.month) if issued else gap
        when = f"ngày{gap}tháng {month} năm {issued.year if issued else year}"
    return f"{kind} {ref} {when} {who}"
