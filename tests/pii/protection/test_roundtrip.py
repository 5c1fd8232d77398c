"""unprotect(protect(x)) == x, byte for byte, for every value-by-value text format."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from districtguard.pii.protection.cipher import ValueCipher
from districtguard.pii.protection.tokens import TOKEN_RE
from tests.pii.protection.keyhelp import make_ring
from tests.pii.protection.protecthelp import protect, restore

NAMES = ["Maria Lopez", "John Smith", "Ann Lee", "Robert Brown"]
# Synthetic SSNs: never area 666 or 9xx, group 00 or serial 0000.
SSNS = st.builds(
    "{:03d}-{:02d}-{:04d}".format,
    st.integers(100, 665),  # from 100: an SSN stored as a number keeps 9 digits
    st.integers(10, 99),
    st.integers(1000, 9999),
)
WORDS = st.text(
    st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs"),
        exclude_characters="\r\n,\"';|\\{}[]:",
    ),
    max_size=12,
)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def cipher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ValueCipher]:
    with pytest.MonkeyPatch.context() as patch:
        yield ValueCipher(make_ring(patch, tmp_path_factory.mktemp("home")))


def _round_trip(name: str, data: bytes, cipher: ValueCipher, values: int) -> None:
    new, job = protect(name, data, cipher)
    protected = job.protected
    assert new is not None, "nothing was protected"
    assert protected >= 1 and len(TOKEN_RE.findall(new.decode("utf-8"))) == protected
    restored, count = restore(name, new, cipher)
    assert (restored, count) == (data, protected)
    assert protected <= values


@SETTINGS
@given(
    st.lists(st.tuples(WORDS, st.sampled_from(NAMES), SSNS), min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n"]),
)
def test_text_round_trips(
    cipher: ValueCipher, rows: list[tuple[str, str, str]], eol: str
) -> None:
    lines = [f"{word} Employee: {name}, SSN {ssn}{eol}" for word, name, ssn in rows]
    _round_trip("notes.txt", "".join(lines).encode(), cipher, len(rows))


@SETTINGS
@given(
    st.lists(st.tuples(st.sampled_from(NAMES), SSNS, WORDS), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_csv_round_trips(
    cipher: ValueCipher, rows: list[tuple[str, str, str]], sep: str, quoted: bool
) -> None:
    quote = '"' if quoted else ""
    lines = [sep.join(["name", "ssn", "note"])]
    for name, ssn, note in rows:
        lines.append(sep.join([name, f"{quote}{ssn}{quote}", note]))
    _round_trip("staff.csv", ("\n".join(lines) + "\n").encode(), cipher, len(rows))


def _people(numbers: bool) -> st.SearchStrategy[list[dict[str, object]]]:
    ssn = SSNS.map(lambda s: int(s.replace("-", ""))) if numbers else SSNS
    person = st.fixed_dictionaries(
        {"name": st.sampled_from(NAMES), "ssn": ssn}, optional={"note": WORDS}
    )
    return st.lists(person, min_size=1, max_size=6)


@SETTINGS
@given(_people(numbers=False) | _people(numbers=True), st.sampled_from([None, 2]))
def test_json_round_trips(
    cipher: ValueCipher, people: list[dict[str, object]], indent: int | None
) -> None:
    data = json.dumps({"students": people}, indent=indent, ensure_ascii=False)
    _round_trip("s.json", data.encode(), cipher, len(people))


@SETTINGS
@given(_people(numbers=False) | _people(numbers=True))
def test_json_lines_round_trip(
    cipher: ValueCipher, people: list[dict[str, object]]
) -> None:
    data = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in people)
    _round_trip("s.jsonl", data.encode(), cipher, len(people))


def test_a_number_comes_back_as_a_number(cipher: ValueCipher) -> None:
    data = b'[{"name": "Maria Lopez", "ssn": 234567891}]'
    new, _ = protect("s.json", data, cipher)
    assert new is not None and b"234567891" not in new
    restored, _ = restore("s.json", new, cipher)
    assert restored is not None
    assert json.loads(restored)[0]["ssn"] == 234567891
