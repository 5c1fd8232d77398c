"""``districtguard keys``: make, list and rotate the keys that encrypt values.

Output names keys by id only; key material is never printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from districtguard.cli.common import EXIT_OK, UsageError
from districtguard.pii.protection.keys import (
    KEK_FILE_ENV,
    Kek,
    KeyRing,
    KeySetupError,
    load_kek,
    read_kek_file,
    write_kek_file,
)

KEYS_EPILOG = """\
exit codes:
  0  done
  2  the keys cannot be used as asked: no keyring yet, a wrong or badly kept
     key-encryption key, a keyring that already exists

environment:
  DISTRICTGUARD_KEK       key-encryption key (base64 of 32 bytes)
  DISTRICTGUARD_KEK_FILE  file holding it (mode 0600)
  DISTRICTGUARD_HOME      data folder (keyring.json, and kek.key by default)

Keep the key-encryption key away from the data it protects and back it up:
without it no encrypted value can be restored.
"""


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _create(args: argparse.Namespace) -> int:
    ring = KeyRing.create()
    key = ring.active()
    _out(f"Created keyring {ring.path}")
    _out(f"  active data key {key.kid}, wrapped by key-encryption key {key.kek}")
    _out(f"  key-encryption key from {ring.kek.source}")
    _out("Back up the key-encryption key somewhere apart from the data.")
    return EXIT_OK


def _describe_kek() -> tuple[Kek | None, str]:
    try:
        kek = load_kek()
    except KeySetupError as exc:
        return None, f"none usable ({exc})"
    return kek, f"{kek.kid} (from {kek.source})"


def _list(args: argparse.Namespace) -> int:
    infos = KeyRing.read_info()
    kek, kek_text = _describe_kek()
    if args.format == "json":
        rows = [
            {"kid": i.kid, "state": i.state, "created": i.created, "kek": i.kek}
            for i in infos
        ]
        document = {"kek_in_use": kek.kid if kek else None, "keys": rows}
        _out(json.dumps(document, indent=2))
        return EXIT_OK
    _out(f"{'KID':<10}{'STATE':<9}{'CREATED':<22}WRAPPED BY KEK")
    for info in infos:
        _out(f"{info.kid:<10}{info.state:<9}{info.created:<22}{info.kek}")
    _out(f"Key-encryption key in use: {kek_text}")
    if kek is not None and any(info.kek != kek.kid for info in infos):
        _out("Warning: this key-encryption key does not open the keyring.")
    return EXIT_OK


def _new_kek(path: Path) -> Kek:
    path = path.expanduser()
    return read_kek_file(path) if path.exists() else write_kek_file(path)


def _rotate(args: argparse.Namespace) -> int:
    if args.new_kek_file and not args.rewrap:
        raise UsageError("--new-kek-file goes with --rewrap")
    ring = KeyRing.load()
    retired = ring.active().kid
    new_kek = _new_kek(args.new_kek_file) if args.new_kek_file else None
    info = ring.rotate(rewrap=args.rewrap, new_kek=new_kek)
    _out(f"New active data key {info.kid}; {retired} is retired and still decrypts.")
    if args.rewrap:
        _out(
            f"Every data key is now wrapped by key-encryption key {info.kek} "
            f"({ring.kek.source}); no protected file was touched."
        )
        if new_kek is not None:
            _out(
                f"Point {KEK_FILE_ENV} at {new_kek.path} (or put that key in "
                "DISTRICTGUARD_KEK): the old key-encryption key no longer opens "
                "the keyring."
            )
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    try:
        code: int = args.action(args)
    except KeySetupError as exc:  # missing, wrong or badly kept keys
        raise UsageError(str(exc)) from None
    return code


def add_parser(commands: Any) -> None:
    """Add ``keys`` to the subcommands."""
    parser = commands.add_parser(
        "keys",
        help="make, list and rotate encryption keys",
        description="Make, list and rotate the keys that encrypt protected values.",
        epilog=KEYS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        dest="keys_command", required=True, metavar="ACTION"
    )
    create = actions.add_parser(
        "create",
        help="make the keyring (and the key-encryption key file if none is set)",
    )
    create.set_defaults(action=_create)
    listing = actions.add_parser("list", help="show every data key (ids only)")
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(action=_list)
    rotate = actions.add_parser(
        "rotate",
        help="make a new active data key; --rewrap also moves to a new "
        "key-encryption key",
    )
    rotate.add_argument(
        "--rewrap",
        action="store_true",
        help="re-wrap every data key under a new key-encryption key "
        "(protected files are not touched)",
    )
    rotate.add_argument(
        "--new-kek-file",
        type=Path,
        metavar="FILE",
        help="the new key-encryption key (made there, mode 0600, if missing); "
        "needed when the current one comes from the environment",
    )
    rotate.set_defaults(action=_rotate)
    parser.set_defaults(run=_run)


__all__ = ["add_parser"]
