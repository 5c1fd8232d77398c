"""Assemble records into one text, keeping every label's offsets exact."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tests.corpus import documents, fields, values
from tests.corpus.labels import Label, LabelledText, Negative

PERSON_NAME = "PERSON_NAME"


def template_words(extra: Iterable[str] = ()) -> set[str]:
    """Return the lower-case words the templates use, so no name is also one."""
    texts: list[str] = [
        *documents.NAMED,
        *documents.ANONYMOUS,
        *documents.DECOYS,
        *fields.SSN_KEYWORDS,
        *fields.ITIN_KEYWORDS,
        *fields.DL_KEYWORDS,
        *fields.CARD_KEYWORDS,
        *fields.BRAND_KEYWORDS.values(),
        *fields.CVV_KEYWORDS,
        *fields.EXP_KEYWORDS,
        *fields.ACCOUNT_KEYWORDS,
        *fields.ROUTING_KEYWORDS,
        *fields.POSITIONS,
        *fields.BANKS,
        *fields.VENDORS,
        *fields.BUILDINGS,
        *fields.STREETS,
        *fields.CITIES,
        *fields.MONTHS,
        *fields.CAPS_WORDS,
        *(name for name, _ in values.DL_FORMATS.values()),
        *extra,
    ]
    words = set()
    for text in texts:
        words.update(re.findall(r"[a-z]+", fields.FIELD.sub(" ", text).lower()))
    return words


def finish_record(rendered: fields.Rendered) -> tuple[list[Label], list[Negative]]:
    """Drop name labels from a record with no element; such names are decoys."""
    has_element = any(label.element != PERSON_NAME for label in rendered.labels)
    labels = [
        label
        for label in rendered.labels
        if has_element or label.element != PERSON_NAME
    ]
    negatives = list(rendered.negatives)
    if not has_element:
        negatives.extend(
            Negative(label.start, label.end, "unlinked_name")
            for label in rendered.labels
            if label.element == PERSON_NAME
        )
    return labels, negatives


class TextBuilder:
    """Append records to a text, shifting their labels to absolute offsets."""

    def __init__(self, separator: str) -> None:
        self.separator = separator
        self.parts: list[str] = []
        self.length = 0
        self.labels: list[Label] = []
        self.negatives: list[Negative] = []
        self.records: list[tuple[int, int]] = []
        self.statutory: list[tuple[int, int]] = []

    def add_raw(self, text: str) -> None:
        """Append text that is not a record (a CSV header)."""
        self.parts.append(text)
        self.length += len(text)

    def add_record(
        self, text: str, labels: Iterable[Label], negatives: Iterable[Negative]
    ) -> None:
        """Append one record, separated from the previous one."""
        if self.records:
            self.add_raw(self.separator)
        start = self.length
        self.add_raw(text)
        shifted = [Label(x.start + start, x.end + start, x.element) for x in labels]
        self.labels.extend(shifted)
        self.negatives.extend(
            Negative(x.start + start, x.end + start, x.kind) for x in negatives
        )
        span = (start, self.length)
        self.records.append(span)
        elements = {label.element for label in shifted}
        if PERSON_NAME in elements and len(elements) > 1:
            self.statutory.append(span)

    def build(self, trailer: str = "") -> LabelledText:
        """Return the finished text and its truth."""
        return LabelledText(
            text="".join(self.parts) + trailer,
            labels=tuple(self.labels),
            statutory_records=tuple(self.statutory),
            records=tuple(self.records),
            negatives=tuple(self.negatives),
        )
