"""Scan databases (PostgreSQL, MySQL/MariaDB, SQLite, SQL Server) for statutory PII.

``scan_database(url, options)`` reflects the tables, reads a bounded sample of
each and runs the detector over the rows; ``docs/databases.md`` explains it to
users.
"""

from __future__ import annotations

from districtguard.pii.databases.connection import (
    PASSWORD_ENV,
    DatabaseUrlError,
    Target,
    mask_url,
    parse_target,
)
from districtguard.pii.databases.results import (
    ColumnReport,
    DatabaseResult,
    Progress,
    TableResult,
)
from districtguard.pii.databases.scan import scan_database

__all__ = [
    "PASSWORD_ENV",
    "ColumnReport",
    "DatabaseResult",
    "DatabaseUrlError",
    "Progress",
    "TableResult",
    "Target",
    "mask_url",
    "parse_target",
    "scan_database",
]
