"""The wording of a first draft: what kind of shortcoming a criterion shows, and the tasks
that answer it, in the criterion's own words.

Offices write tasks that fit the criterion: a late report is answered by watching the
reporting calendar, a low survey score by serving people better, a plan not carried out by
following up its tasks. The kind is read from the criterion's title (the words every set
uses: "báo cáo", "ban hành", "trực tuyến", …) or, for survey criteria, from how they are
scored. Texts are :class:`Phrase` objects with English templates; the caller renders them
in Vietnamese, the language of every document.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from .criteria import CriteriaSet, ScoreKind
from .errors import Phrase
from .text import fold


class Kind(StrEnum):
    SURVEY = "survey"  # điều tra xã hội học: the people's view
    REPORT = "report"  # reports sent late or incomplete
    ONLINE = "online"  # online services, digitisation, electronic systems
    PROCEDURES = "procedures"  # administrative procedures (TTHC): time limits, one-stop shop
    ISSUE = "issue"  # a plan, regulation or list to issue on time
    CARRY_OUT = "carry_out"  # a plan or the tasks given, carried out in full
    INSPECTION = "inspection"  # checks, reviews and their follow-up
    DIALOGUE = "dialogue"  # dialogue with citizens, their petitions and complaints
    OUTREACH = "outreach"  # communication, legal education, publicity
    STAFF = "staff"  # officers: positions, appraisal, training, discipline
    FINANCE = "finance"  # budget, public assets, spending rules
    INITIATIVE = "initiative"  # initiatives, innovation
    GENERAL = "general"


# Checked in this order; the first kind whose words the folded title holds wins.
_WORDS: tuple[tuple[Kind, tuple[str, ...]], ...] = (
    (Kind.SURVEY, ("dieu tra xa hoi hoc", "su hai long", "muc do hai long")),
    (Kind.REPORT, ("bao cao",)),
    (Kind.ONLINE, ("truc tuyen", "dich vu cong", "so hoa", "dien tu", "ky so", "chinh quyen so")),
    (Kind.ISSUE, ("ban hanh", "xay dung ke hoach", "danh muc")),
    (Kind.CARRY_OUT, ("muc do thuc hien", "muc do hoan thanh", "thuc hien ke hoach",
                      "nhiem vu", "chi tieu phat trien", "chi tieu ke hoach")),
    (Kind.PROCEDURES, ("tthc", "thu tuc hanh chinh", "mot cua", "tre han", "tre hen",
                       "ho so", "xin loi")),
    (Kind.INSPECTION, ("kiem tra", "thanh tra", "ra soat", "kiem soat")),
    (Kind.DIALOGUE, ("doi thoai", "kien nghi", "phan anh")),
    (Kind.OUTREACH, ("tuyen truyen", "pho bien", "giao duc phap luat", "cong khai")),
    (Kind.STAFF, ("cong chuc", "can bo", "vi tri viec lam", "dao tao", "ky luat", "ky cuong",
                  "tuyen dung")),
    (Kind.FINANCE, ("ngan sach", "tai chinh", "tai san", "kinh phi", "chi tieu noi bo")),
    (Kind.INITIATIVE, ("sang kien", "doi moi", "sang tao", "giai phap moi")),
)  # fmt: skip

# Guidance that tells the clerk how to fill in the self-assessment, not what to achieve.
_FORM_GUIDANCE = ("ke khai", "chon ", "nhap ", "diem ", "cham ", "ubnd xa khong tu cham",
                  "khong tu cham")  # fmt: skip


def kind_of_title(title: str) -> Kind:
    text = fold(title)
    for kind, words in _WORDS:
        if any(word in text for word in words):
            return kind
    return Kind.GENERAL


def kind_of(cset: CriteriaSet, code: str) -> Kind:
    """The kind of shortcoming criterion ``code`` shows when it loses points."""
    if all(ScoreKind.SELF not in leaf.score_kinds for leaf in cset.leaves_under(code)):
        return Kind.SURVEY
    return kind_of_title(cset.node(code).title)


def useful_guidance(text: str) -> str:
    """The set's guidance when it says what to achieve ("Kế hoạch phải xác định …"), or ""
    when it only explains how to fill in the form ("Kê khai số …", "Chọn Không áp dụng …")."""
    text = " ".join(text.split())
    if not text or fold(text).startswith(_FORM_GUIDANCE):
        return ""
    return text


def task(kind: Kind, titles: str) -> Phrase:
    """The task answering shortcomings of ``kind`` in ``titles`` (the criteria's own words)."""
    return _TASKS[kind](titles)


_TASKS: dict[Kind, Callable[[str], Phrase]] = {
    Kind.SURVEY: lambda t: Phrase(
        "Improve the service to citizens and organisations and make the results of the "
        "office's work known, so that the next survey rates better: {titles}.",
        titles=t,
    ),
    Kind.REPORT: lambda t: Phrase(
        "Assign an officer to keep the reporting calendar, so that these reports are sent on "
        "time and with the content required: {titles}.",
        titles=t,
    ),
    Kind.ONLINE: lambda t: Phrase(
        "Guide and help citizens to file online, and keep the records on the electronic "
        "systems complete and up to date: {titles}.",
        titles=t,
    ),
    Kind.PROCEDURES: lambda t: Phrase(
        "Review how administrative procedures are received and settled, remind the officers "
        "in charge of the time limits and make every procedure public: {titles}.",
        titles=t,
    ),
    Kind.ISSUE: lambda t: Phrase(
        "Prepare and issue on time, with the full content the guidance requires: {titles}.",
        titles=t,
    ),
    Kind.CARRY_OUT: lambda t: Phrase(
        "Follow up each task every month so that it is carried out in full and on "
        "schedule: {titles}.",
        titles=t,
    ),
    Kind.INSPECTION: lambda t: Phrase(
        "Plan the checks, carry out every one of them and follow up each issue they find "
        "until it is settled: {titles}.",
        titles=t,
    ),
    Kind.DIALOGUE: lambda t: Phrase(
        "Hold the dialogues when they are due and answer every petition and complaint in "
        "full and on time, keeping the records: {titles}.",
        titles=t,
    ),
    Kind.OUTREACH: lambda t: Phrase(
        "Use more ways of reaching people (meetings, the loudspeaker system, the website, "
        "social networks) and keep a record of each activity: {titles}.",
        titles=t,
    ),
    Kind.STAFF: lambda t: Phrase(
        "Tighten the management and discipline of officers and follow the required steps "
        "and time limits: {titles}.",
        titles=t,
    ),
    Kind.FINANCE: lambda t: Phrase(
        "Manage, use and disclose the budget and public assets as the rules require, and "
        "report on time: {titles}.",
        titles=t,
    ),
    Kind.INITIATIVE: lambda t: Phrase(
        "Encourage officers to propose initiatives and new solutions, and submit them for "
        "recognition: {titles}.",
        titles=t,
    ),
    Kind.GENERAL: lambda t: Phrase(
        "Find out why the points were lost and put it right, with the evidence the criteria "
        "set requires: {titles}.",
        titles=t,
    ),
}


def comment_task(comment: str) -> Phrase:
    return Phrase("Put right what the appraiser noted: “{comment}”.", comment=comment.rstrip("."))


def guidance_task(guidance: str) -> Phrase:
    return Phrase("As the criteria set requires: {guidance}", guidance=guidance)


def keep_up_task(area: str) -> Phrase:
    return Phrase("Keep up the work at full marks in the area “{area}”.", area=area)


def survey_title() -> Phrase:
    return Phrase("Results of the sociological survey")


def other_title() -> Phrase:
    return Phrase("Other content that lost points")


def remainder_task(area: str) -> Phrase:
    return Phrase(
        "Ask the appraiser which content of the area “{area}” the other points were taken off "
        "for, then set out specific measures to put it right.",
        area=area,
    )


Render = Callable[[Phrase], str]
