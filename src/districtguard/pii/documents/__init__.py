"""Format readers and how a file is matched to one."""

from __future__ import annotations
