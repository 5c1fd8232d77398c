"""Scan databases (PostgreSQL, MySQL/MariaDB, SQLite, SQL Server) for statutory PII.

``scan_database(url, options)`` reflects the tables, reads a bounded sample of
each and runs the detector over the rows; ``protect_database`` redacts or
encrypts what it finds in place, every row, and ``unprotect_database`` restores
encrypted values. ``docs/databases.md`` explains them to users.
"""

from __future__ import annotations

from districtguard.pii.databases.connection import (
    PASSWORD_ENV,
    DatabaseUrlError,
    Target,
    mask_url,
    parse_target,
)
from districtguard.pii.databases.outcomes import DatabaseProtection, TableProtection
from districtguard.pii.databases.protect import protect_database
from districtguard.pii.databases.results import (
    ColumnReport,
    DatabaseResult,
    Progress,
    TableResult,
)
from districtguard.pii.databases.scan import scan_database
from districtguard.pii.databases.unprotect import unprotect_database

__all__ = [
    "PASSWORD_ENV",
    "ColumnReport",
    "DatabaseProtection",
    "DatabaseResult",
    "DatabaseUrlError",
    "Progress",
    "TableProtection",
    "TableResult",
    "Target",
    "mask_url",
    "parse_target",
    "protect_database",
    "scan_database",
    "unprotect_database",
]
