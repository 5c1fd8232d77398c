"""Decoding: byte order marks, UTF-8, the Windows-1252 fallback, bad bytes later on."""

from __future__ import annotations

import codecs
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii.documents import encoding as encoding_module
from districtguard.pii.documents.base import ReadContext
from districtguard.pii.documents.encoding import (
    decode_bytes,
    detect_encoding,
    iter_text,
)

TEXT = "Zoë Exampleton, SSN 000-12-3456 — café\r\nline two\n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
def test_byte_order_mark_chooses_the_encoding_and_is_not_text(
    encoding: str, bom: bytes
) -> None:
    data = bom + TEXT.encode(encoding)

    assert detect_encoding(data) == (encoding, len(bom))
    assert decode_bytes(data) == TEXT


def test_utf16_without_a_mark_is_recognised_by_its_nul_bytes() -> None:
    data = TEXT.encode("utf-16-le")

    assert detect_encoding(data)[0] == "utf-16-le"
    assert decode_bytes(data) == TEXT


def test_plain_utf8_is_decoded_as_utf8() -> None:
    assert decode_bytes(TEXT.encode("utf-8")) == TEXT


def test_invalid_utf8_at_the_start_means_windows_1252() -> None:
    context = ReadContext()

    assert decode_bytes(b"caf\xe9 \x93quoted\x94", context) == "café “quoted”"
    assert context.problems == []


def test_undefined_windows_1252_bytes_are_replaced_not_raised() -> None:
    assert (
        decode_bytes(b"caf\xe9 \x81\x8d\x8f\x90\x9d")
        == "café \ufffd\ufffd\ufffd\ufffd\ufffd"
    )


def test_invalid_utf8_after_the_first_block_is_replaced_with_one_warning() -> None:
    context = ReadContext()
    data = b"a" * 100 + b"\xff tail \xfe end " + "é".encode() * 3

    text = "".join(iter_text(io.BytesIO(data), context, block_bytes=64))

    assert text == "a" * 100 + "\ufffd tail \ufffd end " + "é" * 3
    assert len(context.problems) == 1
    assert "near byte 100" in context.problems[0]


def test_a_character_split_between_blocks_is_decoded_whole() -> None:
    data = ("x" + "é" * 50).encode()

    pieces = list(iter_text(io.BytesIO(data), ReadContext(), block_bytes=2))

    assert "".join(pieces) == "x" + "é" * 50


def test_a_character_cut_off_at_the_end_is_replaced_with_a_warning() -> None:
    context = ReadContext()
    data = b"b" * 80 + "é".encode()[:1]

    text = "".join(iter_text(io.BytesIO(data), context, block_bytes=64))

    assert text == "b" * 80 + "\ufffd"
    assert len(context.problems) == 1


def test_short_reads_still_fill_the_first_block() -> None:
    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            piece, self.data = self.data[:1], self.data[1:]
            return piece

    data = codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")

    assert "".join(iter_text(Trickle(data), ReadContext())) == TEXT


def test_empty_input_decodes_to_nothing() -> None:
    assert list(iter_text(io.BytesIO(b""), ReadContext())) == []


def _full_check(head: bytes, complete: bool) -> tuple[str, int]:
    """Choose a codec the long way: the NUL counts always, a trial decode always."""
    for bom, encoding in encoding_module._BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    sample = head[:4096]
    if len(sample) >= 8:
        even_nul = sample[0::2].count(0) / len(sample[0::2])
        odd_nul = sample[1::2].count(0) / len(sample[1::2])
        if odd_nul > 0.4 and even_nul < 0.05:
            return "utf-16-le", 0
        if even_nul > 0.4 and odd_nul < 0.05:
            return "utf-16-be", 0
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return "cp1252", 0
    return "utf-8", 0


_HEADS = st.one_of(
    st.binary(max_size=64),
    st.text(max_size=32).map(lambda text: text.encode("utf-8")),
    st.text(max_size=32).map(lambda text: text.encode("utf-16-le")),
    st.text(alphabet=st.characters(max_codepoint=127), max_size=64).map(str.encode),
)


@settings(max_examples=500)
@given(head=_HEADS, complete=st.booleans())
def test_the_quick_checks_choose_what_the_full_check_chooses(
    head: bytes, complete: bool
) -> None:
    # No NUL byte cannot be UTF-16 by its NULs; ASCII is always valid UTF-8.
    assert detect_encoding(head, complete) == _full_check(head, complete)


_DOCUMENTS = st.lists(
    st.one_of(
        st.text(max_size=12).map(lambda text: text.encode("utf-8")),
        st.sampled_from(
            [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"\xff", b"\xe9", b"\0", b"\r\n"]
        ),
        st.text(max_size=12).map(lambda text: text.encode("utf-16-le")),
    ),
    max_size=16,
).map(b"".join)


@settings(max_examples=400)
@given(data=_DOCUMENTS, block=st.integers(2, 24), first=st.integers(0, 200))
def test_a_large_first_piece_decodes_as_block_by_block_reading(
    data: bytes, block: int, first: int
) -> None:
    # A file read whole in its first piece: the same text, the same warnings,
    # and the encoding still chosen from the first block alone.
    blockwise, whole = ReadContext(), ReadContext()
    expected = list(iter_text(io.BytesIO(data), blockwise, block_bytes=block))
    pieces = list(iter_text(io.BytesIO(data), whole, block, first_bytes=first))
    assert "".join(pieces) == "".join(expected)
    assert whole.problems == blockwise.problems
    if block < first and len(data) < first and not whole.problems:
        assert len(pieces) <= 1  # the whole document in one piece


def test_a_first_block_holding_only_the_mark_is_not_the_end() -> None:
    data = codecs.BOM_UTF8 + b"after the mark"

    text = "".join(iter_text(io.BytesIO(data), ReadContext(), block_bytes=3))

    assert text == "after the mark"
