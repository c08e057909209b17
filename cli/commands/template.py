"""`lingodesk template list|show|render|translate|approve`: multilingual reply templates.

    lingodesk template list --domain logistics --lang de
    lingodesk template render --name order_status --lang de \
        --var order_id=A123 --var tracking_number=SF123456789
    lingodesk template translate --name order_status --lang nl        # machine draft (needs a model path)
    lingodesk template approve --name order_status --lang nl --by zhang.min [--text-file nl.txt]

`render` prints the customer's text on stdout: the approved variant when there is one, else an
unapproved machine draft (said so on stderr), else an error (exit 2) when no translation path
exists. Exit 2 is also used for a missing variable: nothing half-rendered is ever printed.
"""

import argparse
import sys
from pathlib import Path

from runtime.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("template", help="reply templates: list, render, machine drafts, approval")
    actions = p.add_subparsers(dest="template_action", required=True)

    ls = actions.add_parser("list", help="templates for a request domain and language")
    ls.add_argument("--domain", help="request domain, e.g. logistics (default: all)")
    ls.add_argument("--lang", default="en", help="customer language (default en)")
    ls.set_defaults(func=run_list)

    show = actions.add_parser("show", help="a template's source, variables and variants")
    show.add_argument("name")
    show.add_argument("--lang", help="also print this language's variant text")
    show.set_defaults(func=run_show)

    render = actions.add_parser("render", help="print a filled-in template in the customer's language")
    render.add_argument("--name", required=True)
    render.add_argument("--lang", required=True, help="customer language, e.g. de")
    render.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="repeatable")
    render.add_argument("--both", action="store_true", help="print the Chinese text first (agent preview)")
    render.add_argument("--no-translate", action="store_true", help="never call machine translation")
    render.add_argument("--industry", help="glossary selection for a machine draft, e.g. electronics")
    render.set_defaults(func=run_render)

    tr = actions.add_parser("translate", help="make an unapproved machine draft of a variant")
    tr.add_argument("--name", required=True)
    tr.add_argument("--lang", required=True)
    tr.add_argument("--industry")
    tr.set_defaults(func=run_translate)

    ap = actions.add_parser("approve", help="approve the draft, or a text of your own, for reuse")
    ap.add_argument("--name", required=True)
    ap.add_argument("--lang", required=True)
    ap.add_argument("--by", required=True, help="supervisor id")
    ap.add_argument("--text-file", type=Path, help="approve this text instead of the draft ('-' = stdin)")
    ap.set_defaults(func=run_approve)


def _service():  # type: ignore[no-untyped-def]
    from nlp.factory import build_translator
    from templates.loader import load_catalog
    from templates.service import TemplateService
    from templates.store import open_variant_store

    settings = get_settings()
    store = open_variant_store(settings)
    return TemplateService(
        load_catalog(settings.templates_dir), store, translator_factory=lambda: build_translator(settings)
    )


def _fail(message: object) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def parse_vars(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--var expects NAME=VALUE, got {pair!r}")
        values[name.strip()] = value
    return values


def run_list(args: argparse.Namespace) -> int:
    from templates.model import TemplateError

    try:
        choices = _service().list_templates(args.domain, args.lang)
    except TemplateError as exc:
        return _fail(exc)
    for c in choices:
        variables = ",".join(v.name for v in c.variables)
        print(f"{c.name}\t{c.availability}\t{c.title}\t[{variables}]")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from templates.model import TemplateError

    try:
        service = _service()
        template = service.catalog.get(args.name)
    except TemplateError as exc:
        return _fail(exc)
    print(f"{template.name}: {template.title}\ndomains: {', '.join(template.domains) or '(all)'}")
    for v in template.variables:
        print(f"  {{{{ {v.name} }}}}\t{v.label}\te.g. {v.example}")
    languages = sorted(
        set(template.variants)
        | {r.language for r in (service.store.list(template.name) if service.store else [])}
    )
    for lang in languages:
        resolved = service.resolve(template.name, lang)
        print(f"  {lang}\t{resolved.availability}\t{resolved.origin}")
    resolved = service.resolve(template.name, args.lang or template.language)
    print(f"\n--- {resolved.language} ({resolved.availability}) ---\n{resolved.text or '(no text)'}")
    return 0


def run_render(args: argparse.Namespace) -> int:
    from templates.model import Availability, TemplateError

    try:
        values = parse_vars(args.var)
        service = _service()
        template = service.catalog.get(args.name)
        unknown = sorted(set(values) - set(template.variable_names))
        if unknown:  # a typo would otherwise surface as "missing variable" for the right name
            return _fail(f"unknown variable(s) {unknown} for {args.name}; it takes {template.variable_names}")
        preview = service.preview(
            args.name, args.lang, values, translate_missing=not args.no_translate, industry=args.industry
        )
    except (TemplateError, ValueError) as exc:
        return _fail(exc)
    if preview.customer_text is None:
        return _fail(
            f"{args.name} has no {args.lang} variant and machine translation is off (--no-translate)"
        )
    if preview.availability is Availability.DRAFT:
        print(
            f"warning: UNAPPROVED {args.lang} draft ({preview.detail}); check it, then approve it with: "
            f"lingodesk template approve --name {args.name} --lang {args.lang} --by <your id>",
            file=sys.stderr,
        )
        if service.store is None:
            print(
                "warning: the draft was not saved (no template_variants table; run `lingodesk db upgrade`)",
                file=sys.stderr,
            )
    if args.both:
        print(f"--- {preview.internal_language} ---\n{preview.internal_text}\n--- {args.lang} ---")
    print(preview.customer_text)
    return 0


def run_translate(args: argparse.Namespace) -> int:
    from templates.model import TemplateError

    try:
        service = _service()
        record = service.draft(args.name, args.lang, industry=args.industry, by="cli")
    except TemplateError as exc:
        return _fail(exc)
    saved = "saved as draft" if service.store is not None else "NOT saved (no template_variants table)"
    print(
        f"{args.name} [{args.lang}] {saved}; engine {record.engine} {record.model_id}, "
        f"glossary {record.glossary_version or '-'}",
        file=sys.stderr,
    )
    print(record.text)
    return 0


def run_approve(args: argparse.Namespace) -> int:
    from templates.model import TemplateError

    text = None
    if args.text_file is not None:
        text = sys.stdin.read() if str(args.text_file) == "-" else args.text_file.read_text(encoding="utf-8")
    try:
        record = _service().approve(args.name, args.lang, by=args.by, text=text)
    except TemplateError as exc:
        return _fail(exc)
    print(
        f"{args.name} [{args.lang}] approved by {record.approved_by} (revision {record.revision}"
        f"{', edited' if record.edited else ''})"
    )
    return 0
