"""Hold the per-state driver license and state ID formats and state spellings.

The formats are the NTSI table quoted in ``reference/pii-rules.md`` § 7
(SECONDARY), plus the variants in parentheses there that two compilations
agree on or that only narrow a base format. A spec is a run of terms:
``<n>A`` letters, ``<n>N`` digits, ``<n>X`` either, each count optionally a
range ``<m>-<n>``; an upper-case letter with no count is that literal letter,
so ``X8N`` is "X" and eight digits and ``7NA`` is seven digits and "A".
Washington's legacy name-coded numbers contain ``*`` and are matched apart
(``WA_LEGACY_RE``).
"""

from __future__ import annotations

import re

STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
    "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware",
    "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii",
    "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

FORMATS: dict[str, tuple[str, ...]] = {
    "AL": ("1-8N",),
    "AK": ("1-7N",),
    # USDLRegex's extra 1A+1-8N and 2A+2-5N have no second source.
    "AZ": ("1A8N", "9N"),
    "AR": ("4-9N",),
    "CA": ("1A7N",),
    "CO": ("9N", "1A3-6N", "2A2-5N"),
    "CT": ("9N",),
    "DE": ("1-7N",),
    "DC": ("7N", "9N"),
    "FL": ("1A12N",),
    "GA": ("7-9N",),
    "HI": ("1A8N", "9N"),  # starpoint's "H"+8N lies inside 1A8N
    "ID": ("2A6N1A", "9N"),
    "IL": ("1A11N", "1A12N"),
    "IN": ("1A9N", "9N", "10N"),
    "IA": ("9N", "3N2A4N"),
    "KS": ("1A1N1A1N1A", "1A8N", "9N"),
    "KY": ("1A8N", "1A9N", "9N"),
    "LA": ("1-9N",),
    "ME": ("7N", "7N1A", "8N"),
    "MD": ("1A12N",),
    # USDLRegex and starpoint both give a two-letter form; starpoint says "SA".
    "MA": ("1A8N", "9N", "SA7N"),
    "MI": ("1A10N", "1A12N"),
    "MN": ("1A12N",),
    "MS": ("9N",),
    # 3N1A6N is in nooDL, USDLRegex and the tracsflorida wiki.
    "MO": ("1A5-9N", "1A6NR", "8N2A", "9N1A", "9N", "3N1A6N"),
    "MT": ("1A8N", "13N", "9N", "14N"),
    # Older lists' 1-7N (UNCONFIRMED) kept: it is digits-only, so the engine
    # already demands a state mention, and old records outlive the cards.
    "NE": ("1A6-8N", "1-7N"),
    "NV": ("9N", "10N", "12N", "X8N"),
    "NH": ("2N3A5N", "3A8N"),  # 3A8N: USDLRegex only (UNCONFIRMED)
    "NJ": ("1A14N",),
    "NM": ("8N", "9N"),
    "NY": ("1A7N", "1A18N", "8N", "9N", "16N", "8A"),
    "NC": ("1-12N",),
    "ND": ("3A6N", "9N"),
    "OH": ("1A4-8N", "2A3-7N", "8N"),
    "OK": ("1A9N", "9N"),
    # USDLRegex's "A"/"B"+6N; starpoint also lists a letter and six digits.
    "OR": ("1-9N", "A6N", "B6N"),
    "PA": ("8N",),
    "RI": ("7N", "1A6N"),
    "SC": ("5-11N",),
    "SD": ("6-10N", "12N"),
    "TN": ("7-9N",),
    "TX": ("7-8N",),
    "UT": ("4-10N",),
    "VT": ("8N", "7NA"),
    "VA": ("1A8-11N", "9N"),
    "WA": ("WDL9X",),  # since 2018-09-04; the legacy form is WA_LEGACY_RE
    "WV": ("7N", "1-2A5-6N"),
    "WI": ("1A13N",),
    "WY": ("9-10N",),
}

# Before 2018-09 (LLLLLFMYYXmd): the surname's first five letters padded with
# '*', then initials and a coded birth date. The table's "1-7 letters, then any
# mix to 12" is read as "the leading letters stop by the 8th character", which
# every coded number satisfies (YY is digits) and which spares 12-letter words.
WA_LEGACY_RE = re.compile(r"[A-Z]{1,7}[0-9*][A-Z0-9*]{4,10}")
WA_LEGACY_LENGTH = 12

# Full names match case-insensitively. Abbreviations that are also common
# words or names ("miss", "wash", "ill", "pa", "tex", "conn") count only with
# their dot, which the trailing "." in the key demands; the rest match with or
# without it. Postal codes are left out: "ok", "in", "or" and "me" are words.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("ala.",), "AZ": ("ariz",), "AR": ("ark.",), "CA": ("calif",),
    "CO": ("colo",), "CT": ("conn.",), "DE": ("del.",),
    "DC": ("d.c.", "washington dc", "washington d.c.", "washington, dc",
           "washington, d.c."),
    "FL": ("fla",), "GA": ("ga.",), "IL": ("ill.",), "IN": ("ind.",),
    "KS": ("kans", "kan."), "KY": ("ky.",), "LA": ("la.",), "MD": ("md.",),
    "MA": ("mass.",), "MI": ("mich.",), "MN": ("minn",), "MS": ("miss.",),
    "MT": ("mont",), "NE": ("nebr", "neb."), "NV": ("nev",), "NH": ("n.h.",),
    "NJ": ("n.j.",), "NM": ("n.m.", "n.mex."), "NY": ("n.y.",),
    "NC": ("n.c.", "n. carolina"), "ND": ("n.d.", "n.dak.", "n. dakota"),
    "OK": ("okla",), "OR": ("oreg", "ore."), "PA": ("pa.", "penna", "penn."),
    "RI": ("r.i.",), "SC": ("s.c.", "s. carolina"),
    "SD": ("s.d.", "s.dak.", "s. dakota"), "TN": ("tenn",), "TX": ("tex.",),
    "VT": ("vt.",), "VA": ("va.",), "WA": ("wash.",),
    "WV": ("w.va.", "w. va.", "w. virginia"), "WI": ("wis", "wisc"),
    "WY": ("wyo",),
}  # fmt: skip

STATE_SPELLINGS: dict[str, str] = {
    name.lower(): code for code, name in STATES.items()
} | {spelling: code for code, group in _ABBREVIATIONS.items() for spelling in group}

_TERM = re.compile(r"(\d+)(?:-(\d+))?([ANX])|([A-Z])")
_CLASS = {"A": "[A-Z]", "N": "[0-9]", "X": "[A-Z0-9]"}


def _terms(spec: str) -> list[tuple[int, int, str]]:
    """Split a spec into (fewest, most, kind) terms; a literal's kind is "=" + it."""
    terms: list[tuple[int, int, str]] = []
    at = 0
    while at < len(spec):
        term = _TERM.match(spec, at)
        if term is None:
            raise ValueError(f"bad format spec {spec!r} at {at}")
        low, high, kind, literal = term.groups()
        if literal is not None:
            terms.append((1, 1, "=" + literal))
        else:
            terms.append((int(low), int(high or low), kind))
        at = term.end()
    return terms


def _shapes(terms: list[tuple[int, int, str]]) -> list[str]:
    """Return every shape (letters as 'A', digits as 'N') the terms allow."""
    shapes = [""]
    for low, high, kind in terms:
        options = {"X": ("A", "N"), "N": ("N",)}.get(kind, ("A",))
        runs = [""]
        grown: list[str] = []
        for count in range(high + 1):
            if count >= low:
                grown.extend(runs)
            runs = [run + o for run in runs for o in options] if count < high else []
        shapes = [shape + run for shape in shapes for run in grown]
    return shapes


def _regex(terms: list[tuple[int, int, str]]) -> re.Pattern[str]:
    parts = [f"{_CLASS.get(k, k[1:])}{{{low},{high}}}" for low, high, k in terms]
    return re.compile("".join(parts))


# shape -> (states the shape alone proves, (state, regex) pairs for specs with
# literal letters, which need the token itself). Built once: states_matching
# is called for every candidate, and a dict lookup is the cheapest test.
ShapeEntry = tuple[frozenset[str], tuple[tuple[str, re.Pattern[str]], ...]]


def _build_index() -> dict[str, ShapeEntry]:
    plain: dict[str, set[str]] = {}
    checked: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for state, specs in FORMATS.items():
        for spec in specs:
            terms = _terms(spec)
            has_literal = any(kind.startswith("=") for _, _, kind in terms)
            pattern = _regex(terms)
            for shape in _shapes(terms):
                if has_literal:
                    checked.setdefault(shape, []).append((state, pattern))
                else:
                    plain.setdefault(shape, set()).add(state)
    return {
        shape: (frozenset(plain.get(shape, ())), tuple(checked.get(shape, ())))
        for shape in plain.keys() | checked.keys()
    }


SHAPE_INDEX: dict[str, ShapeEntry] = _build_index()
