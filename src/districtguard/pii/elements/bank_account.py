"""US bank account numbers.

Six to seventeen digits with no checksum, so a bare digit run means nothing: a
number is reported only when a bank-account keyword ("checking account", "acct
#", "direct deposit account") labels it or it sits in an account column, as in
Microsoft Purview ``sit-defn-us-bank-account-number`` and AWS's
``BankAccountNumber-US``. Runs of one repeated digit are rejected.
"""

from __future__ import annotations

MIN_DIGITS = 6
MAX_DIGITS = 17


def account_plausible(digits: str) -> bool:
    """Return whether a digit run could be a US bank account number."""
    return (
        MIN_DIGITS <= len(digits) <= MAX_DIGITS
        and digits.isdigit()
        and len(set(digits)) > 1
    )
