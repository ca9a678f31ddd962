"""Settings' "Máy chủ (hub)": the council's server the window opens at its next start.

The fields are only collected here; parapp.services.hub_connection builds the URL, tests
the connection and keeps a typed password in the system's keyring. The preferences get the
URL without a password (ui.preferences.save_server).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.domain.errors import DomainError
from parapp.i18n import _, message
from parapp.services import hub_connection
from parapp.services.paths import default_data_dir
from ui import preferences, style
from ui.state import AppState


class ServerPanel(QWidget):
    status_message = Signal(str)
    checked = Signal(bool)  # a connection test ended: did it connect

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.data_dir = default_data_dir()  # a test puts its own folder here
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.host = QLineEdit()
        self.host.setPlaceholderText(_("e.g. hub.snv.langson.gov.vn"))
        self.port = QLineEdit()
        self.port.setPlaceholderText("5432")
        self.port.setMaximumWidth(90)
        self.database = QLineEdit()
        self.database.setPlaceholderText("parapp")
        self.login = QLineEdit()
        self.login.setPlaceholderText(_("e.g. tv_tuphap"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("Leave empty to use the pgpass file"))
        form.addRow(_("Server:"), self.host)
        form.addRow(_("Port:"), self.port)
        form.addRow(_("Database:"), self.database)
        form.addRow(_("Login:"), self.login)
        form.addRow(_("Password:"), self.password)
        layout.addLayout(form)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        row = QHBoxLayout()
        self.test_button = QPushButton(_("Test the connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setToolTip(_("The program opens this server the next time it starts."))
        self.save_button.clicked.connect(self.save)
        self.forget_button = QPushButton(_("Use the file on this computer"))
        self.forget_button.setToolTip(
            _("The next start opens the database file on this computer again.")
        )
        self.forget_button.clicked.connect(self.forget)
        for button in (self.test_button, self.save_button, self.forget_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        keyring_note = (
            _("A typed password is kept in the system's keyring.")
            if hub_connection.keyring_available()
            else _(
                "This computer has no keyring: a typed password is used for the test only; "
                "keep it in the pgpass file (docs/hub.md)."
            )
        )
        self.keyring_note = QLabel(keyring_note)
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: #5f6b7a;")
        layout.addWidget(self.keyring_note)
        self.load()

    def load(self) -> None:
        saved = preferences.saved_server(self.data_dir)
        conn = hub_connection.parse(saved) if saved else None
        self.forget_button.setEnabled(conn is not None)
        if conn is None:
            return
        self.host.setText(conn.host)
        self.port.setText(str(conn.port or ""))
        self.database.setText(conn.database)
        self.login.setText(conn.login)

    def _connection(self) -> hub_connection.ServerConnection | None:
        try:
            return hub_connection.connection(self.host.text(), self.port.text(),
                                             self.database.text(), self.login.text())
        except DomainError as exc:
            self._show(message(exc), ok=False)
            return None

    def _show(self, text: str, *, ok: bool) -> None:
        color = style.ERROR_TEXT.name() if not ok else "#1b6e3a"
        self.result.setStyleSheet(f"color: {color};")
        self.result.setText(text)

    def test_connection(self) -> None:
        conn = self._connection()
        if conn is None:
            return
        password = self.password.text()
        self.test_button.setEnabled(False)
        self._show(_("Connecting…"), ok=True)
        self.state.tasks.run(lambda: hub_connection.check(conn, password),
                             self._tested, self._test_failed)

    def _tested(self, checked: hub_connection.Checked) -> None:
        self.test_button.setEnabled(True)
        text = (_("Connected: PostgreSQL {version}, a parapp database.")
                if checked.parapp_database
                else _("Connected: PostgreSQL {version}; the database is empty (run "
                       "'parapp init' on it first)."))
        self._show(text.format(version=checked.server_version), ok=True)
        self.checked.emit(True)

    def _test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._show(message(exc), ok=False)
        self.checked.emit(False)

    def save(self) -> None:
        conn = self._connection()
        if conn is None:
            return
        password = self.password.text()
        kept = ""
        if password:
            try:
                hub_connection.remember_password(conn, password)
                kept = " " + _("The password is in the system's keyring.")
            except DomainError as exc:
                kept = " " + message(exc)
        try:
            preferences.save_server(self.data_dir, conn.url())
        except OSError as exc:
            self._show(_("The connection could not be saved: {reason}").format(
                reason=exc.strerror or exc), ok=False)
            return
        self.password.clear()
        self.forget_button.setEnabled(True)
        self._show(_("Saved: the program opens this server the next time it starts.") + kept,
                   ok=True)
        self.status_message.emit(self.result.text())

    def forget(self) -> None:
        try:
            preferences.save_server(self.data_dir, None)
        except OSError as exc:
            self._show(str(exc.strerror or exc), ok=False)
            return
        self.forget_button.setEnabled(False)
        self._show(_("The next start opens the database file on this computer."), ok=True)
