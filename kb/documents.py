"""Guide documents from files: Markdown, plain text, HTML and PDF.

A document keeps its id (the file stem, so evaluation files can name it by hand), title, source
path, a hash of its bytes (for incremental re-ingestion) and its text as sections, each with the
path of headings above it. A file that cannot be read as a document raises `DocumentError`
naming the file and the reason; callers report it and go on with the rest.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
_ENCODINGS = ("utf-8-sig", "cp949")  # Korean documents are often still saved as CP949 (EUC-KR)


class DocumentError(ValueError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Section:
    heading_path: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    source: str
    content_hash: str
    sections: tuple[Section, ...]
    category: str = ""
    tags: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


def document_id(path: Path) -> str:
    """The file stem, with whitespace and ':' (a key separator) replaced by '-'."""
    return re.sub(r"[\s:]+", "-", path.stem.strip()) or "document"


def load_document(path: Path) -> Document:
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise DocumentError(
            path, f"unsupported file type {path.suffix or '(none)'}; supported: {', '.join(sorted(SUFFIXES))}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"unreadable: {exc.strerror or exc}") from None
    if not data.strip():
        raise DocumentError(path, "empty file")
    meta = FrontMatter()
    if kind == "pdf":
        title, sections = _pdf(path, data)
    else:
        text = _decode(path, data)
        if kind == "markdown":
            meta, text = _front_matter(path, text)
        parse = {"markdown": _markdown, "text": _plain_text, "html": _html}[kind]
        title, sections = parse(text)
    kept = tuple(s for s in sections if s.text.strip())
    if not kept:
        raise DocumentError(path, "no text content")
    return Document(
        doc_id=document_id(path),
        title=meta.title or title or path.stem,
        category=meta.category,
        tags=meta.tags,
        source=str(path),
        content_hash=hashlib.sha256(data).hexdigest(),
        sections=kept,
    )


def find_documents(paths: list[Path]) -> list[Path]:
    """Files under `paths` (recursively for folders) with a supported suffix, sorted."""
    found: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found.update(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            found.add(path)
    return sorted(found)


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise DocumentError(path, "binary content (NUL bytes) in a text file")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text
        raise DocumentError(path, "binary content: mostly unprintable characters")
    raise DocumentError(path, f"not text in a known encoding ({' or '.join(_ENCODINGS)})")


def _mostly_printable(text: str) -> bool:
    sample = text[:20_000]
    bad = sum(1 for ch in sample if not (ch.isprintable() or ch in "\n\r\t"))
    return bad <= len(sample) * 0.02


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()


def _front_matter(path: Path, text: str) -> tuple[FrontMatter, str]:
    """An optional YAML block at the top of a Markdown file: title, category, tags."""
    match = re.match(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", text, flags=re.S)
    if not match:
        return FrontMatter(), text
    import yaml

    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(path, f"front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise DocumentError(path, "front matter must be a mapping (title, category, tags)")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list):
        raise DocumentError(path, "front matter tags must be a list or a comma-separated string")
    front = FrontMatter(
        title=str(meta.get("title") or "").strip(),
        category=str(meta.get("category") or "").strip(),
        tags=tuple(str(t).strip() for t in tags if str(t).strip()),
    )
    return front, text[match.end() :]


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"(\*\*|__|\*|_|`)")


def _markdown(text: str) -> tuple[str, list[Section]]:
    title = ""
    headings: list[tuple[int, str]] = []
    sections: list[Section] = []
    lines: list[str] = []
    in_code = False

    def close() -> None:
        if lines:
            sections.append(Section(tuple(h for _, h in headings), "\n".join(lines).strip()))
            lines.clear()

    for raw in text.splitlines():
        if raw.strip().startswith("```"):
            in_code = not in_code
            continue
        match = None if in_code else _HEADING.match(raw)
        if match:
            close()
            level, heading = len(match.group(1)), _inline(match.group(2))
            if level == 1 and not title:
                title = heading
                headings = []
                continue
            headings = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, heading)]
            continue
        lines.append(_inline(raw))
    close()
    return title, sections


def _inline(text: str) -> str:
    return _MD_MARKS.sub("", _MD_LINK.sub(r"\1", text)).strip()


def _plain_text(text: str) -> tuple[str, list[Section]]:
    return "", [Section((), text.strip())]


class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "li", "tr", "br", "section", "article", "table", "ul", "ol", "blockquote", "pre"}
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.sections: list[Section] = []
        self._headings: list[tuple[int, str]] = []
        self._text: list[str] = []
        self._heading: list[str] | None = None
        self._level = 0
        self._skip = 0
        self._in_title = False
        self._seen_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif re.fullmatch(r"h[1-6]", tag):
            self._close()
            self._heading, self._level = [], int(tag[1])
        elif tag in self.BLOCKS:
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            heading = " ".join("".join(self._heading).split())
            self._heading = None
            if self._level == 1 and not self._seen_h1:  # the page's own heading: its title, not a section
                self._seen_h1 = True
                self.title = self.title or heading
                return
            self._headings = [(lvl, h) for lvl, h in self._headings if lvl < self._level] + [
                (self._level, heading)
            ]

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.title:
            self.title = data.strip()
        elif self._skip:
            return
        elif self._heading is not None:
            self._heading.append(data)
        else:
            self._text.append(data)

    def _close(self) -> None:
        text = "\n".join(" ".join(line.split()) for line in "".join(self._text).splitlines())
        text = re.sub(r"\n{2,}", "\n", text).strip()
        if text:
            self.sections.append(Section(tuple(h for _, h in self._headings), text))
        self._text = []

    def result(self) -> tuple[str, list[Section]]:
        self._close()
        return self.title, self.sections


def _html(text: str) -> tuple[str, list[Section]]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return parser.result()


def _pdf(path: Path, data: bytes) -> tuple[str, list[Section]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = str(reader.metadata.get("/Title") or "").strip() if reader.metadata else ""
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(path, f"not a readable PDF: {exc}") from None
    return title, [Section((f"p.{number}",), text.strip()) for number, text in enumerate(pages, 1)]
