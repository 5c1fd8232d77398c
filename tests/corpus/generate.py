"""Generate labelled synthetic corpora: prose records and a CSV table.

Everything is synthetic (Faker en_US names, seeded random numbers) and labelled
as it is written, so every label's offsets are exact. Labels follow
``reference/pii-rules.md``: every element has the keyword or context the rules
require, names are labelled only in records that also hold an element (names
are only searched near elements, § 8), and a record is statutory when it links
a name to an element (the 2026 rule set, where every element counts).
"""

from __future__ import annotations

import random

from tests.corpus import documents, fields
from tests.corpus.builder import TextBuilder, finish_record, template_words
from tests.corpus.labels import LabelledText
from tests.corpus.tables import write_table

RECORD_KINDS = {"named": 0.55, "anonymous": 0.15, "decoy": 0.30}


def generate_prose_corpus(seed: int, records: int) -> LabelledText:
    """Return ``records`` blank-line separated paragraphs, each one record."""
    rng = random.Random(seed)
    names = fields.NamePool(seed, template_words())
    templates = {
        "named": documents.NAMED,
        "anonymous": documents.ANONYMOUS,
        "decoy": documents.DECOYS,
    }
    kinds = list(RECORD_KINDS)
    weights = list(RECORD_KINDS.values())
    builder = TextBuilder("\n\n")
    for _ in range(records):
        kind = rng.choices(kinds, weights)[0]
        rendered = fields.Fields(rng, names).render(rng.choice(templates[kind]))
        labels, negatives = finish_record(rendered)
        builder.add_record(rendered.text, labels, negatives)
    return builder.build("\n")


def generate_table_corpus(seed: int, rows: int) -> LabelledText:
    """Return a CSV file (header and ``rows`` rows, every row a record)."""
    return write_table(seed, rows)
