"""Reads glossary CSV files: header `domain,<lang>,<lang>,...` plus optional `note` and `dnt` columns."""

import csv
import hashlib
import io
from pathlib import Path

from nlp.glossary.model import Concept, Glossary, GlossarySet

RESERVED_COLUMNS = {"domain", "note", "dnt"}
_TRUE = {"1", "true", "yes", "y", "x"}


class GlossaryFormatError(ValueError):
    """A glossary file that cannot be read; the message names the file and line."""


def load_glossary_csv(path: str | Path) -> Glossary:
    path = Path(path)
    raw = path.read_bytes()
    try:
        # utf-8-sig: spreadsheets often save a BOM, which would otherwise glue onto "domain".
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossaryFormatError(f"{path}: not UTF-8 ({exc})") from exc
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if not header:
        raise GlossaryFormatError(f"{path}:1: empty file, expected header 'domain,<lang>,...'")
    columns = [cell.strip().lower() for cell in header]
    if columns[0] != "domain":
        raise GlossaryFormatError(f"{path}:1: first column must be 'domain', got {header[0]!r}")
    languages = [c for c in columns if c not in RESERVED_COLUMNS and c]
    concepts: list[Concept] = []
    for line_no, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        cells = {col: (row[i].strip() if i < len(row) else "") for i, col in enumerate(columns)}
        terms = {lang: cells[lang] for lang in languages if cells.get(lang)}
        concepts.append(Concept(
            domain=cells["domain"] or "general",
            terms=terms,
            note=cells.get("note", ""),
            do_not_translate=cells.get("dnt", "").lower() in _TRUE,
            line=line_no,
        ))
    return Glossary(name=path.stem, path=str(path), languages=languages, concepts=concepts,
                    version=hashlib.sha256(raw).hexdigest()[:16])


def load_glossary_dir(directory: str | Path | None) -> GlossarySet:
    """Every `*.csv` directly in `directory`; a missing directory is an empty set, not an error."""
    if directory is None:
        return GlossarySet([])
    directory = Path(directory)
    if not directory.is_dir():
        return GlossarySet([])
    return GlossarySet([load_glossary_csv(p) for p in sorted(directory.glob("*.csv"))])
