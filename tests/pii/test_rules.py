from __future__ import annotations

import datetime as dt

import pytest

from districtguard.pii import Element
from districtguard.pii.rules import OK_2008, OK_2026, resolve_rules, rules_for_date


@pytest.mark.parametrize(
    ("day", "rules"),
    [(dt.date(2025, 12, 31), OK_2008), (dt.date(2026, 1, 1), OK_2026)],
)
def test_rule_set_changes_on_the_amendment_date(day: dt.date, rules: object) -> None:
    assert rules_for_date(day) is rules


def test_amended_act_adds_three_elements() -> None:
    added = OK_2026.linked_elements - OK_2008.linked_elements
    assert added == {
        Element.CARD_EXPIRATION,
        Element.ROUTING_NUMBER,
        Element.GOVERNMENT_ID,
    }


def test_resolves_names_and_auto() -> None:
    assert resolve_rules("auto", dt.date(2025, 6, 1)) is OK_2008
    assert resolve_rules("ok-2026", dt.date(2025, 6, 1)) is OK_2026
    with pytest.raises(ValueError, match="unknown rule set"):
        resolve_rules("ok-1999", dt.date(2025, 6, 1))
