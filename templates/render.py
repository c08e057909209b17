"""Renders template texts with a sandboxed Jinja2 environment.

Template texts are edited by supervisors in the console, so they are untrusted code: the
sandbox refuses attribute tricks (`{{ x.__class__ }}`), and StrictUndefined turns a missing
variable into an error instead of an empty string, because a reply that says "your order  has
shipped" is worse than no reply. Missing variables are checked before rendering so the error
names all of them at once.
"""

from collections.abc import Mapping

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from templates.model import MissingVariablesError, TemplateError

# Plain text e-mails: no HTML escaping; keep the text exactly as written (no block trimming).
_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
MAX_VALUE_CHARS = 2000


def template_variables(text: str, label: str = "template") -> set[str]:
    """Names the text needs, e.g. {"order_id", "tracking_number"}."""
    try:
        return set(meta.find_undeclared_variables(_ENV.parse(text)))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{label}: template syntax error on line {exc.lineno}: {exc.message}") from exc


def check_syntax(text: str, label: str) -> None:
    template_variables(text, label)


def render_text(text: str, values: Mapping[str, object], label: str = "template",
                labels: dict[str, str] | None = None) -> str:
    """Renders `text`; extra values are ignored, missing or blank ones raise MissingVariablesError."""
    needed = template_variables(text, label)
    clean = {name: str(value).strip() for name, value in values.items() if value is not None}
    missing = sorted(name for name in needed if not clean.get(name))
    if missing:
        raise MissingVariablesError(label, missing, labels)
    too_long = sorted(name for name in needed if len(clean[name]) > MAX_VALUE_CHARS)
    if too_long:
        raise TemplateError(f"{label}: value of {', '.join(too_long)} exceeds {MAX_VALUE_CHARS} characters")
    try:
        return _ENV.from_string(text).render({name: clean[name] for name in needed}).strip()
    except (UndefinedError, SecurityError) as exc:
        raise TemplateError(f"{label}: {exc}") from exc
