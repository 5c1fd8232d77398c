"""The district's detection settings, read from a TOML file.

The web application will keep these in its district settings; until then, and
for the command line always, they live in ``config.toml`` in the data home (or
the file named by ``DISTRICTGUARD_CONFIG`` or ``--config``). Command-line options
override the file. Example::

    [scan]
    home_state = "OK"
    min_confidence = 0.5
    rules = "auto"

    # Off by default: the district's own ID format, reported as GOVERNMENT_ID
    # when one of its keywords labels it (column header or words before it).
    [[scan.government_ids]]
    name = "student_id"
    pattern = 'S\\d{7}'
    keywords = ["student id", "student number"]
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from districtguard.pii.fingerprint import data_home
from districtguard.pii.options import GovernmentIdFormat

CONFIG_ENV = "DISTRICTGUARD_CONFIG"
_SCAN_KEYS = {"home_state", "min_confidence", "rules", "government_ids"}
_ID_KEYS = {"name", "pattern", "keywords"}


class ConfigError(Exception):
    """The configuration file cannot be used; the message says where and why."""


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """Settings from the file; ``None`` where the file says nothing.

    ``home_state`` is ``""`` when the file says ``"none"``: no home state at all.
    """

    home_state: str | None = None
    min_confidence: float | None = None
    rules: str | None = None
    government_ids: tuple[GovernmentIdFormat, ...] = ()
    source: Path | None = None


def default_config_path() -> Path | None:
    """Return the configuration file in force, or ``None`` when there is none."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser()
    path = data_home() / "config.toml"
    return path if path.is_file() else None


def _government_id(where: str, entry: Any) -> GovernmentIdFormat:
    if not isinstance(entry, dict) or set(entry) - _ID_KEYS:
        raise ConfigError(f"{where}: expected name, pattern and keywords")
    name, pattern = entry.get("name"), entry.get("pattern")
    keywords = entry.get("keywords", [])
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise ConfigError(f"{where}: name must be lower-case letters, digits, _")
    if not isinstance(pattern, str):
        raise ConfigError(f"{where}: pattern must be a string")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(
            f"{where}: pattern is not a regular expression: {exc}"
        ) from None
    if not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
        raise ConfigError(f"{where}: keywords must be a non-empty list of words")
    return GovernmentIdFormat(name, pattern, tuple(keywords))


def load_settings(path: Path) -> ScanSettings:
    """Read and check the ``[scan]`` table of a configuration file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    scan = data.get("scan", {})
    if not isinstance(scan, dict) or set(scan) - _SCAN_KEYS:
        unknown = sorted(set(scan) - _SCAN_KEYS) if isinstance(scan, dict) else []
        raise ConfigError(f"{path}: unknown [scan] settings {unknown}")
    home = scan.get("home_state")
    if home is not None and not (
        isinstance(home, str) and re.fullmatch(r"[A-Za-z]{2}|none", home)
    ):
        raise ConfigError(f"{path}: home_state must be a two-letter code or 'none'")
    confidence = scan.get("min_confidence")
    if confidence is not None and not (
        isinstance(confidence, int | float) and 0 <= confidence <= 1
    ):
        raise ConfigError(f"{path}: min_confidence must be a number from 0 to 1")
    rules = scan.get("rules")
    if rules is not None and not isinstance(rules, str):
        raise ConfigError(f"{path}: rules must be a string")
    entries = scan.get("government_ids", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: government_ids must be a list of tables")
    ids = tuple(
        _government_id(f"{path}: government_ids[{i}]", entry)
        for i, entry in enumerate(entries)
    )
    return ScanSettings(
        home_state=None if home is None else "" if home == "none" else home.upper(),
        min_confidence=float(confidence) if confidence is not None else None,
        rules=rules,
        government_ids=ids,
        source=path,
    )
