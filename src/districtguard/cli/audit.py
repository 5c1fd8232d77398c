"""``districtguard audit verify``: check the audit log's hash chain.

Removing the newest entries leaves a chain that still verifies; only a head
noted outside the system reveals it. So a clean run prints the entry count and
head hash to note down, and ``--expect-count``/``--expect-head`` check a note.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from districtguard.cli.common import EXIT_FINDINGS, EXIT_OK, UsageError
from districtguard.cli.manage import setup_django

AUDIT_EPILOG = """\
exit codes:
  0  the chain verifies (and matches the noted head, if given)
  1  the chain is broken or does not match the note; each problem is listed
  2  usage: a malformed hash, or no database to check

environment:
  DJANGO_SETTINGS_MODULE    settings (default districtguard.web.settings)
  DISTRICTGUARD_HOME        data folder (database, audit.key)
  DATABASE_URL              PostgreSQL instead of the SQLite file in the home
  DISTRICTGUARD_AUDIT_KEY   the audit log's HMAC key, if not audit.key
"""

_HASH = re.compile(r"[0-9a-f]{64}")


def add_parser(commands: Any) -> None:
    """Add ``audit`` to the command line."""
    parser = commands.add_parser(
        "audit",
        help="check the audit log's hash chain",
        description="Work with the tamper-evident audit log.",
    )
    actions = parser.add_subparsers(
        dest="audit_command", required=True, metavar="ACTION"
    )
    verify = actions.add_parser(
        "verify",
        help="verify every entry and link; say where the chain breaks",
        description="Verify every audit entry's hash and its link to the entry "
        "before it. Prints the entry count and head hash: note them outside "
        "this system, and pass them back later to detect removed newest entries.",
        epilog=AUDIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument(
        "--expect-count",
        type=int,
        metavar="N",
        help="the log held N entries when noted; fewer now means entries were removed",
    )
    verify.add_argument(
        "--expect-head",
        metavar="HASH",
        help="the head hash noted earlier (entry N's hash with --expect-count); "
        "it must still be in the chain",
    )
    verify.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="json: one object with ok, entries, head and problems",
    )
    verify.set_defaults(run=run_verify)


def _check_note(
    entries: int, expect_count: int | None, expect_head: str | None
) -> list[tuple[int, str]]:
    from districtguard.accounts.audit import AuditEntry

    problems: list[tuple[int, str]] = []
    if expect_count is not None and entries < expect_count:
        problems.append(
            (
                entries + 1,
                f"the log has {entries} entries but {expect_count} were noted: "
                f"entries #{entries + 1} to #{expect_count} were removed",
            )
        )
    if expect_head is not None:
        if expect_count is not None:
            noted = AuditEntry.objects.filter(seq=expect_count).first()
            if noted is not None and noted.hash != expect_head:
                problems.append(
                    (expect_count, "does not have the noted head hash (replaced)")
                )
        elif not AuditEntry.objects.filter(hash=expect_head).exists():
            problems.append(
                (
                    entries,
                    "no entry has the noted head hash: entries up to it were "
                    "removed or replaced",
                )
            )
    return problems


def run_verify(args: argparse.Namespace) -> int:
    """Verify the chain, print the outcome, return 0 (intact) or 1 (broken)."""
    if args.expect_head is not None and not _HASH.fullmatch(args.expect_head):
        raise UsageError("--expect-head takes the 64 hex digits printed by verify")
    if args.expect_count is not None and args.expect_count < 0:
        raise UsageError("--expect-count takes a number of entries, 0 or more")
    setup_django()
    from django.db import DatabaseError

    from districtguard.accounts import audit

    try:
        found = audit.verify_chain()
        head = audit.AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        entries = head.seq if head else 0
        head_hash = head.hash if head else audit.GENESIS
        problems = [(p.seq, p.problem) for p in found]
        problems += _check_note(entries, args.expect_count, args.expect_head)
    except DatabaseError as exc:
        raise UsageError(
            f"cannot read the audit log ({type(exc).__name__}); is the database "
            "set up (districtguard up, or districtguard manage migrate)?"
        ) from None
    if args.format == "json":
        sys.stdout.write(
            json.dumps(
                {
                    "ok": not problems,
                    "entries": entries,
                    "head": head_hash,
                    "problems": [{"entry": s, "problem": p} for s, p in problems],
                }
            )
            + "\n"
        )
    elif problems:
        for seq, problem in problems:
            sys.stdout.write(f"entry #{seq}: {problem}\n")
        sys.stdout.write(
            f"BROKEN: {len(problems)} problem(s) in {entries} entries; "
            "keep a copy of the database as evidence\n"
        )
    else:
        sys.stdout.write(f"OK: {entries} entries, head {head_hash}\n")
        sys.stdout.write(
            "Note the count and head outside this system; later run: "
            f"districtguard audit verify --expect-count {entries} "
            f"--expect-head {head_hash}\n"
        )
    return EXIT_FINDINGS if problems else EXIT_OK
