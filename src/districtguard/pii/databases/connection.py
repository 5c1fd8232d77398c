"""Open a database from a URL without ever showing its password.

Every message this package produces names a database by :func:`mask_url`, and
every error from a driver goes through :func:`describe_error`, which keeps the
driver's words only where they cannot quote data (connecting) and strips the
password from them all the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

PASSWORD_ENV = "DISTRICTGUARD_DATABASE_PASSWORD"  # noqa: S105 (a variable name)
CONNECT_TIMEOUT = 10  # seconds; an unreachable host must not hang a scan

# A bare engine name means the driver this project installs.
_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
    "mssql": "mssql+pymssql",
}
_INSTALL = {"pymssql": "pymssql", "pymysql": "PyMySQL", "psycopg": "psycopg"}
MAX_MESSAGE = 300


class DatabaseUrlError(ValueError):
    """A database URL cannot be understood; the message never repeats it."""


@dataclass(frozen=True, slots=True)
class Target:
    """A database to scan: its URL with credentials, shown only masked."""

    url: URL

    @property
    def masked(self) -> str:
        """Return the URL as every message shows it: password hidden."""
        return mask_url(self.url)

    @property
    def dialect(self) -> str:
        """Return the engine's name: postgresql, mysql, mariadb, sqlite, mssql."""
        return self.url.get_backend_name()

    def __repr__(self) -> str:
        return f"Target({self.masked!r})"

    __str__ = __repr__


def mask_url(url: URL) -> str:
    """Return ``url`` with its password replaced by ``***``."""
    return url.render_as_string(hide_password=True)


def parse_target(
    url: str | URL, *, password: str | None = None, password_env: str = PASSWORD_ENV
) -> Target:
    """Return the target for ``url``, taking a missing password from the environment.

    ``password`` (read by the caller from a secrets file) wins over the
    environment variable; a password in the URL wins over both. PostgreSQL also
    honours libpq's own ``PGPASSWORD`` and ``~/.pgpass``.
    """
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except (sa.exc.ArgumentError, ValueError, TypeError):
        raise DatabaseUrlError(
            "not a database URL: expected a form like "
            "postgresql://user@host/database or sqlite:///path/to/file.db"
        ) from None
    name = parsed.drivername
    if name in _DRIVERS:
        parsed = parsed.set(drivername=_DRIVERS[name])
    if parsed.password is None and parsed.get_backend_name() != "sqlite":
        secret = password if password is not None else os.environ.get(password_env)
        if secret:
            parsed = parsed.set(password=secret)
    return Target(parsed)


def create_engine(target: Target, *, writable: bool = False) -> sa.Engine:
    """Return an engine for ``target``; raise :class:`DatabaseUrlError` if unable.

    Sessions are read-only unless ``writable``: only protection asks for one
    that may write, and only for the batches it rewrites.
    """
    connect_args: dict[str, object] = {}
    dialect = target.dialect
    # A scan only reads: the session refuses writes, whatever the account may do.
    if dialect == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
        if not writable:
            connect_args["options"] = "-c default_transaction_read_only=on"
    elif dialect in ("mysql", "mariadb"):
        connect_args["connect_timeout"] = CONNECT_TIMEOUT
        if not writable:
            connect_args["init_command"] = "SET SESSION TRANSACTION READ ONLY"
    elif dialect == "mssql":
        connect_args["login_timeout"] = CONNECT_TIMEOUT
    try:
        return sa.create_engine(
            target.url, connect_args=connect_args, pool_pre_ping=True
        )
    except sa.exc.NoSuchModuleError:
        raise DatabaseUrlError(
            f"unknown database engine in {target.masked}: use postgresql, mysql, "
            "mariadb, sqlite or mssql"
        ) from None
    except ModuleNotFoundError as exc:
        module = (exc.name or "").split(".")[0]
        package = _INSTALL.get(module, module or "the driver")
        raise DatabaseUrlError(
            f"the driver for {target.masked} is not installed: pip install {package}"
        ) from None


def describe_error(exc: BaseException, target: Target, *, quote: bool) -> str:
    """Return why an operation failed, without data and without the password.

    With ``quote`` the driver's first line is kept (connection errors name the
    host and user, never data); otherwise only the kind of error and its code,
    because a query error can quote the value it choked on.
    """
    orig = driver_error(exc)
    kind = type(orig).__name__
    code = error_code(orig)
    label = f"{kind} {code}" if code else kind
    if not quote:
        return label
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    secret = target.url.password
    if secret:
        text = text.replace(str(secret), "***")
    text = text[:MAX_MESSAGE]
    return f"{text} ({label})" if text else label


def error_code(orig: BaseException) -> str:
    """Return the driver's error code (SQLSTATE or MySQL number), or ``""``."""
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int):
        return str(args[0])
    return ""


def driver_error(exc: BaseException) -> BaseException:
    """Return the driver's own exception behind SQLAlchemy's wrapper."""
    if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None:
        return exc.orig
    return exc
