"""`lingodesk models list|install PATH`: the translation models in LINGODESK_MODELS_DIR."""

import argparse
import json
import sys
from pathlib import Path

from nlp.translate.catalog import ModelCatalog
from nlp.translate.install import InstallError, install_model
from nlp.translate.langs import PIVOT_LANGUAGE
from nlp.translate.paths import find_path
from runtime.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("models", help="list or install translation models")
    p.add_argument("--models-dir", type=Path, help="default: LINGODESK_MODELS_DIR")
    actions = p.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="installed models and the language pairs they cover")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    install = actions.add_parser("install", help="install an .argosmodel file (zip) or a model folder")
    install.add_argument("path", type=Path)
    install.add_argument("--force", action="store_true", help="replace a model of the same name")
    install.set_defaults(func=run_install)


def _models_dir(args: argparse.Namespace) -> Path | None:
    directory: Path | None = args.models_dir or get_settings().models_dir
    return directory


def pivot_pairs(catalog: ModelCatalog) -> list[tuple[str, str]]:
    languages = {lang for pair in catalog.pairs() for lang in pair}
    direct = set(catalog.pairs())
    return sorted(
        (s, t)
        for s in languages
        for t in languages
        if s != t and (s, t) not in direct and find_path(catalog, s, t) is not None
    )


def run_list(args: argparse.Namespace) -> int:
    directory = _models_dir(args)
    catalog = ModelCatalog.scan(directory)
    pivots = pivot_pairs(catalog)
    if args.json:
        print(
            json.dumps(
                {
                    "models_dir": str(directory) if directory else None,
                    "models": [
                        {
                            "name": m.name,
                            "layout": m.layout,
                            "version": m.version,
                            "model_id": m.model_id,
                            "multilingual": m.multilingual,
                            "pairs": [f"{s}-{t}" for s, t in m.pairs],
                        }
                        for m in catalog.models
                    ],
                    "pivot_pairs": [f"{s}-{t}" for s, t in pivots],
                    "problems": catalog.problems,
                },
                indent=2,
            )
        )
        return 0
    if directory is None:
        print("LINGODESK_MODELS_DIR is not set (or pass --models-dir)", file=sys.stderr)
        return 1
    print(f"models in {directory}:")
    if not catalog.models:
        print("  (none)")
    for m in catalog.models:
        pairs = ", ".join(f"{s}->{t}" for s, t in m.pairs)
        kind = "multilingual" if m.multilingual else m.layout
        print(f"  {m.name:<40} {kind:<12} v{m.version or '?':<8} {pairs}")
    if pivots:
        print(f"via {PIVOT_LANGUAGE}: " + ", ".join(f"{s}->{t}" for s, t in pivots))
    for problem in catalog.problems:
        print(f"  skipped: {problem}", file=sys.stderr)
    return 0


def run_install(args: argparse.Namespace) -> int:
    directory = _models_dir(args)
    if directory is None:
        print("LINGODESK_MODELS_DIR is not set (or pass --models-dir)", file=sys.stderr)
        return 1
    try:
        info = install_model(args.path, directory, force=args.force)
    except InstallError as exc:
        print(f"install failed: {exc}", file=sys.stderr)
        return 1
    pairs = ", ".join(f"{s}->{t}" for s, t in info.pairs)
    print(f"installed {info.name} ({pairs}) into {directory}")
    return 0
