"""Finds how to get from one language to another with the installed models."""

from pydantic import BaseModel

from nlp.translate.catalog import ModelCatalog, ModelInfo
from nlp.translate.langs import PIVOT_LANGUAGE


class Leg(BaseModel):
    source: str
    target: str
    model: ModelInfo


class TranslationPath(BaseModel):
    legs: list[Leg]

    @property
    def languages(self) -> list[str]:
        return [self.legs[0].source, *(leg.target for leg in self.legs)]

    @property
    def model_ids(self) -> list[str]:
        return [leg.model.model_id for leg in self.legs]


def find_path(catalog: ModelCatalog, source: str, target: str) -> TranslationPath | None:
    """Direct model, else source->English->target when both legs exist, else None."""
    direct = catalog.find(source, target)
    if direct is not None:
        return TranslationPath(legs=[Leg(source=source, target=target, model=direct)])
    if PIVOT_LANGUAGE in (source, target):
        return None
    first = catalog.find(source, PIVOT_LANGUAGE)
    second = catalog.find(PIVOT_LANGUAGE, target)
    if first is None or second is None:
        return None
    return TranslationPath(legs=[Leg(source=source, target=PIVOT_LANGUAGE, model=first),
                                 Leg(source=PIVOT_LANGUAGE, target=target, model=second)])
