"""Database columns: which ones to read, how their values become text.

A column's type decides whether it is read at all: binary, boolean and UUID
columns cannot hold an element as text, and dates only matter as a card's
expiration. Numbers are read like text, because SSNs and account numbers are
stored as INTEGER or NUMERIC; an SSN column's numbers are left-padded to nine
digits, since storing them as numbers drops leading zeros.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from districtguard.pii import keywords as kw
from districtguard.pii.tables import header_hints, value_hints

TEXT, INTEGER, NUMERIC, DATE, SKIP = "text", "integer", "numeric", "date", "skip"
# A number with fewer digits cannot be an SSN (7 digits once zeros are lost),
# account or card number; a plain count or a small key is not worth scanning.
MIN_NUMBER_DIGITS = 7
# Hints that say nothing about an element by themselves.
_WEAK_HINTS = frozenset({kw.DL_ABBR, kw.NEGATIVE})
_INTEGRAL = re.compile(r"(-?\d+)\.0*\Z")
_SEPARATORS = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\x00": " "})


@dataclass(frozen=True, slots=True)
class DbColumn:
    """A reflected column: its name, declared type, and how it is read."""

    name: str
    type: str
    category: str
    skip_reason: str = ""
    length: int | None = None  # declared width of a string column


def categorise(name: str, type_: Any) -> DbColumn:
    """Return the column ``name`` of SQLAlchemy type ``type_``, categorised."""
    label = _type_label(type_)
    # MySQL and MariaDB store BOOLEAN as TINYINT(1).
    boolean = isinstance(type_, sa.Integer) and getattr(type_, "display_width", 0) == 1
    if isinstance(type_, sa.Boolean) or boolean:
        return DbColumn(name, label, SKIP, "boolean")
    if isinstance(type_, sa.Integer):
        return DbColumn(name, label, INTEGER)
    if isinstance(type_, sa.Numeric):  # includes Float
        return DbColumn(name, label, NUMERIC)
    if isinstance(type_, (sa.Date, sa.DateTime)):
        if kw.EXPIRY in header_hints(name):
            return DbColumn(name, label, DATE)
        return DbColumn(name, label, SKIP, "date or time")
    if isinstance(type_, (sa.Time, sa.Interval)):
        return DbColumn(name, label, SKIP, "date or time")
    if isinstance(type_, sa.Uuid):
        return DbColumn(name, label, SKIP, "UUID")
    if isinstance(type_, (sa.LargeBinary, sa.types._Binary)):
        return DbColumn(name, label, SKIP, "binary")
    # Strings, JSON, arrays, enums and types SQLAlchemy does not know.
    length = getattr(type_, "length", None)
    return DbColumn(
        name, label, TEXT, length=length if isinstance(length, int) else None
    )


def _type_label(type_: Any) -> str:
    try:
        return str(type_)
    except Exception:  # some dialect types cannot compile without a dialect
        return type(type_).__name__.upper()


def to_text(value: object, category: str, pad_to: int = 0) -> str:
    """Return ``value`` as the text of one cell, on one line."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = ""
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, (float, Decimal)):
        text = _number_text(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        # A card's expiration is month and year.
        text = f"{value.month:02d}/{value.year % 100:02d}"
    elif isinstance(value, (bytes, bytearray, memoryview)):
        text = ""
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    if category in (INTEGER, NUMERIC):
        match = _INTEGRAL.match(text)
        if match:
            text = match.group(1)
        if pad_to and text.isdigit() and MIN_NUMBER_DIGITS <= len(text) < pad_to:
            text = text.zfill(pad_to)
    return text.translate(_SEPARATORS)


def _number_text(value: float | Decimal) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e17:
        return str(int(value))
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and value == value.to_integral()
    ):
        return str(int(value))
    return str(value)


def column_hints(column: DbColumn, values: Sequence[str]) -> frozenset[str]:
    """Return the hints of a column from its name, else from its sampled values."""
    return header_hints(column.name) or value_hints(values)


def worth_scanning(
    column: DbColumn, hints: frozenset[str], values: Sequence[str]
) -> str:
    """Return ``""`` if the column may hold an element, else why it is left out."""
    if column.category not in (INTEGER, NUMERIC):
        return ""
    if hints - _WEAK_HINTS:
        return ""
    longest = max((sum(c.isdigit() for c in value) for value in values), default=0)
    if longest >= MIN_NUMBER_DIGITS:
        return ""
    return f"numbers shorter than {MIN_NUMBER_DIGITS} digits"
