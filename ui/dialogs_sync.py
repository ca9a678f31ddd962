"""The dialogs of Đồng bộ: the import plan shown before anything changes, and trusting a
unit card after typing the fingerprint one was told."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.roles import PackageOutcome
from parapp.i18n import _, message, ngettext
from parapp.services import sync_keys
from parapp.services.sync_checks import NotForThisOffice
from parapp.services.sync_words import word
from ui import style
from ui.models.sync_log import ROLES, monospace
from ui.operations import OfficeOp
from ui.widgets.sync_context import grouped
from ui.widgets.wrap_delegate import WrapDelegate, relayout_on_resize

if TYPE_CHECKING:
    from parapp.services.sync_import import ImportPlan, Outcome
    from parapp.services.sync_keys import Card
    from ui.state import AppState

ACTIONS = ("new", "updated", "unchanged", "conflict")
EXPAND_UP_TO = 3  # files whose changes are listed open; more files start folded
GROUP_FROM = 4  # this many plain changes of one kind share a line


def skip_reason(outcome: Outcome) -> NotForThisOffice | None:
    """Why the file was skipped, if it was: the office's own card or package, or a card
    already trusted, found on the stick; not a fault (the command line says "skipped" too),
    nothing in it for this office."""
    return outcome.error if isinstance(outcome.error, NotForThisOffice) else None


def skipped(outcome: Outcome) -> bool:
    return skip_reason(outcome) is not None


def importable(outcome: Outcome) -> bool:
    """Planned without conflicts: what "Nhập" will import."""
    plan = outcome.plan
    return outcome.status == PackageOutcome.PLANNED and plan is not None and not plan.conflicts


def plan_heading(name: str, plan: ImportPlan) -> str:
    sender = f"{plan.sender_name} ({plan.sender_code})" if plan.sender_name else plan.sender_code
    year = _(", year {year}").format(year=plan.year) if plan.year else ""
    return _("{file}: {kind} from {sender}{year}").format(
        file=name, kind=word(plan.kind), sender=sender, year=year
    )


def counts_line(plan: ImportPlan) -> str:
    return " · ".join(f"{plan.count(a)} {word(a)}" for a in ACTIONS)


def change_line(change: Any) -> str:
    text = f"{word(change.action)}: {message(change.what)}"
    if change.reason is not None:
        text += f" — {message(change.reason)}"
    return text


def change_lines(changes: Sequence[Any]) -> list[tuple[str, Any]]:
    """The changes worth reading (not "unchanged"); plain ones of the same kind share a
    line ("mới (50): tiêu chí 1.1, tiêu chí 1.2, …") so a first submission is not 50 lines;
    every change with a reason keeps its own line."""
    groups: dict[tuple[str, str], list[Any]] = {}
    out: list[tuple[str, Any]] = []
    for change in changes:
        if change.action == "unchanged":
            continue
        if change.reason is None:
            key = (change.action, change.what.template)
            if key not in groups:
                groups[key] = []
                out.append(("", key))  # placeholder, filled below in first-seen order
            groups[key].append(change)
        else:
            out.append((change_line(change), change))
    lines = []
    for text, item in out:
        if text:
            lines.append((text, item))
            continue
        group = groups[item]
        if len(group) <= GROUP_FROM - 1:
            lines.extend((change_line(c), c) for c in group)
        else:
            listed = ", ".join(message(c.what) for c in group)
            lines.append((f"{word(group[0].action)} ({len(group)}): {listed}", group[0]))
    return lines


def outcome_line(outcome: Outcome) -> str:
    """One sentence per file, for the summary after importing."""
    name = outcome.path.name
    why = skip_reason(outcome)
    if why is not None:
        return _("{file}: skipped. {reason}").format(file=name, reason=message(why))
    if outcome.status == PackageOutcome.REFUSED:
        return _("{file}: refused. {reason}").format(
            file=name, reason=message(outcome.error) if outcome.error else ""
        )
    if outcome.status == PackageOutcome.ALREADY:
        return _("{file}: already imported, nothing changed.").format(file=name)
    if outcome.status == PackageOutcome.APPLIED:
        return _("{file}: imported.").format(file=name)
    return _("{file}: to be imported.").format(file=name)


class PlanDialog(QDialog):
    """What importing would do, file by file; nothing has changed yet."""

    def __init__(self, parent: QWidget | None, outcomes: Sequence[Outcome]) -> None:
        super().__init__(parent)
        self.outcomes = list(outcomes)
        self.setWindowTitle(_("Check before importing"))
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        ready = [o for o in self.outcomes if importable(o)]
        passed = [o for o in self.outcomes if skipped(o)]
        refused = [o for o in self.outcomes if not skipped(o) and (
            o.status == PackageOutcome.REFUSED
            or (o.status == PackageOutcome.PLANNED and not importable(o)))]
        already = [o for o in self.outcomes if o.status == PackageOutcome.ALREADY]
        intro = QLabel(
            _("Nothing has been changed yet. This is what importing would do:")
            if ready
            else _("There is nothing to import:")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = QLabel(
            " ".join(
                part
                for part in (
                    ngettext("{n} file will be imported.", "{n} files will be imported.",
                             len(ready)).format(n=len(ready)) if ready else "",
                    ngettext("{n} file was imported before.", "{n} files were imported before.",
                             len(already)).format(n=len(already)) if already else "",
                    ngettext("{n} file is refused.", "{n} files are refused.",
                             len(refused)).format(n=len(refused)) if refused else "",
                    ngettext("{n} file is skipped: nothing in it is for this office.",
                             "{n} files are skipped: nothing in them is for this office.",
                             len(passed)).format(n=len(passed)) if passed else "",
                )
                if part
            )
        )
        self.summary.setWordWrap(True)
        self.summary.setFont(style.scaled(self.summary.font(), 1.05, bold=True))
        style.room_for_marks(self.summary)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(WrapDelegate(self.tree, [0]))
        relayout_on_resize(self.tree)
        layout.addWidget(self.tree, 1)
        for outcome in self.outcomes:
            self._add(outcome)
        if refused:
            note = QLabel(
                _("Refused files change nothing. Ask the sender for a new file if needed.")
            )
            note.setWordWrap(True)
            note.setStyleSheet(f"color: {style.MUTED_TEXT.name()};")
            layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.import_button: QPushButton | None = None
        if ready:
            self.import_button = buttons.addButton(
                _("Import"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        else:
            buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def ready(self) -> list[Outcome]:
        return [o for o in self.outcomes if importable(o)]

    def texts(self) -> list[str]:
        """Every line of the tree, top to bottom (what a test reads)."""
        out: list[str] = []

        def walk(item: QTreeWidgetItem | None) -> None:
            if item is None:
                return
            out.append(item.text(0))
            for k in range(item.childCount()):
                walk(item.child(k))

        for k in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(k))
        return out

    def _add(self, outcome: Outcome) -> None:
        item = QTreeWidgetItem(self.tree)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        item.setFont(0, bold)
        name = outcome.path.name
        item.setToolTip(0, str(outcome.path))
        plan = outcome.plan
        why = skip_reason(outcome)
        if why is not None:
            item.setText(0, _("{file}: skipped").format(file=name))
            item.setForeground(0, QBrush(style.MUTED_TEXT))
            reason = QTreeWidgetItem(item, [message(why)])
            reason.setForeground(0, QBrush(style.MUTED_TEXT))
            item.setExpanded(True)
            return
        if outcome.status == PackageOutcome.REFUSED or plan is None:
            item.setText(0, _("{file}: refused").format(file=name))
            item.setForeground(0, QBrush(style.ERROR_TEXT))
            reason = QTreeWidgetItem(item, [message(outcome.error) if outcome.error else ""])
            reason.setForeground(0, QBrush(style.ERROR_TEXT))
            item.setExpanded(True)
            return
        if outcome.status == PackageOutcome.ALREADY:
            already = _("Already imported: nothing changes.")
            item.setText(0, f"{plan_heading(name, plan)}\n{already}")
            item.setForeground(0, QBrush(style.MUTED_TEXT))
            return
        lines = [plan_heading(name, plan), counts_line(plan)]
        if plan.conflicts:
            lines.append(_("Conflict: this file will not be imported."))
            item.setForeground(0, QBrush(style.ERROR_TEXT))
        item.setText(0, "\n".join(lines))
        for text, change in change_lines(plan.changes):
            child = QTreeWidgetItem(item, [text])
            if change.action == "conflict":
                child.setForeground(0, QBrush(style.ERROR_TEXT))
            elif change.reason is not None:
                child.setForeground(0, QBrush(style.LOST_TEXT))
        item.setExpanded(len(self.outcomes) <= EXPAND_UP_TO)


class TrustCardDialog(QDialog):
    """Shows a unit card and trusts it only with the fingerprint the user types."""

    def __init__(
        self, parent: QWidget | None, state: AppState, path: Path, card: Card
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.path = path
        self.card = card
        self.trusted: Card | None = None
        self.setWindowTitle(_("Trust a unit card"))
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACING)
        intro = QLabel(
            _(
                "Trust this card only if the fingerprint the sender told you (by phone, or "
                "printed on their transfer slip) is the same as the card's. Type it below."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setHorizontalSpacing(2 * style.SPACING)
        unit = QLabel(f"{card.unit.name} ({card.unit.code})")
        unit.setFont(style.scaled(unit.font(), 1.05, bold=True))
        style.room_for_marks(unit)
        form.addRow(_("Unit:"), unit)
        role = ROLES.get(card.role)
        form.addRow(_("Role:"), QLabel(_(role) if role else card.role))
        form.addRow(_("File:"), QLabel(path.name))
        shown = QLabel(grouped(card.fingerprint, 8))
        shown.setFont(monospace())
        form.addRow(_("Fingerprint of the card:"), shown)
        self.typed = QLineEdit()
        self.typed.setFont(monospace())
        self.typed.setPlaceholderText("XXXX XXXX XXXX …")
        # Room for the 79 characters of a fingerprint typed with its spaces.
        self.typed.setMinimumWidth(82 * self.typed.fontMetrics().horizontalAdvance("0"))
        self.typed.textChanged.connect(self._typed_changed)
        form.addRow(_("Fingerprint you were told:"), self.typed)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {style.ERROR_TEXT.name()};")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        self.trust_button = buttons.addButton(
            _("Trust this card"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.trust)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._typed_changed()

    def _digits(self) -> int:
        return sum(1 for ch in self.typed.text() if ch.isalnum())

    def _typed_changed(self) -> None:
        self.trust_button.setEnabled(self._digits() >= 64)
        self.problem.hide()

    def trust(self) -> None:
        db = self.state.db
        if db is None:
            return
        typed, path = self.typed.text(), self.path

        def job(office: Any) -> Card:
            return sync_keys.trust_card(office, path, typed)

        self.trust_button.setEnabled(False)
        OfficeOp(self.state, job).success(self._trusted).failure(self._refused).run()

    def _trusted(self, card: Card) -> None:
        self.trusted = card
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.trust_button.setEnabled(True)
        self.problem.setText(message(exc))
        self.problem.show()
