"""The console log handler: standard error as it is when a record comes in."""

from __future__ import annotations

import logging
import sys
from typing import TextIO


class ConsoleHandler(logging.StreamHandler[TextIO]):
    """Write each record to the current ``sys.stderr``.

    ``logging.StreamHandler`` keeps the stream it was made with. When standard
    error is swapped after logging is configured (a test run capturing output,
    a daemon redirecting it), records from threads that outlive the swap, such
    as a mail server's or a Dask client's, would go to a closed file.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        """Return the standard error of this moment."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """Ignore a stream set by the base class: it is looked up at each record."""
