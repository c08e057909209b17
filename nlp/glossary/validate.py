"""Checks a glossary CSV file completely before anything uses it.

The loader (`nlp.glossary.loader`) reads well-formed files; this module decides whether a file
is well-formed, with messages a terminologist can act on (`file:line:column: code: message`).
A file with any error is rejected as a whole (the registry keeps the previous version in
force); warnings never reject a file.

The report is built from the bytes read once, and its `glossary` is parsed from those same
bytes, so a file edited between validation and loading can never half-load.
"""

import csv
import hashlib
import io
import re
import unicodedata
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from nlp.glossary.loader import RESERVED_COLUMNS
from nlp.glossary.model import GENERAL_DOMAIN, Concept, Glossary

# ISO 639-1. Columns may add a script or region subtag: zh-Hant, pt-BR.
_ISO_639_1 = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de
dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id
ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu
lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu
rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr
ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
"""
LANGUAGE_CODES = frozenset(_ISO_639_1.split())
_LANGUAGE_TAG = re.compile(r"^([a-z]{2})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?$")
_DOMAIN = re.compile(r"^[a-z0-9_]+$")
_DNT_VALUES = {"", "0", "1", "true", "false", "yes", "no", "y", "n", "x"}
_CJK_SINGLE = re.compile(r"^[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]$")
MAX_TERM_CHARS = 120


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Issue(BaseModel):
    path: str
    line: int = 0  # 1-based; 0 = the whole file
    column: int = 0  # 1-based field number (byte column for encoding errors); 0 = the whole line
    column_name: str = ""
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "")
        where += f":{self.column}" if self.column else ""
        named = f" [{self.column_name}]" if self.column_name else ""
        return f"{where}: {self.severity}: {self.code}{named}: {self.message}"


class ValidationReport(BaseModel):
    path: str
    version: str = ""  # same hash the loader records: first 16 hex of sha256(file bytes)
    issues: list[Issue] = Field(default_factory=list)
    glossary: Glossary | None = None  # set only when there is no error

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def concepts(self) -> int:
        return len(self.glossary.concepts) if self.glossary is not None else 0

    @property
    def languages(self) -> list[str]:
        return list(self.glossary.languages) if self.glossary is not None else []


def is_language_column(name: str) -> bool:
    match = _LANGUAGE_TAG.match(name)
    return bool(match) and match.group(1) in LANGUAGE_CODES  # type: ignore[union-attr]


def fold_term(term: str) -> str:
    """Duplicate key: width/case/spacing differences do not make two terms different."""
    return " ".join(unicodedata.normalize("NFKC", term).casefold().split())


def validate_glossary_file(path: str | Path) -> ValidationReport:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        issue = Issue(path=str(path), code="unreadable", message=str(exc))
        return ValidationReport(path=str(path), issues=[issue])
    return validate_glossary_bytes(raw, str(path))


def validate_file(path: str | Path) -> ValidationReport:
    """A CSV glossary, or a TBX file judged by the CSV it would import as (console uploads)."""
    path = Path(path)
    if path.suffix.lower() not in (".tbx", ".xml"):
        return validate_glossary_file(path)
    from nlp.glossary.tbx import TbxError, dump_glossary_csv, import_tbx

    try:
        imported = import_tbx(path.read_bytes(), path.stem)
    except (OSError, TbxError) as exc:
        return ValidationReport(path=str(path), issues=[Issue(path=str(path), code="tbx", message=str(exc))])
    data = dump_glossary_csv(imported.languages, imported.concepts).encode()
    report = validate_glossary_bytes(data, str(path.with_suffix(".csv")))
    report.issues += [Issue(path=str(path), code="tbx-import", message=w, severity=Severity.WARNING)
                      for w in imported.warnings]
    return report


def validate_glossary_bytes(raw: bytes, path: str, name: str | None = None) -> ValidationReport:
    """Validates file content; `name` (default: the file stem) becomes `Glossary.name`."""
    checker = _Checker(path)
    report = ValidationReport(path=path, version=hashlib.sha256(raw).hexdigest()[:16])
    text = checker.decode(raw)
    if text is not None:
        concepts, languages = checker.parse(text)
        if not checker.has_errors() and not concepts:
            checker.error(0, 0, "", "no-concepts", "the file has a header but no concept rows")
        if not checker.has_errors():
            report.glossary = Glossary(name=name or Path(path).stem, path=path, languages=languages,
                                       concepts=concepts, version=report.version)
    report.issues = checker.issues
    return report


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.issues: list[Issue] = []

    def error(self, line: int, column: int, column_name: str, code: str, message: str) -> None:
        self.issues.append(Issue(path=self.path, line=line, column=column, column_name=column_name,
                                 code=code, message=message))

    def warn(self, line: int, column: int, column_name: str, code: str, message: str) -> None:
        self.issues.append(Issue(path=self.path, line=line, column=column, column_name=column_name,
                                 code=code, message=message, severity=Severity.WARNING))

    def has_errors(self) -> bool:
        return any(i.severity is Severity.ERROR for i in self.issues)

    def decode(self, raw: bytes) -> str | None:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.error(1, 1, "", "encoding", "file is UTF-16; save it as UTF-8 ('CSV UTF-8' in Excel)")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            hint = ""
            try:
                raw.decode("gb18030")
                hint = "; it looks like GBK/GB18030 (Excel on Chinese Windows): save as 'CSV UTF-8'"
            except UnicodeDecodeError:
                pass
            self.error(line, column, "", "encoding",
                       f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded{hint}")
            return None
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            self.error(line, 0, "", "encoding",
                       "NUL byte in the file: it is binary or UTF-16, not a UTF-8 CSV")
            return None
        return text

    def parse(self, text: str) -> tuple[list[Concept], list[str]]:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            self.error(reader.line_num, 0, "", "csv-syntax", str(exc))
            return [], []
        if not header or not any(cell.strip() for cell in header):
            self.error(1, 0, "", "empty-file", "expected a header such as 'domain,zh,en,note,dnt'")
            return [], []
        columns = self.check_header(header)
        if self.has_errors():
            return [], []
        languages = [c for c in columns if c not in RESERVED_COLUMNS]
        concepts: list[Concept] = []
        seen: dict[tuple[str, str, str], int] = {}  # (domain, lang, folded term) -> line
        try:
            for row in reader:
                concept = self.check_row(reader.line_num, row, columns, languages, seen)
                if concept is not None:
                    concepts.append(concept)
        except csv.Error as exc:
            self.error(reader.line_num, 0, "", "csv-syntax",
                       f"{exc} (an unclosed quote swallows the lines after it)")
        return concepts, languages

    def check_header(self, header: list[str]) -> list[str]:
        columns = [cell.strip().lower() for cell in header]
        if columns[0] != "domain":
            self.error(1, 1, header[0], "header", f"first column must be 'domain', not {header[0]!r}")
        seen: set[str] = set()
        for index, column in enumerate(columns, start=1):
            if not column:
                self.error(1, index, "", "header", "empty column name")
            elif column in seen:
                self.error(1, index, column, "duplicate-column", f"column {column!r} appears twice")
            elif column not in RESERVED_COLUMNS and not is_language_column(column):
                self.error(1, index, column, "unknown-language",
                           f"{column!r} is neither an ISO 639-1 language code (with an optional "
                           "-Script or -REGION subtag) nor one of domain, note, dnt")
            seen.add(column)
        if "zh" not in columns:
            self.warn(1, 0, "", "no-internal-language", "no 'zh' column: agents' Chinese will not be matched")
        return columns

    def check_row(self, line: int, row: list[str], columns: list[str], languages: list[str],
                  seen: dict[tuple[str, str, str], int]) -> Concept | None:
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            return None  # blank lines and comments, as the loader skips them
        if len(row) > len(columns):
            extra = ", ".join(repr(c) for c in row[len(columns):] if c.strip()) or "empty cells"
            self.error(line, len(columns) + 1, "", "extra-cells",
                       f"row has {len(row)} cells but the header has {len(columns)} ({extra}); "
                       "a term containing a comma must be quoted")
        cells = {col: (row[i].strip() if i < len(row) else "") for i, col in enumerate(columns)}
        for index, column in enumerate(columns, start=1):
            self.check_cell(line, index, column, cells[column])
        domain = cells["domain"] or GENERAL_DOMAIN
        if not _DOMAIN.match(domain):
            self.error(line, 1, "domain", "bad-domain",
                       f"domain {domain!r} must be lower-case letters, digits and '_' (e.g. electronics)")
        dnt = cells.get("dnt", "").lower()
        if dnt not in _DNT_VALUES:
            self.error(line, columns.index("dnt") + 1, "dnt", "bad-flag",
                       f"dnt must be empty or one of yes/no/1/0/true/false/x, not {cells['dnt']!r}")
        terms = {lang: cells[lang] for lang in languages if cells[lang]}
        if not terms:
            self.error(line, 0, "", "empty-concept", "the row has no term in any language column")
            return None
        for lang, term in terms.items():
            key = (domain, lang, fold_term(term))
            position = columns.index(lang) + 1
            if key in seen:
                self.error(line, position, lang, "duplicate-term",
                           f"{lang} term {term!r} is already defined on line {seen[key]} (domain {domain}); "
                           "one source term must map to one concept")
            else:
                seen[key] = line
            if _CJK_SINGLE.match(term) and lang in ("zh", "ja") and dnt not in ("1", "true", "yes", "y", "x"):
                self.warn(line, position, lang, "short-term",
                          f"one-character term {term!r} also matches inside longer words")
        if len(terms) == 1 and dnt in ("", "0", "false", "no", "n"):
            self.warn(line, 0, "", "single-language", "only one language filled: nothing to translate to")
        return Concept(domain=domain, terms=terms, note=cells.get("note", ""),
                       do_not_translate=dnt in ("1", "true", "yes", "y", "x"), line=line)

    def check_cell(self, line: int, column: int, name: str, value: str) -> None:
        if "\ufffd" in value:
            self.error(line, column, name, "encoding",
                       "contains U+FFFD (�): the text was damaged by an earlier wrong encoding conversion")
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            self.error(line, column, name, "control-character",
                       "contains a line break or control character; one term per cell, on one line")
        if name not in RESERVED_COLUMNS and len(value) > MAX_TERM_CHARS:
            self.warn(line, column, name, "long-term",
                      f"term of {len(value)} characters: is this a sentence?")
