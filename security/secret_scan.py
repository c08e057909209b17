"""Find hard-coded secrets in the repository: `python -m security.secret_scan` (exit 1 on findings).

Scans every tracked or not-ignored text file except tests/ (tests use throwaway values generated
or written for the run). Secrets belong in the environment or in files outside the repository
(docs/security.md); a placeholder such as `<token>`, `changeme` or `${VAR}` is not a finding.
"""

import re
import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel

ROOT = Path(__file__).resolve().parent.parent
SKIP_PREFIXES = ("tests/", ".venv/", "data/", "artifacts/", "bench/results/")
SKIP_SUFFIXES = (".png", ".jpg", ".gif", ".pdf", ".gz", ".bin", ".ftz", ".model", ".sqlite3", ".db", ".zip")

PATTERNS: dict[str, re.Pattern[str]] = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "API secret key": re.compile(r"\bsk-[A-Za-z0-9_-]{32,}\b"),
    "credential assignment": re.compile(
        r"""(?ix)\b[\w-]*(?:password|passwd|secret|token|api[_-]?key)["']?\s*[:=]\s*["']([^"'\s]{8,})["']"""
    ),
    "credentials in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s:/@'\"]+:([^\s@/'\"]{4,})@"),
    "payload key literal": re.compile(r"^\s*[A-Za-z0-9._-]{1,64}:[A-Za-z0-9+/]{43}=\s*$", re.M),
}
PLACEHOLDER = re.compile(
    r"(?i)^(?:<.*>|\$\{?.*\}?|%\(.*|\{.*\}|x{4,}|\*+|\.+|changeme|change-me|example.*|your.*|dummy.*|"
    r"placeholder.*|secret|password|postgres|temporal|none|null|redacted|\.\.\.)$"
)

# Known, deliberate values: (file, text on the line) -> why it is not a secret.
ALLOWED: dict[tuple[str, str], str] = {
    ("console/demo_data.py", "DEMO_PASSWORD = "): "the documented password of the demo users "
    "(console/README.md); only `python -m console.demo_seed` / `make run` create those users",
}


class Finding(BaseModel):
    path: str
    line: int
    kind: str
    excerpt: str


def candidate_files(root: Path = ROOT) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "replace")
    files = []
    for name in filter(None, out.split("\0")):
        if name.startswith(SKIP_PREFIXES) or name.lower().endswith(SKIP_SUFFIXES):
            continue
        path = root / name
        if path.is_file() and path.stat().st_size < 2_000_000:
            files.append(path)
    return files


def scan_text(name: str, text: str) -> list[Finding]:
    findings = []
    for kind, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group(1) if match.groups() else match.group(0)
            if match.groups() and PLACEHOLDER.match(value):
                continue
            line = text.count("\n", 0, match.start()) + 1
            line_text = text.splitlines()[line - 1] if text else ""
            if any(path == name and needle in line_text for path, needle in ALLOWED):
                continue
            # Never print the value itself: the excerpt masks what matched.
            excerpt = text[match.start() : match.start() + 12] + "…"
            findings.append(Finding(path=name, line=line, kind=kind, excerpt=excerpt))
    return findings


def scan(root: Path = ROOT) -> list[Finding]:
    findings: list[Finding] = []
    for path in candidate_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        findings.extend(scan_text(str(path.relative_to(root)), text))
    return findings


def main() -> int:
    findings = scan()
    for f in findings:
        print(f"{f.path}:{f.line}: {f.kind}: {f.excerpt}")
    print(f"{len(findings)} possible secret(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
