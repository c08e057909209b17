"""`lingodesk classifier train`: (re)train the supervised request-domain model.

Trains on the committed seed data plus, with `--corrections`, the tickets agents re-labelled
(the store's export, CSV or JSONL with text,domain[,language,translated_text]); corrections weigh
three times a seed line. Writes LINGODESK_CLASSIFIER_MODEL (default data/models/request_domain.bin);
running workers pick the new model up when restarted.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from nlp.classify.classifier import MODEL_FILE
from nlp.classify.model import DomainModel
from nlp.classify.training_data import LabelledTicket, read_labelled, seed_tickets
from runtime.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("classifier", help="manage the request classifier")
    actions = p.add_subparsers(dest="action", required=True)
    train = actions.add_parser("train", help="train the supervised layer from seed data and corrections")
    train.add_argument(
        "--corrections",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="labelled tickets exported from the store (.csv or .jsonl); repeatable",
    )
    train.add_argument(
        "--output",
        type=Path,
        help="model file (default: LINGODESK_CLASSIFIER_MODEL or "
        "LINGODESK_DATA_DIR/models/request_domain.bin)",
    )
    train.set_defaults(func=run_train)


def run_train(args: argparse.Namespace) -> int:
    settings = get_settings()
    output: Path = args.output or settings.classifier_model or settings.data_dir / "models" / MODEL_FILE
    seed = seed_tickets()
    corrections: list[LabelledTicket] = []
    for path in args.corrections:
        try:
            corrections += read_labelled(path)
        except (OSError, ValueError) as exc:
            print(f"cannot read corrections: {exc}", file=sys.stderr)
            return 2
    start = time.perf_counter()
    DomainModel.train(seed, corrections, output=output)
    seconds = time.perf_counter() - start
    domains = Counter(t.domain.value for t in [*seed, *corrections])
    print(
        f"trained on {len(seed)} seed and {len(corrections)} corrected tickets in {seconds:.1f}s -> {output}"
    )
    print("tickets per domain: " + ", ".join(f"{d} {n}" for d, n in sorted(domains.items())))
    return 0
