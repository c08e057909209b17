"""The Bitext customer-support set mapped onto our request domains, and its fixed train/held-out split.

Bitext (CDLA-Sharing 1.0) labels 27 intents of a consumer shop; the mapping below folds them into
the domains of our customer process. Its training part is committed as seed data
(`data/bitext_train.csv`) so a fresh machine can train without ../shared; the held-out part
stays out of it and is what `bench/classify_bench.py` scores.

    python -m nlp.classify.bitext ../shared/data/bitext-customer-support   # rewrites the seed file
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path
from typing import Final

from domain.nlp import RequestDomain

CSV_NAME: Final = "Bitext_Sample_Customer_Support_Training_Dataset.csv"
SEED_FILE: Final = Path(__file__).resolve().parent / "data" / "bitext_train.csv"
HELDOUT_PERCENT: Final = 20

INTENT_DOMAINS: Final[dict[str, RequestDomain]] = {
    "cancel_order": RequestDomain.ORDER_INQUIRY,
    "change_order": RequestDomain.ORDER_INQUIRY,
    "place_order": RequestDomain.ORDER_INQUIRY,
    # Where a shipment is, when it arrives and where it goes is logistics in our process.
    "track_order": RequestDomain.LOGISTICS,
    "delivery_options": RequestDomain.LOGISTICS,
    "delivery_period": RequestDomain.LOGISTICS,
    "change_shipping_address": RequestDomain.LOGISTICS,
    "set_up_shipping_address": RequestDomain.LOGISTICS,
    "get_refund": RequestDomain.AFTER_SALES,
    "track_refund": RequestDomain.AFTER_SALES,
    "check_refund_policy": RequestDomain.AFTER_SALES,
    "check_invoice": RequestDomain.BILLING,
    "get_invoice": RequestDomain.BILLING,
    "payment_issue": RequestDomain.BILLING,
    "check_payment_methods": RequestDomain.BILLING,
    "check_cancellation_fee": RequestDomain.BILLING,
    "complaint": RequestDomain.COMPLAINT,
    # Log-in and sign-up failures are faults of the customer portal: technical support.
    "recover_password": RequestDomain.TECHNICAL_SUPPORT,
    "registration_problems": RequestDomain.TECHNICAL_SUPPORT,
    "create_account": RequestDomain.OTHER,
    "delete_account": RequestDomain.OTHER,
    "edit_account": RequestDomain.OTHER,
    "switch_account": RequestDomain.OTHER,
    "contact_customer_service": RequestDomain.OTHER,
    "contact_human_agent": RequestDomain.OTHER,
    "newsletter_subscription": RequestDomain.OTHER,
    "review": RequestDomain.OTHER,
}


def is_heldout(text: str) -> bool:
    """Stable split by content hash: the same utterance is on the same side on every machine."""
    digest = hashlib.sha1(text.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELDOUT_PERCENT


def read_bitext(folder: Path) -> list[tuple[str, RequestDomain]]:
    rows: list[tuple[str, RequestDomain]] = []
    with (folder / CSV_NAME).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = row["instruction"].strip()
            if text and row["intent"] in INTENT_DOMAINS:
                rows.append((text, INTENT_DOMAINS[row["intent"]]))
    return rows


def split(rows: list[tuple[str, RequestDomain]]) -> tuple[list[tuple[str, RequestDomain]],
                                                          list[tuple[str, RequestDomain]]]:
    train = [r for r in rows if not is_heldout(r[0])]
    heldout = [r for r in rows if is_heldout(r[0])]
    return train, heldout


def write_seed(folder: Path, output: Path = SEED_FILE) -> int:
    train, _ = split(read_bitext(folder))
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["text", "domain", "language"])
        for text, domain in train:
            writer.writerow([text, domain.value, "en"])
    return len(train)


if __name__ == "__main__":
    count = write_seed(Path(sys.argv[1]))
    print(f"wrote {count} rows to {SEED_FILE}")
