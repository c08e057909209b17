"""`lingodesk glossary validate|import|export|status`: check term bases and exchange them as TBX.

lingodesk glossary validate                       # every CSV in LINGODESK_GLOSSARIES_DIR
lingodesk glossary validate glossaries/x.csv      # exit 1 when any file has an error
lingodesk glossary export glossaries/electronics.csv -o electronics.tbx [--tbx-version 3]
lingodesk glossary import supplier.tbx -o glossaries/supplier.csv [--domain electronics]
lingodesk glossary status                         # which version of each file is in force
"""

import argparse
import os
import sys
from pathlib import Path

from runtime.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("glossary", help="validate glossaries; import/export TBX")
    actions = p.add_subparsers(dest="glossary_action", required=True)

    v = actions.add_parser("validate", help="check glossary CSV files (exit 1 on any error)")
    v.add_argument("files", nargs="*", type=Path, help="default: every *.csv in the glossaries directory")
    v.add_argument("--quiet", action="store_true", help="print errors only, not warnings")
    v.set_defaults(func=run_validate)

    e = actions.add_parser("export", help="write a glossary CSV as TBX")
    e.add_argument("file", type=Path)
    e.add_argument("-o", "--output", type=Path, help="default: stdout")
    e.add_argument(
        "--tbx-version",
        choices=["2", "3"],
        default="2",
        help="2 = TBX-Basic martif (default, widest CAT-tool support); 3 = ISO 30042:2019 DCA",
    )
    e.set_defaults(func=run_export)

    i = actions.add_parser("import", help="convert a TBX file (v2 or v3) into a glossary CSV")
    i.add_argument("file", type=Path)
    i.add_argument("-o", "--output", type=Path, help="default: stdout")
    i.add_argument("--domain", default="general", help="domain of entries without a subjectField")
    i.set_defaults(func=run_import)

    s = actions.add_parser("status", help="the version of each glossary in force, and rejected files")
    s.set_defaults(func=run_status)


def _default_files() -> list[Path]:
    directory = get_settings().glossaries_dir
    return sorted(directory.glob("*.csv")) if directory.is_dir() else []


def run_validate(args: argparse.Namespace) -> int:
    from nlp.glossary.validate import validate_glossary_file

    files = args.files or _default_files()
    if not files:
        print("no glossary files found", file=sys.stderr)
        return 1
    failed = 0
    for path in files:
        report = validate_glossary_file(path)
        for issue in report.issues:
            if not (args.quiet and issue.severity == "warning"):
                print(issue)
        if report.glossary is not None:
            print(
                f"{path}: ok, {len(report.glossary.concepts)} concepts, "
                f"languages {','.join(report.glossary.languages)}, version {report.version}"
            )
        else:
            failed += 1
            print(f"{path}: REJECTED ({len(report.errors)} errors); the previous version stays in force")
    return 1 if failed else 0


def run_export(args: argparse.Namespace) -> int:
    from nlp.glossary.tbx import export_tbx
    from nlp.glossary.validate import validate_glossary_file

    report = validate_glossary_file(args.file)
    if report.glossary is None:
        for issue in report.errors:
            print(issue, file=sys.stderr)
        print(f"{args.file}: not exported, fix the errors first", file=sys.stderr)
        return 1
    data = export_tbx(report.glossary, args.tbx_version)
    if args.output:
        _write_atomic(args.output, data)
        entries = len(report.glossary.concepts)
        print(f"{args.output}: {entries} entries (TBX v{args.tbx_version})", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from nlp.glossary.tbx import TbxError, dump_glossary_csv, import_tbx
    from nlp.glossary.validate import validate_glossary_bytes

    name = args.output.stem if args.output else args.file.stem
    try:
        imported = import_tbx(args.file.read_bytes(), name, default_domain=args.domain)
    except (OSError, TbxError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    for warning in imported.warnings:
        print(f"{args.file}: warning: {warning}", file=sys.stderr)
    data = dump_glossary_csv(imported.languages, imported.concepts).encode()
    # The CSV that would be written must itself pass validation (duplicates, unknown languages...).
    report = validate_glossary_bytes(data, str(args.output or f"{name}.csv"))
    for issue in report.issues:
        print(issue, file=sys.stderr)
    if report.glossary is None:
        print(f"{args.file}: not imported, the resulting glossary has errors", file=sys.stderr)
        return 1
    if args.output:
        _write_atomic(args.output, data)
        print(
            f"{args.output}: {len(report.glossary.concepts)} concepts, "
            f"languages {','.join(report.glossary.languages)}",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(data.decode())
    return 0


def run_status(args: argparse.Namespace) -> int:
    from nlp.glossary.registry import FileState, GlossaryRegistry

    registry = GlossaryRegistry.from_settings(get_settings())
    for status in registry.status():
        print(
            f"{status.name}\t{status.state}\tfile {status.version or '-'}\tin force {status.in_force or '-'}"
        )
        if status.state is FileState.REJECTED:
            for issue in status.issues:
                print(f"  {issue}")
    print(f"glossary set version {registry.version or '-'}")
    return 0


def _write_atomic(path: Path, data: bytes) -> None:
    """A glossary directory is watched by the registry: it must never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
