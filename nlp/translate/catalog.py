"""The installed translation models: one subfolder of the models directory per model.

Layouts recognised:
- Argos Translate package: `metadata.json` (`from_code`, `to_code`), `model/` (CTranslate2),
  `sentencepiece.model` (used for both sides).
- CTranslate2 folder: `model.bin` + vocabulary, `source.spm`/`target.spm` (or one
  `sentencepiece.model`), `metadata.json` with `from_code`/`to_code`.
- Multilingual CTranslate2 folder (NLLB / M2M-100 style): `metadata.json` with `languages` and
  `lang_tokens` (language -> token such as `__de__` or `deu_Latn`); the source starts with the
  source token, the target prefix is the target token.
"""

import hashlib
import json
import logging
from pathlib import Path

from pydantic import BaseModel, Field

from nlp.translate.langs import normalize_lang

log = logging.getLogger(__name__)

METADATA_FILE = "metadata.json"


class ModelFormatError(ValueError):
    """A folder in the models directory that is not a usable translation model."""


class ModelInfo(BaseModel):
    name: str  # folder name
    path: Path
    layout: str  # "argos" | "ct2"
    ct2_dir: Path
    source_spm: Path
    target_spm: Path
    languages: list[str] = Field(default_factory=list)  # multilingual models only
    lang_tokens: dict[str, str] = Field(default_factory=dict)
    pairs: list[tuple[str, str]]
    version: str = ""
    fingerprint: str = ""  # changes when the weights change; part of translation-memory keys

    @property
    def multilingual(self) -> bool:
        return bool(self.lang_tokens)

    @property
    def model_id(self) -> str:
        return f"{self.name}@{self.version or '0'}:{self.fingerprint}"

    def supports(self, source: str, target: str) -> bool:
        return (source, target) in self.pairs


def _fingerprint(ct2_dir: Path) -> str:
    # Size + mtime of the weights: hashing a few hundred MB on every worker start is not worth it,
    # and a re-installed model (new mtime) only costs translation-memory misses.
    stat = (ct2_dir / "model.bin").stat()
    return hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:12]


def _looks_like_model(folder: Path) -> bool:
    return any((folder / name).exists() for name in (METADATA_FILE, "model.bin", "model"))


def _first_existing(folder: Path, names: list[str]) -> Path | None:
    return next((folder / n for n in names if (folder / n).is_file()), None)


def read_model(folder: Path) -> ModelInfo:
    """Describes one model folder; raises ModelFormatError when it is not a usable model."""
    meta_path = folder / METADATA_FILE
    if not meta_path.is_file():
        raise ModelFormatError(f"{folder}: no {METADATA_FILE}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFormatError(f"{meta_path}: unreadable ({exc})") from exc
    if not isinstance(meta, dict):
        raise ModelFormatError(f"{meta_path}: expected a JSON object")

    if (folder / "model" / "model.bin").is_file():
        layout, ct2_dir = "argos", folder / "model"
    elif (folder / "model.bin").is_file():
        layout, ct2_dir = "ct2", folder
    else:
        raise ModelFormatError(f"{folder}: no model.bin (neither Argos model/ nor a CTranslate2 folder)")
    shared = _first_existing(folder, ["sentencepiece.model", "spm.model"])
    source_spm = _first_existing(folder, ["source.spm"]) or shared
    target_spm = _first_existing(folder, ["target.spm"]) or shared
    if source_spm is None or target_spm is None:
        raise ModelFormatError(
            f"{folder}: no SentencePiece model (source.spm/target.spm or sentencepiece.model)")

    lang_tokens = {normalize_lang(k): str(v) for k, v in (meta.get("lang_tokens") or {}).items()}
    if lang_tokens:
        languages = [normalize_lang(x) for x in meta.get("languages") or lang_tokens]
        missing = [lang for lang in languages if lang not in lang_tokens]
        if missing:
            raise ModelFormatError(f"{meta_path}: languages without a token in lang_tokens: {missing}")
        pairs = [(s, t) for s in languages for t in languages if s != t]
    elif meta.get("from_code") and meta.get("to_code"):
        languages = []
        pairs = [(normalize_lang(str(meta["from_code"])), normalize_lang(str(meta["to_code"])))]
    else:
        raise ModelFormatError(f"{meta_path}: needs from_code/to_code, or languages with lang_tokens")

    return ModelInfo(
        name=folder.name, path=folder, layout=layout, ct2_dir=ct2_dir, source_spm=source_spm,
        target_spm=target_spm, languages=languages, lang_tokens=lang_tokens, pairs=pairs,
        version=str(meta.get("package_version", "")), fingerprint=_fingerprint(ct2_dir),
    )


class ModelCatalog:
    """Models found in one directory; folders that are not models are listed in `problems`."""

    def __init__(self, models: list[ModelInfo], problems: list[str] | None = None,
                 directory: Path | None = None) -> None:
        # Bilingual models first: a dedicated model beats a multilingual one for the same pair.
        self.models = sorted(models, key=lambda m: (m.multilingual, m.name))
        self.problems = problems or []
        self.directory = directory

    @classmethod
    def scan(cls, directory: Path | None) -> "ModelCatalog":
        if directory is None or not directory.is_dir():
            return cls([], [], directory)
        models: list[ModelInfo] = []
        problems: list[str] = []
        for folder in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if not _looks_like_model(folder):
                continue  # other assets share the directory (e.g. the language-ID model)
            try:
                models.append(read_model(folder))
            except ModelFormatError as exc:
                log.warning("skipping model folder: %s", exc)
                problems.append(str(exc))
        return cls(models, problems, directory)

    def find(self, source: str, target: str) -> ModelInfo | None:
        return next((m for m in self.models if m.supports(source, target)), None)

    def pairs(self) -> list[tuple[str, str]]:
        return sorted({pair for m in self.models for pair in m.pairs})
