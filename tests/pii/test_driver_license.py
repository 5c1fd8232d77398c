"""Driver license shapes, states, Soundex, name coding, masking and token finding.

Every number here is synthetic: built from the format table or made up.
"""

from __future__ import annotations

import random
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from districtguard.pii.elements import driver_license as dl
from districtguard.pii.elements.dl_formats import FORMATS, SHAPE_INDEX

# state: (a synthetic number that fits it, a near miss that does not)
PER_STATE = {
    "AL": ("4829175", "482917503"), "AK": ("4829175", "48291750"),
    "AZ": ("D48291750", "D4829175"), "AR": ("48291750", "4829175036"),
    "CA": ("D4829175", "d4829175"), "CO": ("KR48291", "KR482917"),
    "CT": ("482917503", "48291750"), "DE": ("4829175", "48291750"),
    "DC": ("4829175", "48291750"), "FL": ("S482917503618", "S48291750361"),
    "GA": ("48291750", "482917"), "HI": ("H48291750", "HH4829175"),
    "ID": ("KR482917Z", "KR4829175"), "IL": ("S48291750361", "S4829175036"),
    "IN": ("D482917503", "D4829175036"), "IA": ("482KR9175", "482KR917"),
    "KS": ("K4R8Z", "K4R8"), "KY": ("D482917503", "D4829175"),
    "LA": ("048291750", "0482917503"), "ME": ("4829175X", "4829175XX"),
    "MD": ("S482917503618", "S48291750361"), "MA": ("SA4829175", "SB4829175"),
    "MI": ("D4829175036", "D48291750361"), "MN": ("D482917503618", "D4829175036"),
    "MS": ("482917503", "4829175036"), "MO": ("D482917R", "D482917S"),
    "MT": ("4829175036182", "48291750361"), "NE": ("D4829175", "D48291"),
    "NV": ("X48291750", "Y48291750"), "NH": ("48KRZ91750", "48KR91750"),
    "NJ": ("D48291750361827", "D4829175036182"), "NM": ("48291750", "4829175"),
    "NY": ("KRZDWQPL", "KRZDWQP"), "NC": ("482917503618", "4829175036182"),
    "ND": ("KRZ482917", "KRZ48291"), "OH": ("KR4829175", "KR48291750"),
    "OK": ("D482917503", "D48291750"), "OR": ("B482917", "C482917"),
    "PA": ("48291750", "4829175"), "RI": ("V482917", "V4829175"),
    "SC": ("48291750361", "4829"), "SD": ("482917503618", "48291750361"),
    "TN": ("4829175", "482917"), "TX": ("48291750", "482917503"),
    "UT": ("4829", "482"), "VT": ("4829175A", "4829175B"),
    "VA": ("D48291750361", "D482917503618"), "WA": ("QUILLJ*482ZK", "QUILLJQX82ZK"),
    "WV": ("KR48291", "KR4829175"), "WI": ("S4829175036182", "S482917503618"),
    "WY": ("4829175036", "48291750"),
}  # fmt: skip

_TERM = re.compile(r"(\d+)(?:-(\d+))?([ANX])|([A-Z])")


def synthetic(spec: str, *, longest: bool) -> str:
    """Build a token from a format spec, independently of the module's parser."""
    digits, letters, out = "4829175036" * 2, "KRZDQPTMHB" * 2, []
    for low, high, kind, literal in _TERM.findall(spec):
        if literal:
            out.append(literal)
            continue
        pool = {"A": letters, "N": digits, "X": "K4R8Z9T2M7"}[kind]
        out.append(pool[: int(high or low) if longest else int(low)])
    return "".join(out)


SPEC_TOKENS = [
    (state, spec, synthetic(spec, longest=longest))
    for state, specs in FORMATS.items()
    for spec in specs
    for longest in (False, True)
]


def test_states_lists_51_jurisdictions_each_with_formats() -> None:
    assert len(dl.STATES) == 51
    assert dl.STATES["OK"] == "Oklahoma"
    assert set(FORMATS) == set(dl.STATES) == set(PER_STATE)


def test_spellings_hold_every_name_and_no_postal_code() -> None:
    for code, name in dl.STATES.items():
        assert dl.STATE_SPELLINGS[name.lower()] == code
    assert all(len(k) > 2 and k == k.lower() for k in dl.STATE_SPELLINGS)


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Oklahoma", "OK"), ("oklahoma", "OK"), ("OKLA.", "OK"), ("Okla", "OK"),
        ("OK", "OK"), ("IN", "IN"), ("New York", "NY"), ("new  york", "NY"),
        ("N.Y.", "NY"), ("N.Y", "NY"), ("District of Columbia", "DC"),
        ("Washington DC", "DC"), ("Washington, D.C.", "DC"), ("DC", "DC"),
        ("Washington", "WA"), ("Miss.", "MS"), ("W.Va.", "WV"), ("Calif.", "CA"),
        ("Ok", None), ("ok", None), ("in", None), ("Or", None), ("me", None),
        ("hi", None), ("XX", None), ("Miss", None), ("Wash", None), ("", None),
        ("Oklahoman", None),
    ],
)  # fmt: skip
def test_parse_state_reads_names_and_upper_case_codes_only(
    word: str, code: str | None
) -> None:
    assert dl.parse_state(word) == code


@pytest.mark.parametrize(("state", "number"), [(s, p[0]) for s, p in PER_STATE.items()])
def test_matches_synthetic_number_for_every_state(state: str, number: str) -> None:
    assert state in dl.states_matching(number)
    assert not dl.is_bogus_license(number)


@pytest.mark.parametrize(("state", "miss"), [(s, p[1]) for s, p in PER_STATE.items()])
def test_rejects_near_miss_for_every_state(state: str, miss: str) -> None:
    assert state not in dl.states_matching(miss)


@pytest.mark.parametrize(("state", "spec", "token"), SPEC_TOKENS)
def test_matches_every_format_and_never_its_lower_case(
    state: str, spec: str, token: str
) -> None:
    assert state in dl.states_matching(token), spec
    assert dl.states_matching(token.lower()) == frozenset() or token.isdigit()


@pytest.mark.parametrize(
    ("token", "some", "none_of"),
    [
        ("123456789", {"OK", "CO", "CT", "MS", "NY"}, {"CA", "FL", "PA"}),
        ("A123456789", {"OK", "IN", "KY", "MO", "VA"}, {"CA", "FL", "NY"}),
        ("S123-456-78-901-0", {"FL", "MD", "MI", "MN", "IL"}, {"OK", "WI"}),
        ("WDLK4R8Z9T2M", {"WA"}, {"OK"}),
        ("ZEE**KQ519RM", {"WA"}, {"OK"}),
    ],
)
def test_matches_brief_examples(token: str, some: set[str], none_of: set[str]) -> None:
    found = dl.states_matching(token)
    assert some <= found and not none_of & found


@pytest.mark.parametrize(
    "token",
    ["a123456789", "INTRODUCTION", "QUILLJQX82ZK", "WDLK4R8Z9T2", "D48-", "A1B2C3D4"],
)
def test_rejects_tokens_no_state_issues(token: str) -> None:
    assert dl.states_matching(dl.normalise_license(token)) == frozenset()


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("S123-456-78-901-0", "S123456789010"), ("482 917 503", "482917503"),
        ("A.482.917", "A482917"), ("QUILLJ*482ZK", "QUILLJ*482ZK"),
        ("d482917503", "d482917503"),
    ],
)  # fmt: skip
def test_normalise_removes_separators_only(raw: str, normalised: str) -> None:
    assert dl.normalise_license(raw) == normalised


@pytest.mark.parametrize(
    ("state", "token", "digits_only"),
    [
        ("OK", "482917503", True), ("NY", "482 917 503", True),
        ("OK", "D482917503", False), ("OK", "4829175", False),
        ("ME", "4829175X", False), ("ME", "4829175", True),
    ],
)  # fmt: skip
def test_is_digits_only_format(state: str, token: str, digits_only: bool) -> None:
    assert dl.is_digits_only_format(state, token) is digits_only


@pytest.mark.parametrize(
    ("token", "bogus"),
    [
        ("000000000", True), ("1111111", True), ("123456789", True),
        ("987654321", True), ("0123456789", True), ("A0000000", True),
        ("A123456789", True), ("S111-1111-1111", True), ("AAAAAAAA", True),
        ("", True), ("0", True), ("D482917503", False), ("482917503", False),
        ("4829", False), ("K4R8Z", False), ("QUILLJ*482ZK", False),
        ("WDLK4R8Z9T2M", False), ("123", False),
    ],
)  # fmt: skip
def test_is_bogus_license(token: str, bogus: bool) -> None:
    assert dl.is_bogus_license(token) is bogus


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Robert", "R163"), ("Rupert", "R163"), ("Rubin", "R150"),
        ("Ashcraft", "A261"), ("Ashcroft", "A261"), ("Tymczak", "T522"),
        ("Pfister", "P236"), ("Honeyman", "H555"), ("Lee", "L000"),
        ("Gutierrez", "G362"), ("Jackson", "J250"), ("Washington", "W252"),
        ("Lloyd", "L300"), ("O'Hara", "O600"), ("núñez", "N520"), ("", ""),
    ],
)  # fmt: skip
def test_soundex_gives_reference_codes(name: str, code: str) -> None:
    assert dl.soundex(name) == code


@pytest.mark.parametrize(
    ("state", "number", "last", "first", "agrees"),
    [
        ("FL", "Q413-528-49-172-0", "Quillfeather", None, True),
        ("FL", "Q413-528-49-172-0", "Brandywine", None, False),
        ("FL", "A226-528-49-172-0", "Ashcraft", None, True),  # H/W variant
        ("IL", "Q413-5284-9172", "Quillfeather", None, True),
        ("IL", "Q413-5284-9172", "Brandywine", None, False),
        ("WI", "Q413-5284-9172-06", "Quillfeather", None, True),
        ("WI", "Q413-5284-9172-06", "Brandywine", None, False),
        ("WA", "QUILLJ*482ZK", "Quillfeather", "Jonah", True),
        ("WA", "QUILLJ*482ZK", "Quillfeather", "Mara", False),
        ("WA", "QUILLJ*482ZK", "Brandywine", None, False),
        ("WA", "ZEE**KQ519RM", "Zee", None, True),
        ("WA", "WDLK4R8Z9T2M", "Quillfeather", None, None),
        ("OK", "D482917503", "Quillfeather", None, None),
        ("FL", "S482917503618", "Smith", None, None),  # not a Soundex block
        ("FL", "482917503", "Quillfeather", None, None),
        ("IL", "Q413528491720", "Quillfeather", None, None),  # 1A12N: undocumented
        ("FL", "Q413528491720", "", None, None),
    ],
)
def test_name_encoding_matches(
    state: str, number: str, last: str, first: str | None, agrees: bool | None
) -> None:
    assert dl.name_encoding_matches(state, number, last, first) is agrees


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("A123456789", "******6789"), ("S123-456-78-901-0", "****-***-**-901-0"),
        ("QUILLJ*482ZK", "********82ZK"), ("48291", "*8291"), ("4829", "****"),
        ("", ""),
    ],
)  # fmt: skip
def test_mask_license_shows_last_four_at_most(raw: str, masked: str) -> None:
    assert dl.mask_license(raw) == masked


@given(st.text(max_size=40))
def test_mask_license_never_shows_more_than_four(raw: str) -> None:
    masked = dl.mask_license(raw)
    assert len(masked) == len(raw)
    assert sum(1 for c in masked if c.isalnum()) <= 4


@pytest.mark.parametrize(
    ("state", "spec", "token"),
    [t for t in SPEC_TOKENS if not (t[2].isdigit() and len(t[2]) < 4)],
)
def test_token_re_finds_every_format_in_a_sentence(
    state: str, spec: str, token: str
) -> None:
    found = dl.LICENSE_TOKEN_RE.search(f"Driver license {state} {token} issued")
    assert found is not None and found.group() == token, spec


def test_token_re_covers_every_shape_in_the_table() -> None:
    for shape in SHAPE_INDEX:
        token = shape.replace("A", "K").replace("N", "7")
        if len(shape) == 12 and shape.startswith("AAA"):  # only WA's "WDL" + 9
            token = "WDL" + token[3:]
        if "K" in token or len(token) >= 4:
            assert dl.LICENSE_TOKEN_RE.fullmatch(token), shape


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("Driver license OK A123456789 issued", "A123456789"),
        ("FL DL S123-456-78-901-0.", "S123-456-78-901-0"),
        ("IL DL S123-4567-8901 12 pupils", "S123-4567-8901"),
        ("WI DL S123-4567-8901-23", "S123-4567-8901-23"),
        ("MD DL S-123-456-789-012", "S-123-456-789-012"),
        ("NY DL 482 917 503 on file", "482 917 503"),
        ("DL: **D4829175**", "D4829175"),
        ("WA DL ZEE**KQ519RM, expired", "ZEE**KQ519RM"),
        ("xA4829175 ABC-A4829175 A4829175-B a4829175 A4829175b", None),
        ("INTRODUCTION", None),
        ("AL DL 482 on file", None),  # runs under four digits: not candidates
    ],
)
def test_token_re_respects_boundaries(text: str, token: str | None) -> None:
    found = dl.LICENSE_TOKEN_RE.search(text)
    assert (found.group() if found else None) == token


def test_token_re_runs_in_linear_time_on_a_megabyte() -> None:
    rng = random.Random(7)
    pool = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*- "
    blobs = [
        "".join(rng.choice(pool[:62]) for _ in range(1_000_000)),
        "".join(rng.choice(pool) for _ in range(1_000_000)),
        "1-" * 500_000,
        "A" * 1_000_000,
    ]
    started = time.perf_counter()
    for blob in blobs:
        sum(1 for _ in dl.LICENSE_TOKEN_RE.finditer(blob))
    assert time.perf_counter() - started < 30  # seconds; about 0.2 s here
