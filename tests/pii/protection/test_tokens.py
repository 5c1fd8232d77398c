"""The token format: self-describing, safe in text formats, whole beside any text."""

from __future__ import annotations

import csv
import io
import json
import os
from email import message_from_string
from email.message import EmailMessage
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from districtguard.pii.elements import Element
from districtguard.pii.protection.base import ProtectionError
from districtguard.pii.protection.tokens import (
    ELEMENT_CODES,
    TOKEN_RE,
    count_tokens,
    decode_token,
    encode_token,
    find_tokens,
)

KID = "abcdefgh"


def _token(element: Element = Element.SSN, size: int = 11) -> str:
    return encode_token(KID, element, os.urandom(12), os.urandom(size + 16))


def test_a_token_names_its_version_key_and_element() -> None:
    token = _token(Element.PAYMENT_CARD)
    prefix, kid, body, code = token.split(".")
    assert (prefix, kid, code) == ("dgp1", KID, "P")
    assert set(body) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


@pytest.mark.parametrize("element", list(Element))
def test_encode_then_decode_gives_the_parts_back(element: Element) -> None:
    nonce, sealed = os.urandom(12), os.urandom(40)
    parts = decode_token(encode_token(KID, element, nonce, sealed))
    assert (parts.kid, parts.element, parts.nonce, parts.sealed) == (
        KID,
        element,
        nonce,
        sealed,
    )


def test_element_codes_are_distinct_letters() -> None:
    assert len(set(ELEMENT_CODES.values())) == len(Element)
    assert all(len(code) == 1 and code.isupper() for code in ELEMENT_CODES.values())


@pytest.mark.parametrize(
    "after", ["-visa", "_x", "abc", "0123", ".", ". Next", ".S", "-", "\n", ""]
)
def test_a_token_stays_whole_beside_any_text(after: str) -> None:
    token = _token()
    matches = list(find_tokens(f"({token}{after}"))
    assert [m.group() for m in matches] == [token]


@settings(max_examples=200)
@given(st.text(max_size=40), st.text(max_size=40), st.integers(0, 200))
def test_tokens_are_found_exactly_in_any_surrounding_text(
    before: str, after: str, size: int
) -> None:
    token = _token(size=size)
    text = f"{before} {token} {after}"
    found = [m.group() for m in find_tokens(text)]
    assert token in found
    assert count_tokens(text) == len(found)


def test_tokens_need_no_quoting_in_csv_json_xml_or_email() -> None:
    token = _token(size=60)
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_MINIMAL).writerow(["a", token])
    assert buffer.getvalue() == f"a,{token}\r\n"
    assert json.dumps(token) == f'"{token}"'
    assert escape(token) == token
    assert quoteattr(token) == f'"{token}"'
    message = EmailMessage()
    message.set_content(f"SSN {token}\n")
    # A long token may be soft-wrapped by quoted-printable; decoded, it is whole.
    body = message_from_string(message.as_string()).get_payload(decode=True)
    assert isinstance(body, bytes) and token in body.decode("ascii")


@pytest.mark.parametrize(
    "text",
    [
        "dgp1.abcdefgh.short.S",  # body too short to hold a nonce and a tag
        "dgp1.ABCDEFGH." + "A" * 40 + ".S",  # key ids are lower case
        "dgp1.abcdefg1." + "A" * 40 + ".S",  # 1 is not in the key-id alphabet
        "dgp1.abcdefgh." + "A" * 40 + ".X",  # no such element
        "dgp2.abcdefgh." + "A" * 40 + ".S",  # another version
        "dgp1.abcdefgh." + "A" * 40,  # no element letter
    ],
)
def test_near_misses_are_not_tokens(text: str) -> None:
    assert TOKEN_RE.fullmatch(text) is None
    with pytest.raises(ProtectionError, match="not a protection token"):
        decode_token(text)


def test_bad_base64_is_a_clear_error() -> None:
    # 41 characters: one more than a whole number of base64 groups allows.
    with pytest.raises(ProtectionError, match="damaged"):
        decode_token("dgp1.abcdefgh." + "A" * 41 + ".S")


def test_encode_refuses_a_malformed_key_id_or_nonce() -> None:
    with pytest.raises(ProtectionError, match="key id"):
        encode_token("BAD", Element.SSN, os.urandom(12), os.urandom(20))
    with pytest.raises(ProtectionError, match="nonce"):
        encode_token(KID, Element.SSN, os.urandom(8), os.urandom(20))


def test_text_without_the_prefix_has_no_tokens() -> None:
    assert list(find_tokens("SSN 234-56-7891, nothing protected")) == []
    assert count_tokens("") == 0
