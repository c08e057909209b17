"""Labelled tickets for the supervised layer: the committed seed set plus agents' corrections.

Seed (`nlp/classify/data/*.csv`, columns text,domain[,language]): the training part of Bitext
mapped onto our domains (see bitext.py) and hand-written tickets for the domains and languages
Bitext lacks. Corrections: what agents fixed in the console, exported from the store as CSV
(columns text,domain and optionally language,translated_text) or JSONL (one object per line
with the same keys); see docs/language-id.md.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Final

from pydantic import BaseModel, ValidationError

from domain.nlp import UNDETERMINED, RequestDomain

SEED_DIR: Final = Path(__file__).resolve().parent / "data"
SEED_FILES: Final = ("bitext_train.csv", "handwritten.csv")


class LabelledTicket(BaseModel):
    text: str
    domain: RequestDomain
    language: str = UNDETERMINED
    translated_text: str | None = None


def read_labelled(path: Path) -> list[LabelledTicket]:
    """A CSV (with header) or JSONL file of labelled tickets; a bad row fails with its line number."""
    rows: list[LabelledTicket] = []
    with path.open(encoding="utf-8", newline="") as f:
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            records = ((n, json.loads(line)) for n, line in enumerate(f, 1) if line.strip())
        else:
            records = ((n, dict(row)) for n, row in enumerate(csv.DictReader(f), 2))
        for n, record in records:
            try:
                rows.append(LabelledTicket.model_validate(
                    {k: v for k, v in record.items() if v not in (None, "")}))
            except ValidationError as exc:
                raise ValueError(f"{path}:{n}: {exc.errors()[0]['msg']}") from exc
    return rows


def seed_tickets(folder: Path = SEED_DIR) -> list[LabelledTicket]:
    missing = [name for name in SEED_FILES if not (folder / name).exists()]
    if missing:
        raise FileNotFoundError(f"classifier seed data missing under {folder}: {', '.join(missing)}")
    return [row for name in SEED_FILES for row in read_labelled(folder / name)]
