"""The law guide's example runs and says what the guide says it does."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "law.md"


def test_guide_example_runs_and_requires_notice() -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(), flags=re.DOTALL)
    assert blocks, "docs/law.md lost its example"
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(blocks[0], str(GUIDE), "exec"), {})  # noqa: S102 - our own docs
    text = output.getvalue()
    assert "Oklahoma Attorney General: REQUIRED, due 2026-05-01" in text
    assert "affected residents: REQUIRED" in text
