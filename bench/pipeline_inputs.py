"""The pipeline benchmark's inputs: German ticket texts and the tiny de->zh model that knows them."""

from __future__ import annotations

import string
import zlib
from pathlib import Path

from domain.ticket import TicketInput


def ticket_input(prefix: str, i: int, repeat_texts: bool = False) -> TicketInput:
    # Unique text per ticket and run (the translation memory persists in the data dir across
    # variants and rounds), so it misses as it would for real traffic; `repeat_texts` gives every
    # round the same texts, so after the first round translations come from the translation memory.
    serial = f"{0 if repeat_texts else zlib.crc32(prefix.encode()) % 100_000:05d}{i:04d}"
    return TicketInput.model_validate({
        "ticket_id": f"{prefix}-{i}",
        "channel": "email",
        "customer": {"email": f"kunde{i}@example.de", "name": f"Kunde {i}", "country": "DE"},
        "subject": f"Bestellung A{serial}: Gerät startet nicht",
        "body": (f"Guten Tag, das Gerät aus der Bestellung A{serial} startet nach dem Firmware-Update "
                 f"nicht mehr. Die Seriennummer ist SN-{i * 7919 % 100000:05d}. Bitte um Hilfe."),
    })


# German a support inbox sees; with the tickets' own texts it is the tiny model's SentencePiece corpus.
GERMAN_LINES = [
    "Guten Tag, ich habe meine Bestellung noch nicht erhalten. Wann wird sie geliefert?",
    "Das Paket ist beschädigt angekommen, bitte senden Sie ein neues Gerät.",
    "Ich möchte die Rechnung für meine Bestellung bekommen und eine Rückerstattung beantragen.",
    "Der Motor macht nach zwei Wochen laute Geräusche. Ist das ein Garantiefall?",
    "Können Sie mir ein Angebot für hundert Stück schicken? Wir brauchen auch das Datenblatt.",
    "Vielen Dank für Ihre schnelle Antwort. Mit freundlichen Grüßen",
    "Die Sendungsverfolgung zeigt seit einer Woche keinen neuen Status.",
    "Nach dem Update lässt sich das Gerät nicht mehr einschalten, was soll ich tun?",
]


def build_bench_model(models_dir: Path) -> Path:
    """The tiny de->zh copy model the pipeline runs: its vocabulary knows German (as a real
    model's does), so a ticket body is ~80 pieces and one decode costs a few ms; with the tests'
    default tiny vocabulary (Chinese and English pieces) German falls apart into single
    letters and the 800-wide model spent ~50 ms per decode, measuring the model, not the pipeline."""
    from nlp.translate.tiny_model import build_tiny_model, train_tiny_spm

    lines = GERMAN_LINES + [t for i in range(50) for t in (ticket_input("corpus", i).subject,
                                                            ticket_input("corpus", i).body)]
    # Every Latin letter and digit, as in any real model's vocabulary. Without them "TERM0" lost
    # its E (no German line has a capital E), every body's placeholders came back broken, and
    # the pipeline translated it again around its terms: three decodes per body instead of one.
    lines += [" ".join(string.ascii_uppercase), " ".join(string.ascii_lowercase), " ".join(string.digits)]
    spm_model = train_tiny_spm(models_dir / ".spm" / "bench-de", vocab_size=256, lines=lines)
    return build_tiny_model(models_dir, "de", "zh", spm_model=spm_model, position_freqs=16)
