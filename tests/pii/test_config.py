from __future__ import annotations

from pathlib import Path

import pytest

from districtguard.pii.config import ConfigError, load_settings


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_every_setting(tmp_path: Path) -> None:
    settings = load_settings(
        _write(
            tmp_path,
            '[scan]\nhome_state = "tx"\nmin_confidence = 0.7\nrules = "ok-2008"\n'
            "[[scan.government_ids]]\nname = \"student_id\"\npattern = 'S\\d{7}'\n"
            'keywords = ["student id"]\n',
        )
    )
    assert (settings.home_state, settings.min_confidence, settings.rules) == (
        "TX",
        0.7,
        "ok-2008",
    )
    (declared,) = settings.government_ids
    assert declared.compiled().match("S1234567")


def test_none_means_no_home_state(tmp_path: Path) -> None:
    assert (
        load_settings(_write(tmp_path, '[scan]\nhome_state = "none"\n')).home_state
        == ""
    )


def test_empty_file_changes_nothing(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, ""))
    assert settings.home_state is None and settings.government_ids == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[scan\n", "not valid TOML"),
        ("[scan]\ncolour = 1\n", "unknown"),
        ('[scan]\nhome_state = "Oklahoma"\n', "home_state"),
        ("[scan]\nmin_confidence = 3\n", "min_confidence"),
        (
            '[[scan.government_ids]]\nname = "x"\npattern = "("\nkeywords = ["id"]\n',
            "not a regular expression",
        ),
        ('[[scan.government_ids]]\nname = "x"\npattern = "S"\n', "keywords"),
        (
            '[[scan.government_ids]]\nname = "Bad Name"\npattern = "S"\n'
            'keywords = ["a"]\n',
            "name",
        ),
    ],
)
def test_rejects_bad_settings_with_a_clear_message(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(_write(tmp_path, text))


def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "missing.toml")
