"""Reads the template catalog (`templates/catalog/*.yaml`) and checks it as a whole.

Each YAML file holds one template: the Chinese source, its declared variables and any reviewed
language variants. Loading fails with every problem listed (file and language) when a file does
not parse, a declared variable is not used (or a used one is not declared), or a variant does not
use exactly the placeholders of its source; a catalog that loads is safe to render.
"""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from templates.model import CatalogVariant, TemplateDef, TemplateError, TemplateVariable, UnknownTemplateError
from templates.render import template_variables

DEFAULT_CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


class CatalogError(TemplateError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("template catalog has errors:\n  " + "\n  ".join(problems))


class TemplateCatalog:
    def __init__(self, templates: list[TemplateDef]) -> None:
        self.templates: dict[str, TemplateDef] = {t.name: t for t in sorted(templates, key=lambda t: t.name)}

    def get(self, name: str) -> TemplateDef:
        try:
            return self.templates[name]
        except KeyError:
            known = ", ".join(self.templates) or "none"
            raise UnknownTemplateError(f"no template named {name!r} (known: {known})") from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.templates.values())

    def __len__(self) -> int:
        return len(self.templates)


def load_catalog(directory: str | Path | None = None) -> TemplateCatalog:
    directory = Path(directory) if directory is not None else DEFAULT_CATALOG_DIR
    problems: list[str] = []
    templates: list[TemplateDef] = []
    for path in sorted(directory.glob("*.yaml")):
        found = _load_file(path, problems)
        if found is not None:
            templates.append(found)
    names = [t.name for t in templates]
    doubled = sorted(n for n in set(names) if names.count(n) > 1)
    problems += [f"template name {n!r} is used by more than one file" for n in doubled]
    if problems:
        raise CatalogError(problems)
    return TemplateCatalog(templates)


def _load_file(path: Path, problems: list[str]) -> TemplateDef | None:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read: {exc}")
        return None
    if not isinstance(raw, dict):
        problems.append(f"{path.name}: expected a mapping with name, title, zh, variables")
        return None
    try:
        template = _build(raw, path)
    except (ValidationError, TemplateError, TypeError, AttributeError) as exc:
        problems.append(f"{path.name}: {exc}")
        return None
    if template.name != path.stem:
        problems.append(f"{path.name}: name {template.name!r} must equal the file name {path.stem!r}")
    _check_placeholders(template, path.name, problems)
    return template


def _build(raw: dict[str, Any], path: Path) -> TemplateDef:
    language = str(raw.get("language", "zh"))
    declared = (raw.get("variables") or {}).items()
    variables = [TemplateVariable(name=name, **(spec or {})) for name, spec in declared]
    variants = {}
    for lang, spec in (raw.get("variants") or {}).items():
        spec = {"text": spec} if isinstance(spec, str) else dict(spec)
        spec["text"] = str(spec.get("text", "")).strip()
        variants[str(lang)] = CatalogVariant.model_validate(spec)
    return TemplateDef(
        name=str(raw.get("name", path.stem)), title=str(raw.get("title", "")),
        description=str(raw.get("description", "")), domains=[str(d) for d in raw.get("domains") or []],
        industry=raw.get("industry"), language=language, variables=variables,
        text=str(raw.get(language, raw.get("text", ""))).strip(), variants=variants, path=str(path),
    )


def _check_placeholders(template: TemplateDef, file: str, problems: list[str]) -> None:
    if not template.text:
        problems.append(f"{file}: no source text under '{template.language}:'")
        return
    try:
        used = template_variables(template.text, f"{file} [{template.language}]")
    except TemplateError as exc:
        problems.append(str(exc))
        return
    declared = set(template.variable_names)
    if used - declared:
        problems.append(f"{file}: source uses undeclared variables {sorted(used - declared)}")
    if declared - used:
        problems.append(f"{file}: declared variables not used in the source {sorted(declared - used)}")
    for lang, variant in template.variants.items():
        try:
            in_variant = template_variables(variant.text, f"{file} [{lang}]")
        except TemplateError as exc:
            problems.append(str(exc))
            continue
        if in_variant != used:
            problems.append(f"{file} [{lang}]: placeholders {sorted(in_variant)} differ from "
                            f"the source's {sorted(used)}")
