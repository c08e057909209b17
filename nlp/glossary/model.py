"""The glossary data model shared by the loader, the validator, TBX exchange and term enforcement."""

import hashlib

from pydantic import BaseModel, Field

# Concepts of this domain apply to every ticket, whatever its industry or request domain.
GENERAL_DOMAIN = "general"


class Concept(BaseModel):
    """One row of a glossary file: the same concept named in several languages."""

    domain: str
    terms: dict[str, str] = Field(default_factory=dict)  # lang -> term; empty cells are omitted
    note: str = ""
    do_not_translate: bool = False  # brand/product names: keep the source form in every language
    line: int = 0  # 1-based line in the source file, for error messages and reports


class Glossary(BaseModel):
    """One glossary file."""

    name: str  # file stem, e.g. "electronics"; also selects the file by industry
    path: str
    languages: list[str]
    concepts: list[Concept]
    version: str  # first 16 hex chars of sha256(file bytes): changes whenever the file does


class GlossarySet:
    """Several glossaries; `select` picks the concepts that apply to one ticket."""

    def __init__(self, glossaries: list[Glossary] | None = None) -> None:
        # Sorted so the combined version does not depend on directory listing order.
        self.glossaries: list[Glossary] = sorted(glossaries or [], key=lambda g: (g.name, g.path))

    @property
    def version(self) -> str:
        """Combined hash of every file's version; empty when there are no glossaries."""
        if not self.glossaries:
            return ""
        digest = hashlib.sha256()
        for glossary in self.glossaries:
            digest.update(f"{glossary.name}:{glossary.version}\n".encode())
        return digest.hexdigest()[:16]

    @property
    def languages(self) -> set[str]:
        return {lang for glossary in self.glossaries for lang in glossary.languages}

    def select(self, domain: str | None, industry: str | None) -> list[Concept]:
        """General concepts plus those of the ticket's industry or request domain.

        A concept matches when its `domain` column or its file name equals the industry or the
        domain, so both an `electronics.csv` file and `electronics` rows in a shared file work.
        """
        wanted = {GENERAL_DOMAIN} | {key for key in (domain, industry) if key}
        selected: list[Concept] = []
        for glossary in self.glossaries:
            file_matches = glossary.name in wanted
            selected.extend(c for c in glossary.concepts if file_matches or c.domain in wanted)
        return selected

    def __len__(self) -> int:
        return len(self.glossaries)
