"""`lingodesk detect`: one text per input line -> `<lang>\\t<confidence>` per output line, same order.

Runs the production detector (cleaning, script evidence, fastText, lexicon, prior); `und` is
printed when the language is undetermined. `--json` prints the whole LanguageDetection instead.
"""

import argparse
import sys

from domain.nlp import DetectLanguageRequest
from nlp.factory import build_detector


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("detect", help="identify the language of each stdin line (or of the given texts)")
    p.add_argument("texts", nargs="*", help="texts to identify; default: one text per stdin line")
    p.add_argument(
        "--prior",
        default="",
        metavar="LANGS",
        help="comma-separated languages of the customer's earlier messages, e.g. ja,ja",
    )
    p.add_argument("--country", help="customer's country (ISO 3166-1 alpha-2), e.g. DE")
    p.add_argument("--json", action="store_true", help="print each LanguageDetection as one JSON line")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    detector = build_detector()
    prior = [code for code in args.prior.split(",") if code.strip()]
    lines = args.texts or (line.rstrip("\r\n") for line in sys.stdin)
    out = sys.stdout
    for line in lines:
        req = DetectLanguageRequest(text=line, prior_languages=prior, country=args.country)
        result = detector.detect(req)
        if args.json:
            out.write(result.model_dump_json() + "\n")
        else:
            out.write(f"{result.language}\t{result.confidence:.3f}\n")
    out.flush()
    return 0
