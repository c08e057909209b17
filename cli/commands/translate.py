"""`lingodesk translate`: one text per stdin line -> one translation per stdout line, same order.

Runs exactly the production pipeline (TranslationService: segmentation, protected spans,
glossary placeholders, translation memory, micro-batching). Lines are submitted concurrently,
as the worker's activity threads would, so the model decodes them in shared batches.
"""

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from domain.nlp import TranslateRequest, TranslationResult, TranslationState
from nlp.translate.langs import normalize_lang
from nlp.translate.paths import find_path
from nlp.translate.service import TranslationService
from runtime.settings import get_settings

CONCURRENT_LINES = 256  # enough in flight for the micro-batcher to fill length-sorted batches


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("translate", help="translate stdin line by line (glossaries enforced)")
    p.add_argument("--source", required=True, help="source language, e.g. zh")
    p.add_argument("--target", required=True, help="target language, e.g. en")
    p.add_argument(
        "--glossary",
        action="append",
        type=Path,
        default=[],
        metavar="FILE.csv",
        help="glossary CSV (repeatable); default: every file in LINGODESK_GLOSSARIES_DIR",
    )
    p.add_argument("--domain", help="request domain or glossary domain to select terms by")
    p.add_argument("--industry", help="industry (electronics, machinery, light_industry)")
    p.add_argument("--models-dir", type=Path, help="default: LINGODESK_MODELS_DIR")
    p.add_argument(
        "--memory",
        choices=["sqlite", "memory", "off"],
        help="translation memory (default: LINGODESK_TRANSLATION_MEMORY)",
    )
    p.add_argument("--json", action="store_true", help="print each TranslationResult as one JSON line")
    p.set_defaults(func=run)


def build_service(args: argparse.Namespace) -> TranslationService:
    settings = get_settings()
    updates: dict[str, object] = {}
    if args.models_dir is not None:
        updates["models_dir"] = args.models_dir
    if args.memory is not None:
        updates["translation_memory"] = args.memory
    return TranslationService.from_settings(settings.model_copy(update=updates), args.glossary or None)


def run(args: argparse.Namespace) -> int:
    service = build_service(args)
    source, target = normalize_lang(args.source), normalize_lang(args.target)
    if source != target and find_path(service.catalog, source, target) is None:
        # Checked up front: the answer is the same for every line, and printing nothing beats
        # printing untranslated lines that look like translations.
        probe = service.translate(TranslateRequest(text="x", source=source, target=target))
        print(probe.detail, file=sys.stderr)
        return 2
    lines = [line.rstrip("\r\n") for line in sys.stdin]

    def one(line: str) -> TranslationResult:
        return service.translate(
            TranslateRequest(
                text=line, source=source, target=target, domain=args.domain, industry=args.industry
            )
        )

    with ThreadPoolExecutor(max_workers=CONCURRENT_LINES) as pool:
        results = list(pool.map(one, lines))
    for result in results:
        if args.json:
            print(result.model_dump_json())
        elif result.state in (TranslationState.TRANSLATED, TranslationState.NOT_NEEDED):
            print(result.text or "")
        else:
            print(result.detail, file=sys.stderr)
            return 2
    return 0
