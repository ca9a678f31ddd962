"""The progress report on a remediation plan ("hằng quý, 6 tháng, năm"), counted to a date.

  Kính gửi: <appraiser>.
  I. KẾT QUẢ THỰC HIỆN
     1. Tình hình chung: the counts, and the points the finished items should win back
        ("dự kiến": earned only when the next appraisal publishes them)
     2. Kết quả thực hiện từng nhiệm vụ: by area, status, progress, latest note and date
     3. Nhiệm vụ quá hạn (as of the report date)
     4. Nhiệm vụ thực hiện thường xuyên (reported every period), when there are any
  II. ĐÁNH GIÁ CHUNG  III. NHIỆM VỤ THỜI GIAN TỚI  IV. ĐỀ XUẤT, KIẾN NGHỊ
  Phụ lục (landscape): the table of items.
Status and progress are those on the report date: updates dated later are left out, so a
report re-printed later for the same date says the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from parapp.domain.numbers import format_max, format_vi
from parapp.domain.remediation import ItemStatus, ProgressUpdate, RemediationItem
from parapp.domain.text import clean, fold
from parapp.printing import nd30, texts
from parapp.printing.model import Align, Appendix, Block, Column, Document, Paragraph, Table

from . import common as c
from . import item_text
from .inputs import ProgressInput

P = "progress_report"


@dataclass(frozen=True)
class ItemState:
    """One item as it stood on the report date."""

    item: RemediationItem
    status: ItemStatus
    progress: int
    latest: ProgressUpdate | None
    overdue: bool

    @property
    def ongoing(self) -> bool:
        return self.item.deadline.is_ongoing


def state_as_of(item: RemediationItem, as_of: date) -> ItemState:
    earlier = sorted((u for u in item.updates if u.on <= as_of), key=lambda u: u.on)
    if earlier:
        latest: ProgressUpdate | None = earlier[-1]
        progress = earlier[-1].percent
        status = (
            ItemStatus.DONE
            if progress >= 100
            else ItemStatus.IN_PROGRESS
            if progress > 0
            else ItemStatus.NOT_STARTED
        )
    elif item.updates:  # everything recorded happened after the report date
        latest, progress, status = None, 0, ItemStatus.NOT_STARTED
    else:  # status set without dated updates
        latest, progress, status = None, item.progress, item.status
    overdue = item.deadline.is_overdue(as_of, done=status is ItemStatus.DONE)
    return ItemState(item, status, progress, latest, overdue)


def _status_word(state: ItemState) -> str:
    return texts.mapping("common.item_status")[state.status.value]


def _line(state: ItemState, *, with_lead: bool = False) -> str:
    item = state.item
    text = f"- {item_text.item_label(item).rstrip('.')}"
    if with_lead and clean(item.lead):
        text += f" (chủ trì: {clean(item.lead)})"
    text += f": {_status_word(state).lower()}"
    if state.status is ItemStatus.IN_PROGRESS:
        text += f", đạt {state.progress}%"
    text += f"; thời hạn: {clean(item.deadline.text)}"
    if state.ongoing:
        text += " " + texts.text(f"{P}.ongoing_note")
    if state.overdue:
        text += ", đã quá hạn"
    text += "."
    note = _note(state)
    if note and state.latest is not None:
        text += f" Kết quả: {note} (cập nhật ngày {nd30.short_date(state.latest.on)})."
    return text


def _note(state: ItemState) -> str:
    """The latest progress note, unless it only repeats the status ("Đã hoàn thành.")."""
    if state.latest is None:
        return ""
    note = clean(state.latest.note).rstrip(".")
    return "" if fold(note) == fold(_status_word(state)) else note


def _counts(states: list[ItemState], vals: dict[str, str]) -> str:
    def n(pred: Callable[[ItemState], bool]) -> str:
        return c.count(sum(1 for s in states if pred(s)))

    fill = vals | {
        "total": c.count(len(states)),
        "done": n(lambda s: s.status is ItemStatus.DONE),
        "in_progress": n(lambda s: s.status is ItemStatus.IN_PROGRESS),
        "not_started": n(lambda s: s.status is ItemStatus.NOT_STARTED),
        "overdue": n(lambda s: s.overdue),
        "ongoing": n(lambda s: s.ongoing),
    }
    text = texts.text(f"{P}.counts", fill)
    if any(s.ongoing for s in states):
        text += "; " + texts.text(f"{P}.counts_ongoing", fill)
    return c.sentence(text)


def _expected(data: ProgressInput) -> str:
    """The points the finished items should win back: "dự kiến", since only the next
    appraisal's published result earns them."""
    e = data.expected
    assert e is not None
    return (
        f"Các nhiệm vụ đã hoàn thành dự kiến khắc phục được {format_vi(e.points)} điểm bị trừ "
        f"(dự kiến tổng điểm đạt {format_vi(e.total)}/{format_max(e.max_points)} điểm, "
        f"Chỉ số đạt {format_vi(e.index)}%); số điểm này chỉ được ghi nhận khi kết quả xác "
        f"định Chỉ số cải cách hành chính năm {data.plan_year} được công bố."
    )


def _by_area(data: ProgressInput, states: list[ItemState]) -> list[Block]:
    by_id = {s.item.id: s for s in states}
    groups = item_text.group_by_area(data.items, data.cset)
    blocks: list[Block] = []
    flat = len(groups) == 1 and groups[0][0] is None
    for k, (area, items) in enumerate(groups):
        if not flat:
            name = area.title if area is not None else texts.text("common.other_area")
            blocks.append(c.lettered(f"{c.letter(k)}) {name}"))
        blocks += c.plain(_line(by_id[i.id]) for i in items)
    return blocks


def _appendix(data: ProgressInput, states: list[ItemState], vals: dict[str, str]) -> Appendix:
    columns = (
        Column("TT", 12, Align.CENTER),
        Column("Nội dung tồn tại", 45),
        Column("Nhiệm vụ, giải pháp", 60),
        Column("Chủ trì", 28),
        Column("Thời hạn", 25, Align.CENTER),
        Column("Tình trạng", 27, Align.CENTER),
        Column("Tiến độ (%)", 15, Align.CENTER),
        Column("Kết quả, ghi chú", 35),
    )
    by_id = {s.item.id: s for s in states}
    rows: list[tuple[str, ...]] = []
    bold: set[int] = set()
    groups = item_text.group_by_area(data.items, data.cset)
    for g, (area, items) in enumerate(groups, start=1):
        if area is not None or len(groups) > 1:
            bold.add(len(rows))
            name = area.title if area is not None else texts.text("common.other_area")
            rows.append((c.roman(g), name, "", "", "", "", "", ""))
        for k, item in enumerate(items, start=1):
            s = by_id[item.id]
            status = _status_word(s) + (" (quá hạn)" if s.overdue else "")
            notes = []
            if s.ongoing:
                notes.append(texts.text(f"{P}.ongoing_note").strip("()"))
            if s.latest is not None:
                note = _note(s) or _status_word(s)
                notes.append(f"{note} ({nd30.short_date(s.latest.on)})")
            rows.append(
                (
                    str(k),
                    item_text.item_label(item),
                    "\n".join(texts.split(item.tasks)),
                    clean(item.lead),
                    clean(item.deadline.text),
                    status,
                    str(s.progress),
                    c.capitalize("; ".join(n for n in notes if n)),
                )
            )
    doc = c.report_document(data.document)
    ref = c.doc_ref("Báo cáo", doc, data.unit, data.as_of.year, phrase=True, profile=data.profile)
    return Appendix(
        label="Phụ lục",
        title=texts.text(f"{P}.appendix_title", vals).upper(),
        note=f"(Kèm theo {ref})",
        blocks=(Table(columns, tuple(rows), frozenset(bold), font_size=12),),
        landscape=True,
    )


def build_progress_report(data: ProgressInput) -> Document:
    doc = c.report_document(data.document)
    when = doc.issued_on or data.as_of
    profile = c.profile_of(data.unit, data.profile)
    vals = c.values(
        data.unit,
        year=data.plan_year,
        when=when,
        assessed_year=data.assessed_year,
        appraiser=data.appraiser,
        office=data.office,
        profile=profile,
    )
    vals["as_of"] = nd30.short_date(data.as_of)
    vals["plan_ref"] = c.doc_ref(
        "Kế hoạch", data.plan_document, data.unit, data.plan_year, phrase=False, profile=profile
    )
    items = sorted(data.items, key=lambda i: i.position)
    states = [state_as_of(i, data.as_of) for i in items]
    overdue = [s for s in states if s.overdue]
    ongoing = [s for s in states if s.ongoing]

    body: list[Block] = [c.addressee(vals, f"{P}.addressee")]
    body.append(Paragraph.of(texts.text(f"{P}.intro", vals)))
    body += [c.section("I. KẾT QUẢ THỰC HIỆN"), c.numbered("1. Tình hình chung")]
    body.append(Paragraph.of(_counts(states, vals)))
    if data.expected is not None and data.expected.points > 0:
        body.append(Paragraph.of(_expected(data)))
    body.append(c.numbered("2. Kết quả thực hiện từng nhiệm vụ"))
    body += _by_area(data, states)
    body.append(c.numbered("3. Nhiệm vụ quá hạn"))
    if overdue:
        body.append(Paragraph.of(texts.text(f"{P}.overdue_lead", vals), keep_with_next=True))
        body += c.plain(_line(s, with_lead=True) for s in overdue)
    else:
        body.append(Paragraph.of(texts.text(f"{P}.none_overdue", vals)))
    if ongoing:
        body.append(c.numbered("4. Nhiệm vụ thực hiện thường xuyên"))
        body.append(Paragraph.of(texts.text(f"{P}.ongoing_lead", vals), keep_with_next=True))
        body += c.plain(_line(s, with_lead=True) for s in ongoing)
    remarks_key = f"{P}.assessment_late" if overdue else f"{P}.assessment_on_track"
    body.append(c.section("II. ĐÁNH GIÁ CHUNG"))
    body += c.plain(texts.given_or_default(data.remarks, remarks_key, vals))
    body.append(c.section("III. NHIỆM VỤ THỜI GIAN TỚI"))
    body += c.plain(texts.given_or_default(data.next_steps, f"{P}.next_steps", vals))
    body.append(c.section("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
    body += c.plain(texts.given_or_default(data.proposals, f"{P}.proposals", vals))
    body.append(Paragraph.of(texts.text(f"{P}.closing", vals)))

    summary = texts.paragraphs(f"{P}.summary", vals)
    title = c.title(doc, c.REPORT_KIND, summary)
    default = c.own_path(f"{P}.recipients", profile)
    recipients = c.recipients(doc.recipients, default, vals, nhu_tren=True)
    return Document(
        header=c.header(data.unit, doc, data.parent_body, data.as_of.year, profile),
        title=title,
        body=tuple(body),
        signature=c.signature(doc, recipients, profile),
        appendices=(_appendix(data, states, vals),) if items else (),
        subject=" ".join((title.kind.capitalize(), *title.summary)),
        author=profile.full_name,
        created=when,
    )
