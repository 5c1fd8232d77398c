"""Build hook: compile the detector's hot modules to C with mypyc for wheels.

Detection spends its time in Python per candidate and per finding (labels,
validators, names, masks, locations). mypyc compiles the same type-checked
modules to C extensions; Python prefers them to the ``.py`` files beside them.
Only a standard wheel (``pip install .``, ``python -m build``) is compiled:
an editable install (``pip install -e .``, the developer's) stays pure Python,
so an edited module is never hidden by a stale extension.

Where the compiler or the Python headers are missing the wheel is built pure
Python with a warning: the same code, slower. ``DISTRICTGUARD_COMPILE=require``
makes that an error (the test command uses it), ``DISTRICTGUARD_COMPILE=no``
skips compiling.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# mypyc reads its mypy options from here, not from pyproject.toml: the
# project's mypy settings load the Django plugin, which needs the test settings.
# Its cache goes to the build's temporary folder, not into the checkout.
_MYPY_CONFIG = """\
[mypy]
python_version = 3.11
ignore_missing_imports = True
cache_dir = {cache}
"""


def compile_modules(
    root: Path, modules: list[str], out: Path, work: Path
) -> list[Path]:
    """Compile ``modules`` (paths under ``root/src``) into ``out``; return the
    extension files made, relative to ``out``."""
    from mypyc.build import mypycify
    from setuptools import Distribution
    from setuptools.command.build_ext import build_ext

    config = work / "mypy.ini"
    config.write_text(_MYPY_CONFIG.format(cache=work / "cache"), encoding="utf-8")
    here = Path.cwd()
    os.chdir(root / "src")  # mypyc names each module by its path from here
    try:
        extensions = mypycify(
            [*modules, "--config-file", str(config)],
            opt_level="3",
            target_dir=str(work / "c"),
            group_name="districtguard_pii",
        )
        command = build_ext(Distribution({"ext_modules": extensions}))
        command.build_lib = str(out)
        command.build_temp = str(work / "temp")
        command.ensure_finalized()
        command.run()
    finally:
        os.chdir(here)
    return sorted(path.relative_to(out) for path in out.rglob("*.so"))


class CompileHook(BuildHookInterface):  # type: ignore[type-arg]
    """Add the compiled modules to a standard wheel (see the module's doc)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile, and have the wheel carry the extensions with a platform tag."""
        wanted = os.environ.get("DISTRICTGUARD_COMPILE", "yes").lower()
        if self.target_name != "wheel" or version != "standard" or wanted == "no":
            return
        modules = [str(path) for path in self.config.get("modules", [])]
        self._work = Path(tempfile.mkdtemp(prefix="districtguard-build-"))
        out = self._work / "lib"
        try:
            made = compile_modules(Path(self.root), modules, out, self._work)
        except Exception as exc:  # no compiler, no headers, a mypyc error
            # hatchling calls finalize only after a build: clean up here.
            shutil.rmtree(self._work, ignore_errors=True)
            if wanted == "require":
                raise
            message = f"mypyc could not compile the detector ({exc}); pure Python"
            self.app.display_warning(message)
            return
        if not made:
            raise RuntimeError("mypyc made no extension modules")
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for path in made:
            build_data["force_include"][str(out / path)] = str(path)
        self.app.display_info(f"mypyc compiled {len(made)} extension modules")

    def finalize(
        self, version: str, build_data: dict[str, Any], artifact_path: str
    ) -> None:
        """Remove the build's temporary files."""
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
