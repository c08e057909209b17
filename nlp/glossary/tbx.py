"""TBX exchange (ISO 30042), so terminology moves to and from CAT tools, plus the canonical CSV writer.

Export writes TBX-Basic v2 (`martif/text/body/termEntry/langSet/tig/term`), which memoQ, Trados
MultiTerm, Phrase and OmegaT all read; `version="3"` writes TBX v3 DCA style
(`tbx/text/body/conceptEntry/langSec/termSec/term`). Import reads both, namespaced or not.

Mapping (both directions): `domain` <-> `<descrip type="subjectField">`, `note` <-> the entry's
`<note>`, `dnt` <-> `<admin type="x-doNotTranslate">true</admin>` (TBX has no standard data
category for it; the `x-` prefix marks a private one), the CSV column order <-> `<p
type="x-lingodesk-languages">` in the header. So CSV -> TBX -> CSV gives back the same file.

Parsing uses the standard library. Entity declarations are refused before parsing: they are
the only way an XML file can expand itself ("billion laughs"), and TBX never needs them.
"""

import csv
import io
import re
from typing import Literal
from xml.etree import ElementTree as ET

from pydantic import BaseModel, Field

from nlp.glossary.model import GENERAL_DOMAIN, Concept, Glossary

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX3_NS = "urn:iso:std:iso:30042:ed-2"
DNT_TYPE = "x-doNotTranslate"
LANGUAGES_TYPE = "x-lingodesk-languages"
# Column order for imported files that do not carry one: the languages of our customers first.
STANDARD_ORDER = ("zh", "en", "ja", "ko", "th", "es", "de", "fr", "pt", "ar", "vi", "ru")
MAX_TBX_BYTES = 50 * 1024 * 1024
_DNT_TYPES = {DNT_TYPE.lower(), "donottranslate", "x-dnt", "dnt"}
_TRUE = {"1", "true", "yes", "y", "x"}
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)

TbxVersion = Literal["2", "3"]


class TbxError(ValueError):
    """A file that is not TBX, or not safe to parse."""


class TbxImport(BaseModel):
    name: str
    languages: list[str]
    concepts: list[Concept]
    warnings: list[str] = Field(default_factory=list)  # information a one-term-per-language CSV cannot keep


# ------------------------------------------------------------------------------------------ CSV
def dump_glossary_csv(languages: list[str], concepts: list[Concept]) -> str:
    """The canonical CSV text: `domain,<languages>,note,dnt`, `\\n` line ends, minimal quoting."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["domain", *languages, "note", "dnt"])
    for concept in concepts:
        writer.writerow([concept.domain, *(concept.terms.get(lang, "") for lang in languages), concept.note,
                         "yes" if concept.do_not_translate else ""])
    return out.getvalue()


# --------------------------------------------------------------------------------------- export
def export_tbx(glossary: Glossary, version: TbxVersion = "2") -> bytes:
    v3 = version == "3"

    def sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, name, attrs)
        element.text = text
        return element

    source_lang = glossary.languages[0] if glossary.languages else "en"
    if v3:
        # A literal xmlns attribute puts every (unqualified) element in the TBX v3 namespace.
        root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: source_lang,
                                  "xmlns": TBX3_NS})
        header = sub(root, "tbxHeader")
    else:
        root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: source_lang})
        header = sub(root, "martifHeader")
    file_desc = sub(header, "fileDesc")
    sub(sub(file_desc, "titleStmt"), "title", glossary.name)
    source_desc = sub(file_desc, "sourceDesc")
    sub(source_desc, "p", f"Lingodesk glossary {glossary.name} (version {glossary.version})")
    sub(source_desc, "p", " ".join(glossary.languages), type=LANGUAGES_TYPE)
    if not v3:
        sub(sub(header, "encodingDesc"), "p", "TBXBasicXCSV02.xcs", type="XCSURI")
    body = sub(sub(root, "text"), "body")
    for number, concept in enumerate(glossary.concepts, start=1):
        entry = sub(body, "conceptEntry" if v3 else "termEntry", id=f"c{number}")
        sub(entry, "descrip", concept.domain, type="subjectField")
        if concept.note:
            sub(entry, "note", concept.note)
        if concept.do_not_translate:
            sub(entry, "admin", "true", type=DNT_TYPE)
        for lang in glossary.languages:
            term = concept.terms.get(lang)
            if not term:
                continue
            lang_set = sub(entry, "langSec" if v3 else "langSet", **{XML_LANG: lang})
            sub(sub(lang_set, "termSec" if v3 else "tig"), "term", term)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# --------------------------------------------------------------------------------------- import
def _local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    """Direct children with these local names, looking through `...Grp` wrappers (descripGrp)."""
    found: list[ET.Element] = []
    for child in element:
        local = _local(child)
        if local in names:
            found.append(child)
        elif local.endswith("Grp") and local not in ("termGrp",):
            found.extend(c for c in child if _local(c) in names)
    return found


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _language_key(code: str, declared: list[str]) -> str:
    """`en-US` -> `en` (glossary columns are base languages) unless the file declares `en-us` itself."""
    tag = code.strip().lower().replace("_", "-")
    return tag if tag in declared else tag.split("-", 1)[0]


def parse_xml(data: bytes) -> ET.Element:
    if len(data) > MAX_TBX_BYTES:
        raise TbxError(f"file of {len(data)} bytes exceeds the {MAX_TBX_BYTES} byte limit")
    if _ENTITY.search(data):
        raise TbxError("the file declares XML entities (<!ENTITY>); refused for safety, "
                       "TBX does not need them")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise TbxError(f"not well-formed XML at line {line}, column {column + 1}: {exc}") from exc


def import_tbx(data: bytes, name: str, default_domain: str = GENERAL_DOMAIN) -> TbxImport:
    root = parse_xml(data)
    if _local(root) not in ("martif", "tbx"):
        raise TbxError(f"root element is <{_local(root)}>, expected <martif> (TBX v2) or <tbx> (TBX v3)")
    declared: list[str] = []
    for p in root.iter():
        if _local(p) == "p" and p.get("type") == LANGUAGES_TYPE:
            declared = _text(p).lower().split()
    warnings: list[str] = []
    concepts: list[Concept] = []
    seen_languages: list[str] = []
    entries = [e for e in root.iter() if _local(e) in ("termEntry", "conceptEntry")]
    for number, entry in enumerate(entries, start=1):
        label = entry.get("id") or f"entry {number}"
        concept = _import_entry(entry, label, default_domain, declared, warnings)
        if concept is None:
            warnings.append(f"{label}: no usable term, skipped")
            continue
        concept.line = len(concepts) + 2  # the line it will have in the CSV written from this import
        seen_languages.extend(lang for lang in concept.terms if lang not in seen_languages)
        concepts.append(concept)
    if declared and set(seen_languages) <= set(declared):
        languages = declared
    else:
        languages = [lang for lang in STANDARD_ORDER if lang in seen_languages]
        languages += [lang for lang in seen_languages if lang not in languages]
    return TbxImport(name=name, languages=languages, concepts=concepts, warnings=warnings)


def _import_entry(entry: ET.Element, label: str, default_domain: str, declared: list[str],
                  warnings: list[str]) -> Concept | None:
    domain = default_domain
    for descrip in _children(entry, "descrip", "subjectField"):
        if _local(descrip) == "subjectField" or descrip.get("type") == "subjectField":
            domain = _text(descrip).lower().replace(" ", "_") or default_domain
    notes = [_text(n) for n in _children(entry, "note") if _text(n)]
    dnt = any((e.get("type") or "").lower() in _DNT_TYPES and _text(e).lower() in _TRUE for e in entry.iter())
    terms: dict[str, str] = {}
    for lang_set in _children(entry, "langSet", "langSec"):
        raw_lang = lang_set.get(XML_LANG) or lang_set.get("lang") or ""
        lang = _language_key(raw_lang, declared)
        if not lang:
            warnings.append(f"{label}: a language section without xml:lang was skipped")
            continue
        for term in _preferred_terms(lang_set):
            if lang not in terms:
                terms[lang] = term
            elif term != terms[lang]:
                warnings.append(f"{label}: extra {raw_lang} term {term!r} dropped (kept {terms[lang]!r}; "
                                "the CSV holds one term per language)")
    if not terms:
        return None
    return Concept(domain=domain, terms=terms, note="; ".join(notes), do_not_translate=dnt)


def _preferred_terms(lang_set: ET.Element) -> list[str]:
    """Terms of a language section, preferred first and deprecated ones left out."""
    ranked: list[tuple[int, str]] = []
    for holder in lang_set.iter():
        if _local(holder) not in ("tig", "ntig", "termSec"):
            continue
        term_el = next((e for e in holder.iter() if _local(e) == "term"), None)
        if term_el is None or not _text(term_el):
            continue
        status = " ".join((e.text or "").lower() for e in holder.iter()
                          if _local(e) == "termNote" and e.get("type") in ("administrativeStatus",
                                                                            "normativeAuthorization"))
        if "deprecated" in status or "superseded" in status:
            continue
        ranked.append((0 if "preferred" in status else 1, _text(term_el)))
    return [term for _, term in sorted(ranked, key=lambda r: r[0])]
