"""Workflow and domain code must import no heavy library (they load inside the sandbox)."""

import subprocess
import sys
from pathlib import Path

HEAVY = [
    "sqlalchemy",
    "fasttext",
    "ctranslate2",
    "sentencepiece",
    "streamlit",
    "psycopg",
    "numpy",
    "holidays",
]
ROOT = Path(__file__).resolve().parents[2]


def test_workflows_and_domain_import_no_heavy_library() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for pkg in ("domain", "workflows")
        for p in (ROOT / pkg).rglob("*.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {[m.removesuffix('.__init__') for m in modules]!r}: importlib.import_module(m)\n"
        f"print(','.join(h for h in {HEAVY!r} if h in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"heavy modules loaded: {out.stdout.strip()}"
    assert len(modules) >= 8
