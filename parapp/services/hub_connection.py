"""A saved connection to the council's server (issue 18, docs/hub.md): the fields the
window's Settings collect, the URL built from them (never with a password), the connection
test, and the password kept in the system's keyring.

Credentials follow libpq's conventions first (.pgpass, service files, PG* variables); a
password typed in the window goes to the system's keyring through the ``keyring`` library,
and is put into the URL only in this process, when the window opens the server. It is never
written to the preferences, the database or the logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from db.location import is_server_url, mask_url, server_path
from parapp.domain.text import clean

from .common import ServiceError

KEYRING_SERVICE = "parapp"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5  # a test of an unreachable server answers within seconds


@dataclass(frozen=True)
class ServerConnection:
    host: str
    port: int | None
    database: str
    login: str

    def url(self) -> str:
        """The URL without any password. A host starting with "/" is a socket folder,
        given to libpq as ``?host=`` (a URL's host part cannot hold a path)."""
        user = quote(self.login, safe="") + "@" if self.login else ""
        query: dict[str, str] = {}
        netloc = user
        if self.host.startswith("/"):
            query["host"] = self.host
            if self.port:
                query["port"] = str(self.port)
        else:
            netloc += self.host + (f":{self.port}" if self.port else "")
        tail = "?" + urlencode(query, safe="/") if query else ""
        return f"postgresql://{netloc}/{quote(self.database, safe='')}{tail}"


@dataclass(frozen=True)
class Checked:
    url: str  # masked
    server_version: str
    parapp_database: bool  # False: an empty database, made by 'parapp init'


def connection(host: str, port: str, database: str, login: str) -> ServerConnection:
    """The fields as typed; one sentence for what is missing or wrong."""
    host, database, login, port = clean(host), clean(database), clean(login), clean(port)
    if not host:
        raise ServiceError("Give the server's address (its name or IP address).")
    if not database:
        raise ServiceError("Give the name of the database on the server.")
    number: int | None = None
    if port:
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ServiceError("'{port}' is not a port: a number from 1 to 65535.", port=port)
        number = int(port)
    return ServerConnection(host, number, database, login)


def parse(url: str) -> ServerConnection | None:
    """The fields of a saved URL (None if it is not a server's)."""
    if not is_server_url(url):
        return None
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = parts.hostname or (query.get("host") or [""])[0]
    port = parts.port or int((query.get("port") or ["0"])[0] or 0) or None
    database = unquote(parts.path.lstrip("/")) or (query.get("dbname") or [""])[0]
    return ServerConnection(host, port, database, unquote(parts.username or ""))


def _with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    user = quote(unquote(parts.username or ""), safe="")
    return parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}").geturl()


def check(conn: ServerConnection, password: str = "") -> Checked:
    """Connect once (the password typed, else the keyring's, else libpq's own) and say
    what the server holds; one sentence, the password masked, when it cannot."""
    from sqlalchemy.exc import SQLAlchemyError  # deferred with the ORM

    from db.engine import make_engine

    url = conn.url()
    password = password or stored_password(conn) or ""
    full = _with_password(url, password) if password else url
    sep = "&" if "?" in full else "?"
    # Without the psycopg driver: make_engine's own sentence (a DomainError).
    engine = make_engine(server_path(f"{full}{sep}connect_timeout={CONNECT_TIMEOUT_S}"))
    try:
        with engine.connect() as c:
            version = str(c.exec_driver_sql("SHOW server_version").scalar())
            found = c.exec_driver_sql("SELECT to_regclass('alembic_version') IS NOT NULL").scalar()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        if password:
            reason = reason.replace(password, "***")
        raise ServiceError("Cannot connect to {url}: {reason}", url=mask_url(url),
                           reason=reason) from None
    finally:
        engine.dispose()
    return Checked(mask_url(url), version.split()[0], bool(found))


# -- the system's keyring ----------------------------------------------------------------
def _keyring() -> ModuleType | None:
    """The keyring module when a usable backend is there, else None (no library, or only
    its 'fail' or 'null' backend, as on a Linux PC without a secret service)."""
    try:
        import keyring
        from keyring.backends import fail, null
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration: as if there were none
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    return keyring


def keyring_available() -> bool:
    return _keyring() is not None


def _key(conn: ServerConnection) -> str:
    return f"{KEYRING_SERVICE}:{conn.url()}"


def remember_password(conn: ServerConnection, password: str) -> None:
    """Keep ``password`` for this server and login in the system's keyring."""
    keyring = _keyring()
    if keyring is None:
        raise ServiceError(
            "This computer has no keyring to keep the password: put it in the pgpass file "
            "(docs/hub.md) instead."
        )
    try:
        keyring.set_password(_key(conn), conn.login, password)
    except Exception as exc:  # the keyring's own errors (locked, refused)
        raise ServiceError("The keyring did not keep the password: {reason}",
                           reason=str(exc) or type(exc).__name__) from None


def stored_password(conn: ServerConnection) -> str | None:
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(_key(conn), conn.login)
    except Exception:  # a locked keyring: libpq's own conventions still apply
        return None


def opening_url(url: str) -> str:
    """The URL to open a saved server with: the keyring's password added, in this process
    only, when the URL has none (else the URL unchanged, for libpq's .pgpass)."""
    conn = parse(url)
    if conn is None or urlsplit(url).password is not None:
        return url
    password = stored_password(conn)
    return _with_password(url, password) if password else url
