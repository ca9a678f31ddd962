"""The fixed parts of page 1 and of the end: header (cells 1-4), title (cell 5a), and the
recipients and signer block (cells 7, 9b)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, TableStyle
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from parapp.printing import nd30
from parapp.printing.fonts import BOLD, REGULAR, text_width
from parapp.printing.model import Align, Header, Signature, Title
from parapp.printing.pdf.flowables import Rule
from parapp.printing.pdf.styles import (
    AUTHORITY_LEADING,
    AUTHORITY_SIZE,
    HEADER_LEADING,
    HEADER_SIZE,
    LEFT_SHARE,
    MOTTO_SIZE,
    RECIPIENT_LEADING,
    RECIPIENT_SIZE,
    RECIPIENTS_LABEL_LEADING,
    RECIPIENTS_LABEL_SIZE,
    SIGNING_SPACE,
    TITLE_LEADING,
    TITLE_SIZE,
    markup,
    nfc,
    style,
)

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"

ISSUER_RULE_SHARE = 0.4  # of the widest issuing-body line (ND30: 1/3 to 1/2)
RULE_GAP = 3.5  # from the bottom of a line box (leading - size under the baseline) to its rule
NUMBER_ROW_GAP = 8.0  # between the rules of the header and the number / date row
TITLE_BEFORE = 20.0  # between the number / date row and "KẾ HOẠCH"
TITLE_AFTER = 15.0  # between the rule under the summary and the body
SIGNATURE_BEFORE = 14.0  # between the body and the signature block
_BORDERLESS = [
    ("FONTNAME", (0, 0), (-1, -1), REGULAR),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def _columns(width: float) -> list[float]:
    left = width * LEFT_SHARE
    return [left, width - left]


def _centred(
    text: str, size: float, leading: float, *, bold: bool = False, italic: bool = False
) -> RLParagraph:
    return RLParagraph(
        markup(text), style(size, leading, bold=bold, italic=italic, align=Align.CENTER)
    )


def header_flowables(header: Header, width: float) -> list[Flowable]:
    """Two columns: issuer left, nation and motto right, each with its rule; then the number
    and the place-and-date line on one baseline (same size and leading, cells aligned top)."""
    left_width = _columns(width)[0]
    left: list[Flowable] = []
    if header.parent_body.strip():
        left.append(_centred(nfc(header.parent_body).upper(), HEADER_SIZE, HEADER_LEADING))
    issuer = [nfc(line).strip().upper() for line in header.issuing_body if line.strip()]
    left += [_centred(line, HEADER_SIZE, HEADER_LEADING, bold=True) for line in issuer]
    if issuer:
        widest = max(text_width(line, BOLD, HEADER_SIZE) for line in issuer)
        left.append(Rule(min(widest, left_width) * ISSUER_RULE_SHARE, above=RULE_GAP))
    # the smaller nation line is set 1 pt lower (a paragraph's first baseline is one font
    # size down) with 1 pt less leading: baselines and rules level with the left column
    offset = HEADER_SIZE - MOTTO_SIZE
    right: list[Flowable] = [
        Spacer(0, offset),
        _centred(NATION, MOTTO_SIZE, HEADER_LEADING - offset, bold=True),
        _centred(MOTTO, HEADER_SIZE, HEADER_LEADING, bold=True),
        Rule(text_width(MOTTO, BOLD, HEADER_SIZE), above=RULE_GAP),
    ]
    number = nd30.number_line(header.number, header.symbol)
    place_date = nd30.date_line(header.place, header.date, header.draft_year, header.draft_month)
    table = RLTable(
        [
            [left, right],
            [
                _centred(number, HEADER_SIZE, HEADER_LEADING),
                _centred(place_date, HEADER_SIZE, HEADER_LEADING, italic=True),
            ],
        ],
        colWidths=_columns(width),
        style=TableStyle([*_BORDERLESS, ("TOPPADDING", (0, 1), (-1, 1), NUMBER_ROW_GAP)]),
    )
    return [table]


def title_flowables(title: Title, width: float) -> list[Flowable]:
    """ "KẾ HOẠCH", the summary lines under it, and a rule under the summary."""
    kind = RLParagraph(
        markup(nfc(title.kind).upper()),
        style(TITLE_SIZE, TITLE_LEADING, bold=True, align=Align.CENTER, before=TITLE_BEFORE),
    )
    lines = [nfc(line).strip() for line in title.summary if line.strip()]
    out: list[Flowable] = [kind]
    out += [_centred(line, TITLE_SIZE, TITLE_LEADING, bold=True) for line in lines]
    widest = max((text_width(line, BOLD, TITLE_SIZE) for line in lines), default=0.0)
    widest = min(widest, width) or text_width(title.kind, BOLD, TITLE_SIZE)
    out.append(Rule(title_rule_length(widest, width), above=RULE_GAP, space_after=TITLE_AFTER))
    return out


def title_rule_length(line: float, width: float) -> float:
    """A third of the text width, kept within 1/3-1/2 of the summary line (ND30)."""
    return max(line / 3, min(width / 3, line / 2))


def signature_flowable(signature: Signature, width: float) -> Flowable:
    """Recipients left, signer right, in one row that never breaks across pages."""
    left: list[Flowable] = []
    if signature.recipients:
        label = style(RECIPIENTS_LABEL_SIZE, RECIPIENTS_LABEL_LEADING, bold=True, italic=True)
        left.append(RLParagraph(markup(RECIPIENTS_LABEL), label))
        entry = style(RECIPIENT_SIZE, RECIPIENT_LEADING)
        left += [RLParagraph(markup(line), entry) for line in signature.recipients]
    right: list[Flowable] = [
        _centred(nfc(line).upper(), AUTHORITY_SIZE, AUTHORITY_LEADING, bold=True)
        for line in signature.authority
        if line.strip()
    ]
    right.append(Spacer(0, SIGNING_SPACE))
    if signature.name.strip():
        right.append(_centred(signature.name, AUTHORITY_SIZE, AUTHORITY_LEADING, bold=True))
    table = RLTable(
        [[left, right]],
        colWidths=_columns(width),
        style=TableStyle(
            [
                *_BORDERLESS,
                # first baselines level: a paragraph's first baseline is one font size down
                ("TOPPADDING", (0, 0), (0, 0), AUTHORITY_SIZE - RECIPIENTS_LABEL_SIZE),
            ]
        ),
        spaceBefore=SIGNATURE_BEFORE,
    )
    return table
