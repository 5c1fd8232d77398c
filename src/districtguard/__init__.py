"""DistrictGuard: a school district's cybersecurity policy, run as software."""

from __future__ import annotations

__version__ = "0.1.0"
