"""Run the command line as ``python -m districtguard``."""

from __future__ import annotations

import sys

from districtguard.cli import main

sys.exit(main())
