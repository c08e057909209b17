"""Optional modules other parts of Lingodesk provide; the console uses them when installed.

Each helper returns None when its module is absent, and pages then say so instead of failing:
collaboration tasks (store/collaboration.py), SLA policies (store/sla_policies.py), business
calendars (store/calendars.py), reply templates (templates/service.py), glossary validation
(nlp/glossary/validate.py, falling back to the CSV loader).
"""

import importlib
import re
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def collaboration_available() -> bool:
    return _module("store.collaboration") is not None


def ticket_tasks(sessions: sessionmaker[Session], ticket_id: str) -> list[Any] | None:
    mod = _module("store.collaboration")
    return None if mod is None else list(mod.ticket_tasks(sessions, ticket_id))


def department_tasks(sessions: sessionmaker[Session], department_id: str) -> list[Any] | None:
    mod = _module("store.collaboration")
    return None if mod is None else list(mod.list_tasks(sessions, department=department_id))


def department_task_counts(sessions: sessionmaker[Session]) -> dict[str, tuple[int, int]] | None:
    """department_id -> (open tasks, overdue tasks)."""
    mod = _module("store.collaboration")
    if mod is None:
        return None
    from datetime import UTC, datetime

    return {
        d.department_id: (d.open_tasks, d.overdue_tasks)
        for d in mod.list_departments(sessions, datetime.now(UTC))
    }


def sla_policies(sessions: sessionmaker[Session]) -> list[Any] | None:
    mod = _module("store.sla_policies")
    if mod is None:
        return None
    with sessions() as session:
        return list(mod.current_policies(session))


def calendars(sessions: sessionmaker[Session]) -> list[Any] | None:
    mod = _module("store.calendars")
    if mod is None:
        return None
    with sessions() as session:
        return list(mod.list_calendars(session))


def template_service(sessions: sessionmaker[Session]) -> Any:
    """templates.service.TemplateService over the shipped catalog and the SQL variant store, or None."""
    mod = _module("templates.service")
    if mod is None:
        return None
    from templates.loader import load_catalog
    from templates.store import SqlVariantStore

    def translator() -> Any:
        from nlp.factory import build_translator

        return build_translator()

    return mod.TemplateService(load_catalog(), SqlVariantStore(sessions), translator_factory=translator)


class GlossaryCheck(BaseModel):
    ok: bool
    concepts: int = 0
    languages: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    csv: bytes | None = None  # what to store: workers load `*.csv`, so a TBX upload is kept as its CSV


def save_glossary(folder: Path, filename: str, check: GlossaryCheck) -> Path:
    """Store a validated glossary as CSV; workers load it on their next start."""
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(filename).stem)  # never a path from the browser
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}.csv"
    target.write_bytes(check.csv or b"")
    return target


def validate_glossary(filename: str, data: bytes) -> GlossaryCheck:
    """Validate an upload with nlp/glossary/validate.py (CSV or TBX), else the CSV loader."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(filename).name
        path.write_bytes(data)
        validator = _module("nlp.glossary.validate")
        if validator is not None:
            return _with_validator(validator, path, filename, data)
        return _with_loader(path, filename, data)


def _with_validator(validator: ModuleType, path: Path, filename: str, data: bytes) -> GlossaryCheck:
    report = validator.validate_file(path)

    def shown(issue: object) -> str:  # the temporary path means nothing to the person uploading
        return str(issue).replace(str(path.with_suffix(".csv")), filename).replace(str(path), filename)

    check = GlossaryCheck(
        ok=report.ok,
        concepts=report.concepts,
        languages=report.languages,
        errors=[shown(i) for i in report.errors],
        warnings=[shown(i) for i in report.warnings],
    )
    if check.ok:
        if path.suffix.lower() in (".tbx", ".xml"):
            from nlp.glossary.tbx import dump_glossary_csv, import_tbx

            imported = import_tbx(data, path.stem)
            check.csv = dump_glossary_csv(imported.languages, imported.concepts).encode()
        else:
            check.csv = data
    return check


def _with_loader(path: Path, filename: str, data: bytes) -> GlossaryCheck:
    if path.suffix.lower() != ".csv":
        return GlossaryCheck(ok=False, errors=[f"{filename}: TBX needs nlp/glossary/validate.py; upload CSV"])
    from nlp.glossary.loader import GlossaryFormatError, load_glossary_csv

    try:
        glossary = load_glossary_csv(path)
    except GlossaryFormatError as exc:
        return GlossaryCheck(ok=False, errors=[str(exc).replace(str(path), filename)])
    errors = [f"{filename}:{c.line}: no term in any language" for c in glossary.concepts if not c.terms]
    if not glossary.concepts:
        errors.append(f"{filename}: no concepts")
    return GlossaryCheck(
        ok=not errors,
        concepts=len(glossary.concepts),
        languages=glossary.languages,
        errors=errors,
        csv=None if errors else data,
    )
