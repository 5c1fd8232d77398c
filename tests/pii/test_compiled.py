"""The two builds of the detector: pure Python, and compiled by mypyc.

A standard wheel carries the hot modules compiled (``hatch_build.py``); an
editable install runs the ``.py`` files. The test command runs the detection
and protection tests once on each, with ``DISTRICTGUARD_TEST_COMPILED=1`` for
the compiled pass, and this module makes sure each pass runs the build it says.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPILED = os.environ.get("DISTRICTGUARD_TEST_COMPILED") == "1"


def _compiled_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    hook = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]
    return [path.removesuffix(".py").replace("/", ".") for path in hook["modules"]]


def test_each_listed_module_comes_from_the_build_under_test() -> None:
    """In the compiled pass every listed module is an extension; in the pure
    pass none is (a stale extension beside an edited ``.py`` file would hide
    the edit)."""
    names = _compiled_modules()
    assert "districtguard.pii.engine" in names
    for name in names:
        origin = importlib.import_module(name).__file__ or ""
        assert origin.endswith(".so") == COMPILED, (name, origin)


def test_the_version_names_the_build(capsys: pytest.CaptureFixture[str]) -> None:
    """``districtguard --version`` says which build runs, so an operator can
    tell whether a server got the compiled one."""
    from districtguard.cli import main
    from districtguard.pii import detector_build

    expected = "compiled" if COMPILED else "pure Python"
    assert detector_build() == expected
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip().endswith(f"(detector: {expected})")


@pytest.mark.slow
@pytest.mark.skipif(COMPILED, reason="builds from the source tree")
def test_without_a_c_compiler_the_wheel_is_pure_python(tmp_path: Path) -> None:
    """No working compiler: the build warns and makes a pure-Python wheel, the
    same code; asked to require compiling, it fails instead."""
    temp = tmp_path / "tmp"  # where the build keeps its temporary files
    temp.mkdir()
    env = {**os.environ, "CC": "false", "DISTRICTGUARD_COMPILE": "yes"}
    env["TMPDIR"] = str(temp)
    cache = ROOT / "src" / ".mypy_cache"  # mypyc type-checks from src/
    cached_before = cache.exists()
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
    ]
    done = subprocess.run(
        [*command, "-w", str(tmp_path), str(ROOT)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "districtguard/pii/engine.py" in names
    assert not [name for name in names if name.endswith(".so")]
    assert cache.exists() == cached_before  # the build left the checkout alone

    env["DISTRICTGUARD_COMPILE"] = "require"
    failed = subprocess.run(
        [*command, "-w", str(tmp_path / "again"), str(ROOT)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode != 0
    assert not list(temp.glob("districtguard-build-*"))  # removed, failed or not
