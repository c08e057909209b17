"""HTML mail to plain text, safely: an HTML parser, never regex surgery and never a browser.

The output is text only (scripts, styles and hidden head content are dropped, entities
decoded); everything shown later is escaped again by whoever renders it. Quoted history is
marked with "> " line prefixes so `nlp.textclean.split_quoted` separates it from the new text:
`<blockquote>` content, and everything after the reply markers that Outlook, Gmail, Yahoo and
Thunderbird put in front of the quoted original.
"""

import re
from html.parser import HTMLParser

# Their content is never text the customer wrote.
_SKIP = frozenset(
    {"script", "style", "head", "title", "template", "noscript", "object", "iframe", "svg", "xml"}
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "table",
        "tr",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "address",
        "center",
        "form",
        "fieldset",
        "hr",
        "body",
        "html",
        "main",
        "nav",
        "aside",
        "figure",
        "figcaption",
    }
)
# Markers in front of the quoted original ("everything below is history").
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote", "zmail_extra")
_QUOTE_IDS = ("divrplyfwdmsg", "appendonsend", "stopspelling", "mail-editor-reference-message-container")
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")
_BLANKS = re.compile(r"\n{3,}")


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.quote_depth = 0
        self.rest_is_history = False
        self.link_href: str | None = None
        self.link_text: list[str] = []

    # -------------------------------------------------------------- structure
    def _break(self, blank: bool = False) -> None:
        line = "".join(self.current).strip(" ")
        self.current = []
        quoted = self.quote_depth > 0 or self.rest_is_history
        if line:
            self.lines.append(("> " if quoted else "") + line)
        if blank and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _text(self, data: str) -> None:
        if self.link_href is not None:
            self.link_text.append(data)
        self.current.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        attr = {k.lower(): (v or "") for k, v in attrs}
        classes = attr.get("class", "").lower()
        element_id = attr.get("id", "").lower()
        if any(c in classes for c in _QUOTE_CLASSES) or any(i == element_id for i in _QUOTE_IDS):
            self._break()
            self.rest_is_history = True
        if tag == "br":
            self._break()
        elif tag == "li":
            self._break()
            self.current.append("- ")
        elif tag in ("td", "th"):
            self.current.append(" ")
        elif tag == "blockquote":
            self._break(blank=True)
            self.quote_depth += 1
        elif tag in _BLOCK:
            self._break(blank=tag in ("p", "h1", "h2", "h3", "table", "hr"))
            if tag == "pre":
                self.pre_depth += 1
        elif tag == "a":
            href = attr.get("href", "")
            self.link_href = href if href.lower().startswith(("http://", "https://")) else None
            self.link_text = []
        elif tag == "img":
            alt = " ".join(attr.get("alt", "").split())
            if alt and not attr.get("src", "").lower().startswith("cid:"):
                self.current.append(f"[{alt}]")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag == "blockquote":
            self._break(blank=True)
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag in _BLOCK:
            self._break(blank=tag in ("p", "h1", "h2", "h3", "table"))
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
        elif tag == "a" and self.link_href is not None:
            label = "".join(self.link_text).strip()
            # Keep the target of "click here" links: tracking and order links matter to agents.
            if label and self.link_href.rstrip("/") not in label:
                self.current.append(f" ({self.link_href})")
            self.link_href = None

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            first, *rest = data.split("\n")
            self._text(first)
            for line in rest:
                self._break()
                self._text(line)
            return
        collapsed = _SPACE.sub(" ", data)
        if collapsed.strip() or (self.current and not self.current[-1].endswith(" ")):
            self._text(collapsed)

    def result(self) -> str:
        self._break()
        text = "\n".join(line.rstrip() for line in self.lines)
        return _BLANKS.sub("\n\n", text).strip()


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML mail body; quoted history lines start with "> "."""
    builder = _TextBuilder()
    try:
        builder.feed(html)
        builder.close()
    except Exception:  # the parser is lenient; this guards against pathological input only
        return _SPACE.sub(" ", re.sub(r"<[^>]*>", " ", html)).strip()
    return builder.result()
