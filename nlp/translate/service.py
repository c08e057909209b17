"""The Translator the activities call: structure-preserving, glossary-enforcing, memoised.

One instance per process (nlp.factory); it is thread-safe, and concurrent calls share model
batches through each model's micro-batcher.
"""

import threading
from pathlib import Path

from domain.nlp import TranslateRequest, TranslationResult, TranslationState
from nlp.glossary.loader import load_glossary_csv
from nlp.glossary.model import GlossarySet
from nlp.glossary.registry import GlossaryRegistry
from nlp.translate.catalog import ModelCatalog
from nlp.translate.enforce import applied_terms, mask_sentence
from nlp.translate.engine import EngineOptions, ModelPool
from nlp.translate.glossary_source import GlossarySource, PeriodicRefresh, StaticGlossaries
from nlp.translate.langs import joins_without_space, normalize_lang
from nlp.translate.memory import (
    LruMemory,
    NoMemory,
    SqliteMemory,
    TieredMemory,
    TranslationMemory,
    memory_key,
)
from nlp.translate.omission import lost_sentences, source_sentences
from nlp.translate.paths import TranslationPath, find_path
from nlp.translate.pipeline import PathTranslator, SentenceOutcome
from nlp.translate.placeholders import DEFAULT_STYLE, RETRY_STYLE, STYLES, MaskedSentence
from nlp.translate.segment import render, segment, sentences_of
from nlp.translate.terms import TermMatch, TermMatcher
from runtime.settings import Settings

ENGINE = "ctranslate2"
# A line re-translated sentence by sentence replaces the whole-line translation only when it is
# this much longer (a left-out sentence); otherwise the model's whole-line output stands.
RESTORE_MIN_GROWTH = 1.3
UNDETERMINED = "und"


def build_memory(kind: str, data_dir: Path) -> TranslationMemory:
    if kind == "off":
        return NoMemory()
    if kind == "memory":
        return LruMemory()
    if kind == "sqlite":
        return TieredMemory(LruMemory(), SqliteMemory(data_dir / "translation_memory.sqlite3"))
    raise ValueError(f"LINGODESK_TRANSLATION_MEMORY must be sqlite, memory or off, not {kind!r}")


class TranslationService:
    def __init__(self, catalog: ModelCatalog, glossaries: GlossarySet | GlossarySource | None = None,
                 memory: TranslationMemory | None = None, options: EngineOptions | None = None,
                 placeholder_style: str = DEFAULT_STYLE, retry_style: str | None = RETRY_STYLE,
                 pool: ModelPool | None = None, guard_omissions: bool = True) -> None:
        self.catalog = catalog
        # Re-translate sentence by sentence a unit whose translation has fewer sentences.
        self.guard_omissions = guard_omissions
        self._catalog_stamp: int | None = None  # models-directory mtime at the last rescan
        if glossaries is None or isinstance(glossaries, GlossarySet):
            glossaries = StaticGlossaries(glossaries if glossaries is not None else GlossarySet([]))
        self.glossary_source: GlossarySource = glossaries
        # `is None`, not `or`: an empty memory is falsy (it has a length).
        self.memory = memory if memory is not None else LruMemory()
        # A shared pool lets several services (benchmarks, tests) use one loaded model.
        self.pool = pool if pool is not None else ModelPool(options or EngineOptions())
        self.style = STYLES[placeholder_style]
        self.retry_style = STYLES[retry_style] if retry_style else None
        self._lock = threading.Lock()
        self._matchers: dict[tuple[str, str, str, str | None, str | None], TermMatcher] = {}

    @classmethod
    def from_settings(cls, settings: Settings,
                      glossary_files: list[Path] | None = None) -> "TranslationService":
        """`glossary_files` replaces the glossary directory (the CLI's --glossary).

        Without them, the glossary directory is served through the validating registry (a broken
        edit keeps the last good version in force) and re-read every 30 s.
        """
        glossaries: GlossarySet | GlossarySource
        if glossary_files:
            glossaries = GlossarySet([load_glossary_csv(p) for p in glossary_files])
        else:
            glossaries = PeriodicRefresh(GlossaryRegistry.from_settings(settings))
        options = EngineOptions(
            device=settings.ct2_device, inter_threads=settings.ct2_inter_threads,
            intra_threads=settings.ct2_intra_threads, compute_type=settings.ct2_compute_type,
            beam_size=settings.translate_beam_size,
        )
        return cls(ModelCatalog.scan(settings.models_dir), glossaries,
                   build_memory(settings.translation_memory, settings.data_dir), options)

    @property
    def glossaries(self) -> GlossarySet:
        return self.glossary_source.glossary_set()

    def matcher(self, source: str, target: str, domain: str | None, industry: str | None,
                glossaries: GlossarySet | None = None) -> TermMatcher:
        glossaries = glossaries if glossaries is not None else self.glossaries
        key = (glossaries.version, source, target, domain, industry)
        with self._lock:
            found = self._matchers.get(key)
            if found is None:
                if len(self._matchers) > 256:
                    self._matchers.clear()  # old glossary versions; rebuilding costs milliseconds
                found = TermMatcher(glossaries.select(domain, industry), source, target)
                self._matchers[key] = found
            return found

    def translate(self, req: TranslateRequest) -> TranslationResult:
        source, target = normalize_lang(req.source), normalize_lang(req.target)
        glossaries = self.glossaries  # one snapshot per request, even if a refresh lands meanwhile
        base = TranslationResult(state=TranslationState.NOT_NEEDED, text=req.text, source=source,
                                 target=target, engine=ENGINE, glossary_version=glossaries.version)
        if source == target:
            return base.model_copy(update={"detail": f"text is already in {target}"})
        if not req.text.strip():
            return base.model_copy(update={"detail": "empty text"})
        if source == UNDETERMINED:
            return base.model_copy(update={
                "state": TranslationState.UNAVAILABLE, "text": None,
                "detail": "source language unknown: cannot choose a translation model"})
        path = find_path(self.catalog, source, target)
        if path is None and self._rescan_catalog():
            path = find_path(self.catalog, source, target)
        if path is None:
            return base.model_copy(update={"state": TranslationState.UNAVAILABLE, "text": None,
                                           "detail": self._unavailable_detail(source, target)})
        return self._translate(req, source, target, path, base, glossaries)

    def _rescan_catalog(self) -> bool:
        """Re-read the models directory when it changed since the last scan; True if it did.

        A model installed while the worker runs (nlp/translate/install.py renames it into place,
        which changes the directory's mtime) is then used by the ticket's retranslation retry
        without a worker restart. Only called when no model fits, so translation never pays for it.
        """
        directory = self.catalog.directory
        try:
            stamp = directory.stat().st_mtime_ns if directory is not None else None
        except OSError:
            stamp = None
        with self._lock:
            if stamp is None or stamp == self._catalog_stamp:
                return False
            self._catalog_stamp = stamp
            self.catalog = ModelCatalog.scan(directory)
        return True

    def _unavailable_detail(self, source: str, target: str) -> str:
        detail = f"no translation model for {source}->{target}"
        if not self.catalog.models:
            return detail + " (no models installed; set LINGODESK_MODELS_DIR)"
        pairs = ", ".join(f"{s}->{t}" for s, t in self.catalog.pairs())
        return f"{detail} (installed: {pairs}; no pivot through en either)"

    def _translate(self, req: TranslateRequest, source: str, target: str, path: TranslationPath,
                   base: TranslationResult, glossaries: GlossarySet) -> TranslationResult:
        matcher = self.matcher(source, target, req.domain, req.industry, glossaries)
        lines = segment(req.text)
        sentences = sentences_of(lines)
        model_id = "+".join(path.model_ids)
        # The selection (industry/domain) changes the terms, so it is part of the glossary key.
        glossary_key = f"{glossaries.version}/{req.industry or ''}/{req.domain or ''}/{self.style.name}"
        keys = {s: memory_key(s, source, target, model_id, glossary_key) for s in sentences}

        translations: dict[str, str] = {}
        matches: list[TermMatch] = []
        to_translate = []
        for sentence in sentences:
            masked, found = mask_sentence(sentence, matcher, self.style)
            matches.extend(found)
            cached = self.memory.get(keys[sentence])
            if cached is not None:
                translations[sentence] = cached
            else:
                to_translate.append(masked)
        translator = PathTranslator(path, self.pool, self.style, self.retry_style)
        outcomes = translator.translate_masked(to_translate)
        restored = 0
        if self.guard_omissions:
            outcomes, restored = self._restore_lost_sentences(translator, matcher, to_translate, outcomes,
                                                              target)
        around = 0
        for masked, outcome in zip(to_translate, outcomes, strict=True):
            translations[masked.source] = outcome.text
            around += outcome.around
            self.memory.put(keys[masked.source], outcome.text)

        text = render(lines, translations, target)
        notes = []
        if len(path.legs) > 1:
            notes.append(f"pivot via {path.legs[0].target}")
        if len(sentences) > len(to_translate):
            hits = len(sentences) - len(to_translate)
            notes.append(f"{hits} of {len(sentences)} sentences from translation memory")
        if around:
            notes.append(f"{around} sentences translated around their terms (placeholders lost)")
        if restored:
            notes.append(f"{restored} lines translated sentence by sentence (the model left a sentence out)")
        return base.model_copy(update={
            "state": TranslationState.TRANSLATED, "text": text, "model_id": model_id, "path": path.languages,
            "applied_terms": applied_terms(matches, text, target), "detail": "; ".join(notes),
        })

    def _restore_lost_sentences(self, translator: PathTranslator, matcher: TermMatcher,
                                units: list[MaskedSentence], outcomes: list[SentenceOutcome],
                                target: str) -> tuple[list[SentenceOutcome], int]:
        """Units whose translation has fewer sentences than the source, translated per sentence."""
        split = {u.source: source_sentences(u.source) for u in units}
        lost = [i for i, (u, o) in enumerate(zip(units, outcomes, strict=True))
                if lost_sentences(split[u.source], o.text, target)]
        if not lost:
            return outcomes, 0
        pieces = list(dict.fromkeys(p for i in lost for p in split[units[i].source]))
        masked = [mask_sentence(p, matcher, self.style)[0] for p in pieces]
        done = dict(zip(pieces, translator.translate_masked(masked), strict=True))
        joiner = "" if joins_without_space(target) else " "
        fixed = list(outcomes)
        restored = 0
        for i in lost:
            parts = [done[p] for p in split[units[i].source]]
            joined = joiner.join(p.text for p in parts)
            # The model often merges two sentences into one without losing anything; only a
            # clearly longer sentence-by-sentence translation shows that something was left out.
            if len(joined) >= RESTORE_MIN_GROWTH * len(outcomes[i].text):
                fixed[i] = SentenceOutcome(joined, any(p.around for p in parts))
                restored += 1
        return fixed, restored
