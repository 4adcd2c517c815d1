"""Why a database cannot be used, in one line an operator can act on: which setting, what is wrong.

The command line checks a URL before it connects (a supported database, its driver installed) and turns a
failure to connect into the same kind of line, instead of a page of traceback. A password is never shown.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from db.engine import async_url

EXAMPLES = "sqlite:///data/securebase.db or postgresql://user:password@host:5432/dbname"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
POSTGRES_DRIVER_MISSING = (
    'PostgreSQL needs the asyncpg driver, which is not installed: pip install "securebase[postgres]" '
    "(requirements.lock includes it)"
)


class DatabaseProblem(Exception):
    """The database named by a setting cannot be used; the message is one line that names the setting."""


def checked_url(url: str, setting: str = "DATABASE_URL") -> URL:
    """The async URL for ``url`` once it names a supported database whose driver is installed."""
    try:
        parsed = async_url(url)
    except ArgumentError:
        raise DatabaseProblem(f"{setting} is not a database URL; use {EXAMPLES}") from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseProblem(f"{setting}: {backend} databases are not supported; use {EXAMPLES}")
    try:
        parsed.get_dialect().import_dbapi()
    except ArgumentError:  # an unknown driver name, such as postgresql+nosuch://
        raise DatabaseProblem(f"{setting}: unknown database driver {parsed.drivername!r}") from None
    except ImportError as exc:
        if parsed.drivername == "postgresql+asyncpg":
            raise DatabaseProblem(f"{setting}: {POSTGRES_DRIVER_MISSING}") from None
        raise DatabaseProblem(
            f"{setting}: the driver for {parsed.drivername} is not installed ({exc.name})"
        ) from None
    return parsed


def shown(url: str) -> str:
    """The URL as it may be printed: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError):
        text = str(exc.orig).strip().splitlines()
        return text[0][:200] if text else type(exc.orig).__name__
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError):
        return exc.strerror or type(exc).__name__
    return type(exc).__name__


def explain(exc: BaseException, url: str, setting: str = "DATABASE_URL") -> DatabaseProblem:
    """One line for a failure to reach or use the database at ``url``."""
    return DatabaseProblem(f"{setting}: cannot use the database at {shown(url)} ({_reason(exc)})")


#: What connecting, migrating or reading can raise when the database (not the code) is at fault.
DATABASE_FAILURES: tuple[type[BaseException], ...] = (SQLAlchemyError, OSError)
