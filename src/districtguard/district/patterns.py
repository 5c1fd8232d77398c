"""Check the district's student and staff ID patterns before they are saved.

A pattern runs against every token of every scanned file, so a pattern that can
backtrack for ever ("catastrophic backtracking", e.g. ``(\\d+)+``) would hang
scans. Two checks: a repeat inside a repeat is refused outright, and the pattern
is then run, in a separate process with a time limit, against long strings of
the kinds of characters IDs are made of.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]
import subprocess
import sys
from typing import Any

from districtguard.pii.options import GovernmentIdFormat

MAX_LENGTH = 200
TIME_LIMIT_SECONDS = 2.0
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT}
_PROBE = """
import re, sys
pattern = re.compile("(?:" + sys.stdin.read() + r")\\Z")
for text in ("1" * 5000 + "!", "a" * 5000 + "!", "a1-" * 2000 + "!", " " * 5000 + "!"):
    pattern.match(text)
    pattern.search(text)
"""


class PatternError(ValueError):
    """The pattern cannot be used as an ID format; the message says why."""


def check_id_pattern(pattern: str) -> None:
    """Raise :class:`PatternError` unless ``pattern`` is a safe regular expression."""
    if len(pattern) > MAX_LENGTH:
        raise PatternError(f"Keep the pattern under {MAX_LENGTH} characters.")
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise PatternError(f"This is not a regular expression: {exc}.") from None
    if _nested_repeat(parsed, inside_repeat=False):
        raise PatternError(
            "The pattern repeats something that itself repeats, such as (\\d+)+; "
            "this can make scans hang. Write it without the outer repeat, "
            "for example \\d+ or S\\d{7}."
        )
    if re.fullmatch(pattern, "") is not None:
        raise PatternError("The pattern matches an empty value; it must not.")
    _run_with_time_limit(pattern)


def _nested_repeat(items: Any, *, inside_repeat: bool) -> bool:
    """Return whether a variable repeat occurs inside another variable repeat.

    A fixed count such as ``(\\d{3}-){2}`` cannot backtrack much and is allowed.
    """
    for op, value in items:
        repeats = False
        if op in _REPEATS:
            low, high, body = value
            repeats = high > 1 and low != high
            if repeats and inside_repeat:
                return True
            children = [body]
        elif op is sre_parse.SUBPATTERN:
            children = [value[-1]]
        elif op is sre_parse.BRANCH:
            children = list(value[1])
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            children = [value[1]]
        else:
            continue
        deeper = inside_repeat or repeats
        if any(_nested_repeat(child, inside_repeat=deeper) for child in children):
            return True
    return False


def _run_with_time_limit(pattern: str) -> None:
    try:
        subprocess.run(  # noqa: S603 - our own interpreter, fixed program
            [sys.executable, "-I", "-c", _PROBE],
            input=pattern,
            text=True,
            capture_output=True,
            timeout=TIME_LIMIT_SECONDS,
            check=True,
        )
    except subprocess.TimeoutExpired:
        raise PatternError(
            "The pattern takes too long on long values (catastrophic "
            "backtracking); simplify it."
        ) from None
    except subprocess.CalledProcessError:
        raise PatternError("The pattern could not be tried out.") from None


def preview_matches(pattern: str, sample: str, limit: int = 50) -> list[str]:
    """Return the tokens of ``sample`` the pattern matches, as a scan would."""
    compiled = GovernmentIdFormat("preview", pattern).compiled()
    tokens = (token.strip(".,;:()[]{}\"'") for token in sample.split())
    return [token for token in tokens if token and compiled.match(token)][:limit]
