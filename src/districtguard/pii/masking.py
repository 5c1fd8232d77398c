"""Masked values: only what statutory redaction would leave visible."""

from __future__ import annotations


def mask_tail(raw: str, visible: int = 4) -> str:
    """Keep separators and the last ``visible`` letters or digits; star the rest.

    ``123-45-6789`` becomes ``***-**-6789`` and ``4111 1111 1111 1111`` becomes
    ``**** **** **** 1111``: the shape stays readable, the value does not.
    """
    if raw.isalnum():  # no separators, the usual case: stars, then the tail
        hidden = len(raw) - visible
        return "*" * hidden + raw[hidden:] if hidden > 0 else raw
    remaining = sum(ch.isalnum() for ch in raw)
    out = []
    for ch in raw:
        if ch.isalnum():
            out.append(ch if remaining <= visible else "*")
            remaining -= 1
        else:
            out.append(ch)
    return "".join(out)
