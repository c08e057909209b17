"""Template fixtures: the shipped catalog, a SQLite variant store, a recording fake translator."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from domain.nlp import TranslateRequest, TranslationResult, TranslationState
from store.db import make_engine, make_session_factory
from store.tables import TemplateVariantRow
from templates.loader import TemplateCatalog, load_catalog
from templates.service import TemplateService
from templates.store import SqlVariantStore

ORDER_VALUES = {"order_id": "A123", "tracking_number": "SF123456789"}


class FakeTranslator:
    """Stands in for TranslationService: prefixes the target and keeps the (protected) text."""

    def __init__(self, rewrite: Callable[[str], str] | None = None,
                 state: TranslationState = TranslationState.TRANSLATED) -> None:
        self.rewrite = rewrite or (lambda text: text)
        self.state = state
        self.requests: list[TranslateRequest] = []

    def translate(self, req: TranslateRequest) -> TranslationResult:
        self.requests.append(req)
        if self.state is not TranslationState.TRANSLATED:
            return TranslationResult(state=self.state, source=req.source, target=req.target,
                                     detail=f"no translation model for {req.source}->{req.target}")
        return TranslationResult(state=self.state, text=f"[{req.target}] " + self.rewrite(req.text),
                                 source=req.source, target=req.target, engine="fake", model_id="fake-1",
                                 glossary_version="g-1")


@pytest.fixture(scope="session")
def catalog() -> TemplateCatalog:
    return load_catalog()


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'variants.db'}")
    TemplateVariantRow.__table__.create(engine)  # type: ignore[attr-defined]
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def translator() -> FakeTranslator:
    return FakeTranslator()


@pytest.fixture
def service(catalog: TemplateCatalog, sessions: sessionmaker[Session],
            translator: FakeTranslator) -> TemplateService:
    return TemplateService(catalog, SqlVariantStore(sessions), translator=translator)
