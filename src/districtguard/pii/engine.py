"""The detector: candidates, validation, context, names and linking over a unit.

The pipeline, in order (``docs/detection.md`` explains each step to users):

1. prefilter the text for regions that may hold an element (``candidates``);
2. find keywords around those regions only (``keywords``);
3. find candidates in the regions, plus licence-shaped tokens after licence
   keywords and in licence columns;
4. judge each candidate by its validators and nearest labels (``resolve``);
5. look for security codes and expiration dates beside each card;
6. look for names in each record that holds an element;
7. link: a record holding a name and a statutory element is statutory.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Iterator
from typing import Final

from districtguard.pii import keywords as kw
from districtguard.pii.allocator import prepare_for_scanning
from districtguard.pii.candidates import (
    Candidate,
    Prefilter,
    expand,
    find_candidates,
    prefilter,
)
from districtguard.pii.context import UnitContext
from districtguard.pii.documents.base import TextUnit
from districtguard.pii.elements import Element
from districtguard.pii.elements.card_codes import (
    CARD_REACH,
    CODE_AFTER_KEYWORD,
    CODE_CELL,
    EXPIRY_AFTER_KEYWORD,
    EXPIRY_CELL,
    KEYWORD_REACH,
    mask_code,
    plausible_expiry,
)
from districtguard.pii.elements.driver_license import (
    LICENSE_TOKEN_RE,
    mask_license,
    states_matching,
)
from districtguard.pii.elements.person_name import (
    find_names,
    mask_name,
    may_hold_name,
    normalise_name,
    split_name_cell,
)
from districtguard.pii.findings import Finding
from districtguard.pii.fingerprint import fingerprint
from districtguard.pii.masking import mask_tail
from districtguard.pii.options import DetectOptions
from districtguard.pii.protected import ProtectedCounts, count_protected
from districtguard.pii.protection.tokens import token_spans
from districtguard.pii.resolve import resolve
from districtguard.pii.tables import FIRST_NAME, NAME_HINTS

LICENSE_AFTER_KEYWORD: Final = 48


class Detection:
    """A judged element in a unit, before it becomes a :class:`Finding`.

    A plain class rather than a dataclass: the compiled build compiles its
    ``__init__``, where a dataclass's generated one stays Python code.
    """

    __slots__ = (
        "confidence",
        "element",
        "end",
        "kind",
        "masked",
        "normalised",
        "record",
        "start",
        "statutory",
    )

    def __init__(
        self,
        start: int,
        end: int,
        element: Element,
        kind: str,
        confidence: float,
        masked: str,
        normalised: str,
        record: int,
    ) -> None:
        self.start = start
        self.end = end
        self.element = element
        self.kind = kind
        self.confidence = confidence
        self.masked = masked
        self.normalised = normalised
        self.record = record
        self.statutory = False


def _first_license(text: str, low: int, high: int) -> Candidate | None:
    """Return the first token in ``text[low:high]`` that some state could issue.

    Not just the first licence-shaped token: New York's eight-letter numbers make
    any capitalised word licence-shaped ("DRIVER LICENSE OKLAHOMA D482917503").
    """
    for match in LICENSE_TOKEN_RE.finditer(text, low, high):
        if states_matching(match.group()):
            return Candidate(match.start(), match.end(), "license", match.group())
    return None


def _license_candidates(ctx: UnitContext) -> list[Candidate]:
    """Return licence-shaped tokens right after licence keywords and in DL columns."""
    found: list[Candidate] = []
    for hit in ctx.keywords.hits:
        if hit.group in (kw.DL, kw.DL_ABBR):
            end = hit.end + LICENSE_AFTER_KEYWORD
            candidate = _first_license(ctx.text, hit.end, end)
            if candidate is not None:
                found.append(candidate)
    if any(kw.DL in column.hints for column in ctx.unit.columns):
        for index in ctx.cell_range(0, len(ctx.text)):
            if kw.DL in ctx.cell_hints(index):
                candidate = _first_license(ctx.text, *ctx.cell_span(index))
                if candidate is not None:
                    found.append(candidate)
    return found


def _outside_tokens(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Drop candidates inside protection tokens: a token is protected, not found."""
    spans = token_spans(text)
    if not spans:
        return candidates
    starts = [start for start, _ in spans]
    kept = []
    for candidate in candidates:
        i = bisect_left(starts, candidate.end) - 1
        if i < 0 or spans[i][1] <= candidate.start:
            kept.append(candidate)
    return kept


def _mask(element: Element, raw: str) -> str:
    if element in (Element.CARD_SECURITY_CODE, Element.CARD_EXPIRATION):
        return mask_code(raw)
    if element is Element.DRIVER_LICENSE:
        return mask_license(raw)
    return mask_tail(raw)


def _judge(
    ctx: UnitContext, options: DetectOptions, candidates: list[Candidate]
) -> list[Detection]:
    unit = ctx.unit
    own_end = len(unit.text) if unit.own_end is None else unit.own_end
    taken_until = -1
    detections: list[Detection] = []
    judged = (-1, -1)  # the span of the last bare digit run judged
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if not unit.own_start <= candidate.start < own_end:
            continue
        if candidate.start < taken_until:
            continue
        span = (candidate.start, candidate.end)
        if candidate.shape == "license" and span == judged:
            # A digit run after a licence keyword was judged already with
            # every reading, the licence one included: nothing it could be.
            continue
        if candidate.shape == "digits":
            judged = span
        record = ctx.record_index(candidate.start)
        verdict = resolve(candidate, ctx, record, options)
        if verdict is None:
            continue
        taken_until = candidate.end
        detections.append(
            Detection(
                candidate.start,
                candidate.end,
                verdict.element,
                verdict.kind,
                verdict.confidence,
                _mask(verdict.element, candidate.text),
                verdict.normalised,
                record,
            )
        )
    return detections


def _expiry_norm(month: str, year: str) -> str:
    return f"{int(month):02d}/{year[-2:]}"


def _card_codes(ctx: UnitContext, cards: list[Detection]) -> list[Detection]:
    """Return security codes and expiration dates that belong to ``cards``."""
    found: dict[tuple[int, int], Detection] = {}
    text = ctx.text
    code_columns = ctx.columns_hinted({kw.CVV, kw.EXPIRY})

    def add(
        span: tuple[int, int], element: Element, conf: float, norm: str, card: Detection
    ) -> None:
        kind = "cvv" if element is Element.CARD_SECURITY_CODE else "expiry"
        masked = mask_code(text[span[0] : span[1]])
        found.setdefault(
            span, Detection(*span, element, kind, conf, masked, norm, card.record)
        )

    for card in cards:
        low, high = ctx.scope(card.record, card.start, card.end)
        for hit in ctx.keywords.between(low, high):
            reach = min(high, hit.end + KEYWORD_REACH)
            if hit.group == kw.CVV:
                m = CODE_AFTER_KEYWORD.match(text, hit.end, reach)
                if m is not None:
                    add(m.span(1), Element.CARD_SECURITY_CODE, 0.85, m.group(1), card)
            elif hit.group == kw.EXPIRY:
                m = EXPIRY_AFTER_KEYWORD.match(text, hit.end, reach)
                if m is not None and plausible_expiry(m.group(1), m.group(2)):
                    norm = _expiry_norm(m.group(1), m.group(2))
                    add(
                        (m.start(1), m.end(2)),
                        Element.CARD_EXPIRATION,
                        0.85,
                        norm,
                        card,
                    )
        # "4111 1111 1111 1111 04/28": a date right after the number is its expiry.
        m = EXPIRY_AFTER_KEYWORD.match(text, card.end, min(high, card.end + CARD_REACH))
        if m is not None and plausible_expiry(m.group(1), m.group(2)):
            norm = _expiry_norm(m.group(1), m.group(2))
            add((m.start(1), m.end(2)), Element.CARD_EXPIRATION, 0.7, norm, card)
        for index in ctx.cell_range(low, high) if code_columns else ():
            hints = ctx.cell_hints(index)
            cell_start, cell_end = ctx.cell_span(index)
            if kw.CVV in hints and (m := CODE_CELL.match(text, cell_start, cell_end)):
                add(m.span(1), Element.CARD_SECURITY_CODE, 0.85, m.group(1), card)
            m = (
                EXPIRY_CELL.match(text, cell_start, cell_end)
                if kw.EXPIRY in hints
                else None
            )
            if m is not None and plausible_expiry(m.group(1), m.group(2)):
                norm = _expiry_norm(m.group(1), m.group(2))
                add((m.start(1), m.end(2)), Element.CARD_EXPIRATION, 0.85, norm, card)
    return list(found.values())


def _scopes(
    ctx: UnitContext, detections: list[Detection]
) -> list[tuple[int, int, int]]:
    """Return (record, low, high) spans to search for names, overlaps merged."""
    found: set[tuple[int, int, int]] = set()
    whole: set[int] = set()  # records whose whole span is a scope already
    for d in detections:
        if d.record in whole:
            continue  # any scope inside the record merges into it
        low, high = ctx.scope(d.record, d.start, d.end)
        if (low, high) == ctx.record_span(d.record):
            whole.add(d.record)
        found.add((d.record, low, high))
    spans = sorted(found)
    merged: list[tuple[int, int, int]] = []
    for record, low, high in spans:
        if merged and merged[-1][0] == record and low <= merged[-1][2]:
            merged[-1] = (record, merged[-1][1], max(high, merged[-1][2]))
        else:
            merged.append((record, low, high))
    return merged


def _name_detection(
    span: tuple[int, int], first: str, last: str, conf: float, record: int
) -> Detection:
    return Detection(
        *span,
        Element.PERSON_NAME,
        "name",
        conf,
        mask_name(first, last),
        normalise_name(first, last),
        record,
    )


def _gaps(
    low: int, high: int, taken: list[tuple[int, int]]
) -> Iterator[tuple[int, int]]:
    """Yield the stretches of ``[low, high)`` outside the ``taken`` spans
    (sorted, not overlapping)."""
    for start, end in taken:
        if low < start:
            yield low, start
        low = max(low, end)
    if low < high:
        yield low, high


def _names(ctx: UnitContext, detections: list[Detection]) -> list[Detection]:
    """Return names in name columns and in the text around each detection."""
    found: list[Detection] = []
    for record, low, high in _scopes(ctx, detections):
        taken: list[tuple[int, int]] = []
        for index in ctx.cell_range(low, high):
            hints = ctx.cell_hints(index) & NAME_HINTS
            if not hints:
                continue
            span = ctx.cell_span(index)
            parts = split_name_cell(ctx.text[span[0] : span[1]])
            if parts is None:
                continue
            first, last = (parts[1], "") if FIRST_NAME in hints else parts
            found.append(_name_detection(span, first, last, 0.85, record))
            taken.append(span)
        if taken and not any(
            may_hold_name(ctx.text, *gap) for gap in _gaps(low, high, taken)
        ):
            # No two words a name could be made of outside the name cells. (In
            # prose nearly every record has some: looking first costs more.)
            continue
        for name in find_names(ctx.text, low, high):
            if any(s < name.end and name.start < e for s, e in taken):
                continue
            span = (name.start, name.end)
            found.append(
                _name_detection(span, name.first, name.last, name.confidence, record)
            )
    return found


def _link(
    ctx: UnitContext,
    options: DetectOptions,
    detections: list[Detection],
    names: list[Detection],
) -> None:
    """Mark statutory every linked pair of a name and a statutory element."""
    names = sorted(names, key=lambda n: n.start)
    starts = [n.start for n in names]
    for detection in detections:
        if not options.rules.is_statutory(detection.element):
            continue
        low, high = ctx.scope(detection.record, detection.start, detection.end)
        for name in names[bisect_left(starts, low) : bisect_left(starts, high)]:
            if name.record == detection.record:
                detection.statutory = True
                name.statutory = True


def _join(outer: str, inner: str) -> str:
    """Join two location parts as ``join_location`` does, without a generator."""
    if outer and inner:
        return f"{outer}, {inner}"
    return outer or inner


def _location(ctx: UnitContext, detection: Detection) -> str:
    cell = ctx.cell_index(detection.start) if ctx.has_cells else -1
    if cell >= 0:
        where = ctx.cell_location(cell)
    else:
        where = ctx.record_location(detection.record)
        if not where:
            line = ctx.lines.line(detection.start)
            where = f"line {line}, column {ctx.lines.column(detection.start)}"
    return _join(ctx.unit.location, where)


# A dense unit makes a finding every few dozen characters. A frozen
# dataclass's generated ``__init__`` sets each field by calling
# ``object.__setattr__`` from Python code; setting the slots through their
# descriptors makes the same object in C, in half the instructions (compiled).
# Finding has no ``__post_init__`` (a test holds both ways to the same result).
_FINDING_SETTERS: Final = tuple(
    getattr(Finding, field.name).__set__ for field in dataclasses.fields(Finding)
)


def _new_finding(values: tuple[object, ...]) -> Finding:
    """Return ``Finding(*values)``, made field by field."""
    finding: Finding = object.__new__(Finding)
    for index, value in enumerate(values):
        _FINDING_SETTERS[index](finding, value)
    return finding


def _findings(
    ctx: UnitContext, path: str, options: DetectOptions, detections: list[Detection]
) -> list[Finding]:
    """Return a :class:`Finding` per detection, in the order given."""
    unit = ctx.unit
    base = unit.base_offset
    origin = unit.origin
    key = options.fingerprint_key
    # The same person and the same card recur in a unit: each value is
    # fingerprinted once. The cache lives as long as this call.
    prints: dict[tuple[str, str], str] = {}
    findings: list[Finding] = []
    append = findings.append
    for d in detections:
        start: int | None = None
        end: int | None = None
        if base is not None and d.start >= origin:
            start = base + d.start - origin
            end = base + d.end - origin
        element = d.element
        # str() of a StrEnum is its value, in C; ``.value`` is Python code.
        value = (str(element), d.normalised)
        fp = prints.get(value)
        if fp is None:
            fp = prints[value] = fingerprint(key, *value)
        append(
            _new_finding(
                (
                    path,
                    element,
                    start,
                    end,
                    _location(ctx, d),
                    d.confidence,
                    d.masked,
                    fp,
                    _join(unit.location, ctx.record_label(d.record, d.start)),
                    d.statutory,
                    d.kind,
                )
            )
        )
    return findings


def detect(
    unit: TextUnit,
    path: str,
    options: DetectOptions,
    prefiltered: Prefilter | None = None,
) -> list[Finding]:
    """Return the findings in ``unit``, sorted by position.

    ``prefiltered`` is :func:`~districtguard.pii.candidates.prefilter` of the
    unit's text when the caller has it already (the scanner uses its markers too).
    """
    prepare_for_scanning()  # each unit's buffers are reused for the next
    found = prefilter(unit.text) if prefiltered is None else prefiltered
    regions = found.regions
    if not regions and not unit.cells:
        return []
    context_regions = expand(regions, options.window, len(unit.text))
    if unit.cells:
        context_regions = [(0, len(unit.text))]
    hits: list[kw.KeywordHit] = []
    for low, high in context_regions:
        hits.extend(kw.find_keywords(unit.text, low, high))
    ctx = UnitContext(unit, kw.KeywordIndex(hits), options.window)
    candidates = list(find_candidates(unit.text, regions))
    candidates.extend(_license_candidates(ctx))
    if found.tokens:
        candidates = _outside_tokens(unit.text, candidates)
    detections = _judge(ctx, options, candidates)
    if not detections:
        return []
    # Only what is confident enough to report is looked around for codes and
    # names and may make a record statutory. The element filter applies after
    # linking: a record's status does not depend on which elements are shown.
    sure = [d for d in detections if d.confidence >= options.min_confidence]
    if not sure:
        return []
    cards = [d for d in sure if d.element is Element.PAYMENT_CARD]
    codes = _card_codes(ctx, cards)
    sure.extend(d for d in codes if d.confidence >= options.min_confidence)
    names = [n for n in _names(ctx, sure) if n.confidence >= options.min_confidence]
    _link(ctx, options, sure, names)
    everything = [d for d in (*sure, *names) if d.element in options.elements]
    everything.sort(key=lambda d: (d.start, d.end))
    return _findings(ctx, path, options, everything)


def detect_and_count(
    unit: TextUnit, path: str, options: DetectOptions
) -> tuple[list[Finding], ProtectedCounts]:
    """Return the findings in ``unit`` and the values already protected in its
    own part (encryption tokens, recognisable redactions), from one prefilter
    pass over its text."""
    found = prefilter(unit.text)
    counts = count_protected(
        unit.text,
        unit.own_start,
        unit.own_end,
        tokens=found.tokens,
        stars=found.stars,
    )
    return detect(unit, path, options, found), counts
