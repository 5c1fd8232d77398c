"""Masked values: only what statutory redaction would leave visible."""

from __future__ import annotations

import string
from typing import Final

# ASCII letters and digits to stars, everything else as it is: for ASCII text
# this is exactly ``isalnum``, which the general rule below stars.
_STARS: Final = str.maketrans(dict.fromkeys(string.ascii_letters + string.digits, "*"))


def mask_tail(raw: str, visible: int = 4) -> str:
    """Keep separators and the last ``visible`` letters or digits; star the rest.

    ``123-45-6789`` becomes ``***-**-6789`` and ``4111 1111 1111 1111`` becomes
    ``**** **** **** 1111``: the shape stays readable, the value does not.
    """
    if raw.isalnum():  # no separators, the usual case: stars, then the tail
        hidden = len(raw) - visible
        return "*" * hidden + raw[hidden:] if hidden > 0 else raw
    if raw.isascii():  # separators: find where the tail starts, star before it
        cut, seen = len(raw), 0
        while cut > 0 and seen < visible:
            cut -= 1
            seen += raw[cut].isalnum()
        return raw[:cut].translate(_STARS) + raw[cut:]
    remaining = sum(ch.isalnum() for ch in raw)
    out = []
    for ch in raw:
        if ch.isalnum():
            out.append(ch if remaining <= visible else "*")
            remaining -= 1
        else:
            out.append(ch)
    return "".join(out)
