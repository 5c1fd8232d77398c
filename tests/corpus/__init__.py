"""A labelled synthetic corpus for measuring the detector (all data synthetic)."""

from __future__ import annotations

from tests.corpus.generate import generate_prose_corpus, generate_table_corpus
from tests.corpus.labels import Label, LabelledText, Negative

__all__ = [
    "Label",
    "LabelledText",
    "Negative",
    "generate_prose_corpus",
    "generate_table_corpus",
]
