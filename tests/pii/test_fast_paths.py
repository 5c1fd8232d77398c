"""Each shortcut on the detector's hot path gives what the plain rule gives."""

from __future__ import annotations

import dataclasses
import io
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from districtguard.pii import (
    DetectOptions,
    Finding,
    candidates,
    context,
    engine,
    keywords,
    resolve,
    scan_text,
)
from districtguard.pii.documents import SNIFF_BYTES, file_source, read_source
from districtguard.pii.documents.base import Limits, ReadContext, Source, TextUnit
from districtguard.pii.documents.text import stream_units
from districtguard.pii.elements import Element, payment_card, person_name
from districtguard.pii.engine import detect
from districtguard.pii.keywords import KeywordIndex, find_keywords
from districtguard.pii.masking import mask_tail
from districtguard.pii.protected import count_protected
from districtguard.pii.protection.edits import _in_token, _redacted_tail
from districtguard.pii.protection.tokens import TOKEN_RE
from districtguard.pii.scanner import scan_file
from tests.corpus import generate_prose_corpus, generate_table_corpus

_PIECES = st.sampled_from(
    [
        "234-56-7891",
        "4111 1111 1111 1111",
        "12345",
        "123456789012345678901234567890",
        "D4829",
        "license ",
        "DL ",
        "ssn ",
        "phone ",
        "Maria De La Cruz",
        "LOPEZ, MARIA",
        "Mr. Smith",
        "J. Lee",
        "ok ",
        "OK ",
        " ",
        "\n",
        "x",
        "*",
        "-",
        ".",
        "é",
        "名",
    ]
)
_TEXT = st.lists(_PIECES, max_size=60).map("".join)


def _all_spans(text: str) -> list[tuple[int, int]]:
    """Return every prefilter span, unmerged, as the prefilter defines them."""
    data = text.encode("latin-1", errors="replace")
    spans: list[tuple[int, int]] = []

    def on_shape(pattern: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
        if pattern < candidates._TOKEN_ID:  # a protection marker opens no region
            spans.append((end - candidates.REACH, end + candidates.REACH))

    def on_anchor(_pattern: int, _start: int, end: int, _flags: int, _ctx: Any) -> None:
        reach = candidates._ANCHOR_SLACK + candidates.ANCHOR_REACH
        spans.append((end, end + reach))

    candidates._SHAPES.scan(data, match_event_handler=on_shape)
    candidates._ANCHORS.scan(data, match_event_handler=on_anchor)
    return spans


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=8).map("   ".join))
def test_regions_merged_while_scanning_equal_regions_merged_after(text: str) -> None:
    text = text.ljust(256)  # shorter texts are one region without the prefilter
    expected = candidates._merge(_all_spans(text), len(text))
    assert candidates.hot_regions(text) == expected


_MARKED = st.lists(
    st.one_of(_PIECES, st.sampled_from(["***-**-6789", "dgp1.", "dgp1", "**"])),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_MARKED, st.booleans())
def test_prefilter_markers_say_whether_tokens_or_stars_can_be_there(
    text: str, long: bool
) -> None:
    text = text.ljust(300) if long else text  # with and without Hyperscan
    found = candidates.prefilter(text)
    assert found.regions == candidates.hot_regions(text)
    assert found.tokens == ("dgp1." in text if long else "dgp1" in text)
    assert found.stars == ("***" in text if long else "*" in text)
    # Where a marker is absent, counting protected values skips nothing.
    expected = count_protected(text)
    assert count_protected(text, tokens=found.tokens, stars=found.stars) == expected


def test_the_scanner_counts_protected_values_found_through_the_markers(
    tmp_path: Path,
) -> None:
    token = "dgp1.abcdefgh." + "A" * 40 + ".S"
    assert TOKEN_RE.fullmatch(token) is not None
    prose = "The board met in 2026 and approved the plan. " * 20
    (tmp_path / "clean.txt").write_text(prose)
    (tmp_path / "mixed.txt").write_text(f"{prose}\nSSN ***-**-6789 and {token}\n")
    options = DetectOptions(fingerprint_key=b"k" * 32)
    clean = scan_file(tmp_path / "clean.txt", options, Limits())
    mixed = scan_file(tmp_path / "mixed.txt", options, Limits())
    assert (clean.protected, clean.protected_kinds) == (0, ())
    assert mixed.protected == 1
    assert mixed.protected_kinds == (("SSN", "encrypted", 1), ("SSN", "redacted", 1))


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.integers(0, 400), st.integers(0, 400))
def test_keyword_hits_between_bounds_are_those_inside_them(
    text: str, low: int, high: int
) -> None:
    hits = find_keywords(text)
    inside = [hit for hit in hits if low <= hit.start < high and hit.end <= high]
    assert KeywordIndex(hits).between(low, high) == inside


_WORD = st.sampled_from(
    ["OK", "ok", "Ok", "CA", "NY", "ID", "IDAHO", "New Mexico", "NM", "DL",
     "license", "board", "or", "OR", "ME", "IN", "DE", "De Leon", "ssn",
     "state id", "Oklahoma", "PA.", "Washington DC", "W. Va.", "x7", "_", "é",
     "İ"]
)  # fmt: skip
_GAP = st.sampled_from([" ", "\n", ", ", "-", ". ", "/", "_"])
_WORDY = st.lists(st.tuples(_WORD, _GAP), max_size=30).map(
    lambda words: "".join(word + gap for word, gap in words)
)


@settings(max_examples=400, deadline=None)
@given(_WORDY, st.integers(0, 120), st.integers(0, 120))
@example("OKx", 0, 2).via("a letter after the window")
@example("PA. ssn", 0, 7).via("a code inside a keyword")
def test_state_codes_found_apart_equal_codes_in_the_one_automaton(
    text: str, low: int, high: int
) -> None:
    """Capital state codes are found by their own expression, not as lower-case
    words of the automaton: the hits are those of the single pass, inside any
    window (a code at the window's edge is whole only if the text says so).

    Words are kept apart here: where a keyword is glued to the word before it
    ("ssnOKstate id") the single pass's leftmost-longest matching gave hits
    that depended on which codes it held, and the two passes may differ."""
    single = keywords._build(codes=True)
    assert find_keywords(text) == keywords._words(single, text, 0, len(text))
    high = min(max(low, high), len(text))
    assert find_keywords(text, low, high) == keywords._words(single, text, low, high)


@given(
    st.one_of(
        st.text(alphabet="0123456789AbZz- .*/_#", max_size=30),  # the ASCII path
        st.text(alphabet="0123456789AbZé- .*名", max_size=30),
    ),
    st.integers(0, 6),
)
def test_masking_shortcuts_equal_the_general_rule(raw: str, visible: int) -> None:
    remaining = sum(ch.isalnum() for ch in raw)
    expected = []
    for ch in raw:
        if ch.isalnum():
            expected.append(ch if remaining <= visible else "*")
            remaining -= 1
        else:
            expected.append(ch)
    assert mask_tail(raw, visible) == "".join(expected)


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(1, 6)), max_size=8),
    st.integers(0, 80),
    st.integers(1, 10),
)
def test_token_overlap_by_bisection_equals_checking_every_token(
    gaps: list[tuple[int, int]], start: int, width: int
) -> None:
    spans, at = [], 0
    for gap, length in gaps:  # sorted, disjoint spans, as tokens are
        spans.append((at + gap, at + gap + length))
        at += gap + length
    end = start + width
    expected = any(low < end and start < high for low, high in spans)
    assert _in_token(spans, [low for low, _ in spans], start, end) is expected


def test_redaction_tail_needs_stars_before_at_most_four_characters() -> None:
    text = "SSN ***-**-6789, card ************1111, ref 6789, *12345"
    assert _redacted_tail(text, text.index("6789"), text.index("6789") + 4)
    assert _redacted_tail(text, text.index("1111"), text.index("1111") + 4)
    last = text.rindex("6789")
    assert not _redacted_tail(text, last, last + 4)  # no star before it
    assert not _redacted_tail(text, text.index("12345"), len(text))  # five digits


def _reference_units(
    pieces: list[str], size: int, overlap: int
) -> list[tuple[str, int, int, int, int]]:
    """Chunk as the rule says, copying freely: before + own + after, each cut."""
    text, units = "".join(pieces), []
    start, line = 0, 1
    while start < len(text):
        rest = len(text) - start
        # The stream knows it has ended only when it asked for more text than
        # it holds: with exactly ``size + overlap`` left, a unit is still cut.
        if rest < size + overlap and rest <= size:
            cut = rest
        else:
            cut = size
            floor = start + size - size // 4
            for mark in ("\n\n", "\n"):
                found = text.rfind(mark, floor, start + size)
                if found != -1:
                    cut = found + len(mark) - start
                    break
        low = max(0, start - overlap)
        units.append(
            (
                text[low : start + cut + overlap],
                low,
                line - text.count("\n", low, start),
                start - low,
                start - low + cut,
            )
        )
        line += text.count("\n", start, start + cut)
        start += cut
    return units


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet="ab\n é", max_size=40), max_size=30),
    st.integers(1, 60),
    st.integers(0, 20),
)
def test_units_streamed_from_one_window_equal_units_cut_and_copied(
    pieces: list[str], size: int, overlap: int
) -> None:
    limits = Limits(chunk_chars=size, chunk_overlap=overlap)
    streamed = [
        (u.text, u.base_offset, u.first_line, u.own_start, u.own_end)
        for u in stream_units(pieces, limits)
    ]
    assert streamed == _reference_units(pieces, size, overlap)


@pytest.mark.parametrize("size", [100, SNIFF_BYTES - 1, SNIFF_BYTES, 3 * SNIFF_BYTES])
def test_a_document_shorter_than_its_sniffed_head_is_opened_once(size: int) -> None:
    data = ("name,note\n" + "Ann Lee,on file\n" * size)[:size].encode()
    opened: list[int] = []

    def open_source() -> io.BytesIO:
        opened.append(1)
        return io.BytesIO(data)

    context = ReadContext()
    units = list(read_source(Source("a.txt", open_source, len(data)), context))
    again = list(read_source(Source("a.txt", lambda: io.BytesIO(data)), context))
    assert units == again
    assert "".join(u.text[u.own_start : u.own_end] for u in units) == data.decode()
    assert len(opened) == (1 if size < SNIFF_BYTES else 2)


_OPTIONS = DetectOptions(fingerprint_key=b"0" * 32)


def _table_findings(text: str, folder: Path) -> list[Finding]:
    path = folder / "table.csv"
    path.write_bytes(text.encode("utf-8"))
    return [
        finding
        for unit in read_source(file_source(path), ReadContext())
        for finding in detect(unit, "table.csv", _OPTIONS)
    ]


@pytest.mark.pure_python
@pytest.mark.parametrize("seed", [3, 4])
def test_candidates_set_aside_without_labels_are_those_labels_set_aside(
    seed: int, tmp_path: Path
) -> None:
    """A candidate no keyword group of its unit can turn into an element is set
    aside before its labels are looked for: the findings of the table corpus
    and of each record of the prose corpus scanned alone (few keywords each)
    are the same as when every unit seems to hold every group."""
    corpus = generate_prose_corpus(seed, 600)
    records = [corpus.text[start:end] for start, end in corpus.records]
    table = generate_table_corpus(seed, 600).text
    looks = [0, 0]
    real_labels = context.UnitContext.labels

    def run(index: int) -> tuple[list[Finding], list[Finding]]:
        def counted(self: context.UnitContext, *args: Any) -> Any:
            looks[index] += 1
            return real_labels(self, *args)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(context.UnitContext, "labels", counted)
            if index:
                every = frozenset(keywords.WORDS) | {keywords.STATE}
                patch.setattr(context, "label_groups", lambda *_: every)
            prose = [f for record in records for f in scan_text(record, _OPTIONS)]
            return prose, _table_findings(table, tmp_path)

    quick, full = run(0), run(1)
    assert quick == full
    assert len(full[0]) > 500 and len(full[1]) > 500
    assert looks[1] - looks[0] > 20  # the shortcut was taken, not only offered


def test_an_identifier_column_is_set_aside_unless_a_label_can_read_it(
    tmp_path: Path,
) -> None:
    """Nine-digit student IDs are set aside; the same numbers under a column
    headed ``ssn`` are SSNs, and a routing, account or licence number with its
    keyword in a note is one while the IDs around it stay set aside."""
    ids = "\n".join(f"{n},{234567000 + n},9" for n in range(1, 301))
    assert _table_findings(f"n,student_id,grade\n{ids}\n", tmp_path) == []
    as_ssn = _table_findings(f"n,ssn,grade\n{ids}\n", tmp_path)
    assert len(as_ssn) == 300
    assert {finding.element.value for finding in as_ssn} == {"SSN"}
    routed = f"n,student_id,note\n{ids}\n301,5,routing 021000021\n"
    [finding] = _table_findings(routed, tmp_path)
    assert finding.element.value == "ROUTING_NUMBER"
    banked = f"n,student_id,note\n{ids}\n301,5,account 7302198845\n"
    [finding] = _table_findings(banked, tmp_path)
    assert finding.element.value == "BANK_ACCOUNT"
    licensed = f"n,student_id,note\n{ids}\n301,5,DL 902418375\n"
    [finding] = _table_findings(licensed, tmp_path)
    assert finding.element.value == "DRIVER_LICENSE"


_LICENCE_TEXT = st.lists(
    st.sampled_from(
        ["DL ", "license ", "driver license no. ", "ID: ", "Oklahoma ", "OK ",
         "TX ", "ssn ", "phone ", "account ", "routing ", "passport ", "student ",
         "Maria Lopez ", "12345678 ", "123456789 ", "4111111111111111 ",
         "0123456 ", "99999999 ", "234567891 ", "\n\n", ", "]
    ),
    max_size=25,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_LICENCE_TEXT, st.sampled_from(["", "OK", "TX"]))
def test_a_digit_run_judged_once_needs_no_second_look_as_a_licence(
    text: str, home: str
) -> None:
    """A digit run right after a licence keyword is a candidate twice: as digits
    (every reading, the licence one included) and as a licence token. The
    detector judges it once; judged as a licence alone it is never anything the
    digit reading missed."""
    options = DetectOptions(fingerprint_key=b"0" * 32, home_state=home or None)
    unit = TextUnit(text)
    ctx = context.UnitContext(unit, KeywordIndex(find_keywords(text)), options.window)
    digits = {
        (c.start, c.end): c
        for c in candidates.find_candidates(text, [(0, len(text))])
        if c.shape == "digits"
    }
    for licence in engine._license_candidates(ctx):
        twin = digits.get((licence.start, licence.end))
        if twin is None:
            continue
        record = ctx.record_index(licence.start)
        alone = resolve.resolve(licence, ctx, record, options)
        if alone is not None:
            assert resolve.resolve(twin, ctx, record, options) is not None


def _named_matches(
    pattern: re.Pattern[str],
    text: str,
    span: tuple[int, int],
    name: Callable[[re.Match[str]], str | None] = lambda match: match.lastgroup,
) -> list[tuple[tuple[int, int], str | None]]:
    """Return each match of ``pattern`` in ``text[span]``: its span and name."""
    return [(match.span(), name(match)) for match in pattern.finditer(text, *span)]


_SHAPES = ("ssn", "card", "aba", "spaced", "digits", "alnum")


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            _PIECES,
            st.sampled_from(
                [
                    "٣٤٥٦٧٨٩٠١",
                    "A12345",
                    "x1234567",
                    "AB1234",
                    "ABCD12345",
                    "1234-5678-9",
                    "123 456 789",
                    "4111-111111-11111",
                    "123.45.6789",
                    "0",
                    "/",
                    "$",
                    "#",
                    "12345678901234567890",
                ]
            ),
        ),
        max_size=40,
    ).map("".join),
    st.integers(0, 300),
    st.integers(0, 300),
)
@example("a A12345 9", 0, 10).via("a capital run after a letter")
@example("12345678 x", 1, 10).via("a search that starts inside a number")
@example("1234567890123456789 12345678901234567890", 0, 0).via("19 digits, 20")
def test_candidates_found_from_their_first_character_equal_the_rule(
    text: str, low: int, high: int
) -> None:
    """The candidate expression, written to skip to a digit or a capital and
    to name each shape by an empty group, finds what the rule as stated finds:
    the same spans with the same shapes, over the whole text and in a region."""
    rule = re.compile(candidates.CANDIDATE_RULE)

    def shape(match: re.Match[str]) -> str:
        return next(name for name in _SHAPES if match.group(name) is not None)

    for span in ((0, len(text)), (low, high)):
        found = _named_matches(candidates.CANDIDATE_RE, text, span)
        assert found == _named_matches(rule, text, span, shape)
    # Resolving skips taking separators out of these shapes: they have none.
    for (start, end), name in _named_matches(rule, text, (0, len(text)), shape):
        if name in resolve._UNSEPARATED:
            assert not set(text[start:end]) & set(" -."), name


_NAMEY = st.lists(
    st.sampled_from(
        ["Maria", "Lopez", "LOPEZ", "De La Cruz", "J.", "J. K.", "Mr.", "Dr",
         "O'Neil", "Smith-Jones", "Élodie", "van", "Van", "Elementary", "St",
         " ", ", ", ",", "\t", "-", ".", "'", "ssn", "234-56-7891", "x", "7"]
    ),
    max_size=30,
).map("".join)  # fmt: skip


_TOKENY = st.lists(
    st.one_of(
        _NAMEY,
        st.sampled_from(
            ["Mrs", "Ms.", "Mx", "Drs", "Mrx", "MR", "M", "D", "É.", "A.B.", "O'BRIEN",
             "SMITH-JONES", "AB-C", "McDonald", "_", "\n", "ß", "Ø"]
        ),
    ),
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(_TOKENY, st.integers(0, 200), st.integers(0, 200))
@example("Mrs. Lee", 0, 8).via("an honorific that goes on past Mr")
@example("xMaria Lopez", 0, 12).via("a capital inside a word")
@example("Maria Lopez", 1, 11).via("a search that starts inside a word")
def test_name_tokens_found_from_their_capital_equal_the_rule(
    text: str, low: int, high: int
) -> None:
    """The name-token expression, written to skip to capitals and to name each
    kind by an empty group, finds what the rule as stated finds: the same
    tokens of the same kinds, over the whole text and in a window."""
    rule = re.compile(person_name.TOKEN_RULE)
    for span in ((0, len(text)), (low, high)):
        found = _named_matches(person_name._TOKEN_RE, text, span)
        assert found == _named_matches(rule, text, span)


@settings(max_examples=400, deadline=None)
@given(_NAMEY)
def test_every_name_found_has_a_place_where_its_tokens_meet(text: str) -> None:
    """``may_hold_name`` is ``False`` only where no name can be: each name
    :func:`find_names` finds holds a place where two of its tokens meet."""
    for name in person_name.find_names(text, 0, len(text)):
        assert person_name.may_hold_name(text, name.start, name.end)


_CELL = st.one_of(_NAMEY, st.sampled_from(["234-56-7891", "4111 1111 1111 1111"]))


@pytest.mark.pure_python
@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["name", "first_name", "last_name", "note"]),
    st.sampled_from([",", ", ", "\t"]),
    st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=12),
)
def test_rows_without_two_words_that_meet_are_not_searched_for_names(
    column: str, delimiter: str, rows: list[tuple[str, str, str]]
) -> None:
    """Outside its name cells, a row where no two capitalised words meet is
    not searched for names: the findings are those of searching every row."""
    clean = [[cell.replace('"', "") for cell in row] for row in rows]
    lines = [delimiter.join(["ssn", column, "note"])]
    lines += [delimiter.join(f'"{cell}"' for cell in row) for row in clean]
    text = "\n".join(lines) + "\n"
    source = Source("t.csv", lambda: io.BytesIO(text.encode()), len(text.encode()))

    def findings() -> list[Finding]:
        return [
            finding
            for unit in read_source(source, ReadContext())
            for finding in detect(unit, "t.csv", _OPTIONS)
        ]

    quick = findings()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "may_hold_name", lambda *_: True)
        assert findings() == quick


@pytest.mark.pure_python
def test_a_row_with_only_its_name_cell_to_read_is_not_searched_again(
    tmp_path: Path,
) -> None:
    """The staff export's rows hold a name in the name column and no other
    words a name could be made of: no row is searched again for names, and
    every name is still found; a name in a note is found by the search."""
    rows = [f"Maria Lopez,234-56-{7000 + n},on file" for n in range(50)]
    rows.append("Ann Lee,234-56-7999,spoke with John Smith")
    searched: list[tuple[int, int]] = []
    real = person_name.find_names

    def spy(text: str, start: int, end: int) -> Any:
        searched.append((start, end))
        return real(text, start, end)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "find_names", spy)
        found = _table_findings("name,ssn,note\n" + "\n".join(rows) + "\n", tmp_path)
    assert len(searched) == 1
    names = [f for f in found if f.element.value == "PERSON_NAME"]
    assert [f.masked for f in names[-2:]] == ["A. L**", "J. S****"]
    assert len(names) == 52 and all(f.statutory for f in names)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789", max_size=25) | st.from_regex(r"[0-9٣x]{0,19}"))
@example("4111111111111111").via("a valid card")
@example("4111111111111112").via("one digit off")
def test_luhn_by_table_equals_luhn_by_loop(digits: str) -> None:
    """The Luhn check sums table-doubled digits in one go: the digit-by-digit
    check's answer for every digit string (and for other strings, that loop)."""
    assert payment_card.luhn_valid(digits) == payment_card.luhn_digit_by_digit(digits)


@given(st.text(max_size=3), st.text(max_size=12))
def test_a_masked_name_shows_initials_as_a_joined_form_would(
    first: str, last: str
) -> None:
    """``mask_name`` builds the masked form directly: what joining the parts
    that are present would give."""
    parts = [
        f"{first[0]}." if first else "",
        f"{last[0]}{'*' * (len(last) - 1)}" if last else "",
    ]
    expected = " ".join(part for part in parts if part)
    assert person_name.mask_name(first, last) == expected


_FINDING_VALUES = st.tuples(
    st.text(max_size=8),
    st.sampled_from(list(Element)),
    st.none() | st.integers(0, 10**6),
    st.none() | st.integers(0, 10**6),
    st.text(max_size=8),
    st.floats(0, 1),
    st.text(max_size=8),
    st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    st.text(max_size=8),
    st.booleans(),
    st.text(max_size=4),
)


@settings(max_examples=200, deadline=None)
@given(_FINDING_VALUES)
def test_findings_made_slot_by_slot_equal_findings_made_by_the_dataclass(
    values: tuple[object, ...],
) -> None:
    """The detector sets a finding's slots itself rather than through the
    frozen dataclass's ``__init__``: the same finding, field for field, that
    compares, hashes, prints and pickles the same."""
    assert not hasattr(Finding, "__post_init__")
    made = engine._new_finding(values)
    plain = Finding(*values)  # type: ignore[arg-type]
    assert made == plain
    assert hash(made) == hash(plain)
    assert repr(made) == repr(plain)
    assert pickle.loads(pickle.dumps(made)) == plain  # noqa: S301 - made here
    assert [getattr(made, f.name) for f in dataclasses.fields(Finding)] == list(values)


@settings(max_examples=200, deadline=None)
@given(_FINDING_VALUES)
def test_a_findings_dict_spelled_out_equals_the_dataclass_as_a_dict(
    values: tuple[object, ...],
) -> None:
    """``Finding.to_dict`` names each field itself rather than asking
    ``dataclasses.asdict``: the same keys in the same order (the JSON Lines
    contract's), the same values, the element by its name."""
    finding = Finding(*values)  # type: ignore[arg-type]
    expected = dataclasses.asdict(finding)
    expected["element"] = str(finding.element)
    assert list(finding.to_dict().items()) == list(expected.items())
