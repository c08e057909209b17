"""Every UI string exists in both languages, and ticket text is escaped, never rendered."""

import re
import string
from pathlib import Path

from console.i18n import ENUM_LABELS, STRINGS, translate
from console.widgets import escape_md, fmt_duration, highlight
from domain.nlp import RequestDomain
from domain.status import TicketStatus

CONSOLE = Path(__file__).resolve().parents[2] / "console"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in CONSOLE.rglob("*.py"):
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']\s*[,)]""", path.read_text(encoding="utf-8")))
    return keys


def test_every_used_key_exists_in_both_languages() -> None:
    keys = used_keys()
    assert len(keys) > 100  # the scan really found the pages' strings
    missing = sorted(k for k in keys if k not in STRINGS)
    assert missing == []
    for key, (en, zh) in STRINGS.items():
        assert en.strip() and zh.strip(), key
        assert set(PLACEHOLDER.findall(en)) == set(PLACEHOLDER.findall(zh)), key


def test_keys_built_at_runtime_exist() -> None:
    from console.layout import PAGES
    from store.queries import SlaState, TicketSort
    from store.users import Role

    dynamic = [f"role_{r.value}" for r in Role] + [f"sort_{s.value}" for s in TicketSort]
    dynamic += [s.value for s in SlaState] + [f"dir_{d}" for d in ("inbound", "outbound", "note")]
    dynamic += [k for title, _, section in PAGES.values() for k in (title, section)]
    assert [k for k in dynamic if k not in STRINGS] == []


def test_every_status_and_domain_has_a_label() -> None:
    for value in [*TicketStatus, *RequestDomain]:
        assert str(value) in ENUM_LABELS
    assert translate("nav_overview", "zh") == "总览" and translate("nav_overview", "en") == "Overview"


HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"


def test_escape_md_neutralises_markup() -> None:
    escaped = escape_md(HOSTILE)
    # Every ASCII punctuation character is backslash-escaped, so no Markdown or HTML survives.
    for ch in "<>*[]():":
        assert ch not in re.sub(r"\\.", "", escaped)
    assert re.sub(r"\\(.)", r"\1", escaped) == HOSTILE  # and nothing else changed
    assert escape_md("a\nb") == "a  \nb"  # line breaks kept as hard breaks


def test_highlight_marks_terms_and_escapes_everything_else() -> None:
    md = highlight("Bitte Firmware (v2.1) neu laden; firmware!", ["Firmware"])
    assert md.count(":orange-background[") == 2  # case-insensitive, every occurrence
    assert "\\(v2\\.1\\)" in md
    hostile = highlight(HOSTILE, ["**bold**"])
    assert ":orange-background[\\*\\*bold\\*\\*]" in hostile and "<script>" not in hostile
    assert all(c in string.printable or c == " " for c in hostile)


def test_durations_read_naturally() -> None:
    assert fmt_duration(59) == "0m" and fmt_duration(3600 + 5 * 60) == "1h 05m"
    assert fmt_duration(-(2 * 86400 + 3 * 3600)) == "2d 3h"
