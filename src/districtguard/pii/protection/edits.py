"""Choose what to protect in a unit of text, and put protected text in its place.

Every format rewriter works the same way: it turns its document into text units
(the same ones the scan reads, or its own where it must map text back to cells
or runs), asks :func:`plan_unit` which spans to replace and with what, and
writes the replacements back. :func:`plan_unit` runs the detector, keeps the
statutory elements the run asks for, leaves names and existing tokens alone, and
records for every finding what was done with it (an :class:`Action`).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from districtguard.pii.documents.base import (
    DocumentError,
    Limits,
    TextUnit,
    join_location,
)
from districtguard.pii.elements import Element
from districtguard.pii.engine import detect
from districtguard.pii.findings import Finding
from districtguard.pii.options import DetectOptions
from districtguard.pii.protection.base import Mode, ValueProtector

# The elements a protection run may replace; names are never protected.
PROTECTABLE: frozenset[Element] = frozenset(Element) - {Element.PERSON_NAME}

REDACTED_TAIL = 4
SKIP_NAME = "skipped:names-are-kept"
SKIP_NOT_SELECTED = "skipped:element-not-selected"
SKIP_NOT_STATUTORY = "skipped:not-statutory"


@dataclass(frozen=True, slots=True)
class Policy:
    """What a run protects: which elements, in which records, found how."""

    options: DetectOptions
    targets: frozenset[Element]
    all_records: bool = False
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True, slots=True)
class Action:
    """What was done with one finding: ``redacted``, ``encrypted``, ``skipped:...``."""

    finding: Finding
    action: str

    def to_dict(self) -> dict[str, object]:
        """Return the finding's JSON form with the action added."""
        return {**self.finding.to_dict(), "action": self.action}


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` of a unit's text; ``action`` indexes its action."""

    start: int
    end: int
    text: str
    action: int


@dataclass
class Job:
    """One file's rewriting: the policy, the protector, and what happened so far.

    ``whole_file`` is set (to why) when some part cannot be protected value by
    value and only encrypting the whole file will do.
    """

    policy: Policy
    protector: ValueProtector
    path: str
    tokens: re.Pattern[str] | None = None
    dry_run: bool = False
    actions: list[Action] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    whole_file: str = ""
    depth: int = 0
    where: str = ""

    @property
    def mode(self) -> Mode:
        """Return whether this job redacts or encrypts."""
        return self.protector.mode

    def done_word(self) -> str:
        """Return the action recorded for a protected value."""
        if self.dry_run:
            return f"would-{self.mode}"
        return "redacted" if self.mode == "redact" else "encrypted"

    def skip(self, edit: Edit, reason: str) -> None:
        """Record that ``edit`` cannot be made, and why (a short hyphenated reason)."""
        action = self.actions[edit.action]
        self.actions[edit.action] = dataclasses.replace(
            action, action=f"skipped:{reason}"
        )

    def skip_all(self, edits: Iterable[Edit], reason: str) -> None:
        """Record that none of ``edits`` can be made."""
        for edit in edits:
            self.skip(edit, reason)

    def nested(self, where: str) -> Job:
        """Return a job for a document inside this one (a member, an attachment).

        It shares this job's actions and problems; a ``whole_file`` it sets is
        copied back by the caller.
        """
        if self.depth + 1 > self.policy.limits.max_archive_depth:
            raise DocumentError(
                f"nested deeper than {self.policy.limits.max_archive_depth} levels"
            )
        place = join_location(self.where, where)
        return dataclasses.replace(self, depth=self.depth + 1, where=place)

    @property
    def protected(self) -> int:
        """Return how many values were (or would be) protected."""
        word = self.done_word()
        return sum(1 for action in self.actions if action.action == word)


def _reason(policy: Policy, finding: Finding) -> str | None:
    """Return why ``finding`` is left alone, or None to protect it."""
    if finding.element not in PROTECTABLE:
        return SKIP_NAME
    if finding.element not in policy.targets:
        return SKIP_NOT_SELECTED
    if not (finding.statutory or policy.all_records):
        return SKIP_NOT_STATUTORY
    return None


def _in_token(
    spans: Sequence[tuple[int, int]], starts: Sequence[int], start: int, end: int
) -> bool:
    """Return whether ``start:end`` overlaps a token (``spans`` sorted, disjoint)."""
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and start < spans[index][1]


def _redacted_tail(text: str, start: int, end: int) -> bool:
    """Return whether ``text[start:end]`` is the visible tail of a redaction.

    Redaction keeps the last four letters or digits after stars (``***-**-6789``,
    ``*****8510``); four digits alone can look like a short licence number.
    """
    at = start - 1
    while at >= 0 and text[at] in " -.":
        at -= 1
    if at < 0 or text[at] != "*":  # the usual case, and cheaper to test first
        return False
    return sum(ch.isalnum() for ch in text[start:end]) <= REDACTED_TAIL


def plan_unit(job: Job, unit: TextUnit, where: str = "") -> list[Edit]:
    """Return the edits that protect ``unit``, recording an action per finding.

    Offsets of the edits are into ``unit.text``. The findings recorded carry
    offsets into the file where the unit has them, as the scan reports them.
    """
    location = join_location(job.where, where, unit.location)
    local = dataclasses.replace(unit, base_offset=0, origin=0, location=location)
    findings = detect(local, job.path, job.policy.options)
    if not findings:
        return []
    tokens = [m.span() for m in job.tokens.finditer(unit.text)] if job.tokens else []
    token_starts = [low for low, _ in tokens]
    edits: list[Edit] = []
    taken = -1
    for finding in findings:
        start, end = finding.start or 0, finding.end or 0
        if _in_token(tokens, token_starts, start, end) or _redacted_tail(
            unit.text, start, end
        ):
            continue  # already protected: a token or what redaction left
        reason = _reason(job.policy, finding)
        if reason is None and start < taken:
            reason = "skipped:overlaps-another-value"
        index = len(job.actions)
        job.actions.append(Action(_placed(unit, finding), reason or job.done_word()))
        if reason is not None:
            continue
        raw = unit.text[start:end]
        text = raw if job.dry_run else job.protector.protect(finding.element, raw)
        edits.append(Edit(start, end, text, index))
        taken = end
    return edits


def _placed(unit: TextUnit, finding: Finding) -> Finding:
    """Return ``finding`` with the file offsets ``unit`` gives it, or none."""
    start: int | None = None
    end: int | None = None
    if (
        unit.base_offset is not None
        and finding.start is not None
        and finding.end is not None
        and finding.start >= unit.origin
    ):
        start = unit.base_offset + finding.start - unit.origin
        end = unit.base_offset + finding.end - unit.origin
    if start == finding.start and end == finding.end:
        return finding  # a whole-file unit: its offsets are the file's already
    return Finding(
        finding.path,
        finding.element,
        start,
        end,
        finding.location,
        finding.confidence,
        finding.masked,
        finding.fingerprint,
        finding.record,
        finding.statutory,
        finding.kind,
    )


def apply_edits(text: str, edits: Iterable[Edit], shift: int = 0) -> str:
    """Return ``text`` with every edit made; edit offsets are ``shift`` ahead of it."""
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts.append(text[position : edit.start - shift])
        parts.append(edit.text)
        position = edit.end - shift
    parts.append(text[position:])
    return "".join(parts)


__all__ = [
    "PROTECTABLE",
    "Action",
    "Edit",
    "Job",
    "Policy",
    "apply_edits",
    "plan_unit",
]
