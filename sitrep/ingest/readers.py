"""Readers for each input kind: plain text, JSONL, JSON, HTML, RSS/Atom feeds, directories, stdin.

Every reader yields Article or Failure lazily and never raises for a bad document.
"""
from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sitrep.ingest.article import make_article, normalize_text, parse_published
from sitrep.model import Article, Failure

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # one document (file, JSONL line, stdin) larger than this fails
_CHUNK = 1 << 16
_SNIFF_BYTES = 4096

Item = Article | Failure

TEXT_EXTS = {".txt", ".text", ".md"}
JSONL_EXTS = {".jsonl", ".ndjson"}
JSON_EXTS = {".json"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
FEED_EXTS = {".xml", ".rss", ".atom"}


class _Bad(Exception):
    """Internal: a document that cannot be read; becomes a Failure."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# -- bytes -> text ----------------------------------------------------------------------------------

def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\x0c\x0b\x1b")
    return controls / len(head) > 0.1


def decode(data: bytes) -> str:
    """Strict decoding: UTF-8 (optional BOM) or UTF-16 with a BOM.  Raises _Bad with the reason."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Bad(f"invalid UTF-16 at byte offset {exc.start}") from None
    if _looks_binary(data):
        raise _Bad("binary file (not text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(codecs.BOM_UTF8) else 0)
        raise _Bad(f"invalid UTF-8 at byte offset {offset} (byte 0x{data[offset]:02x})") from None


def _read_capped(stream: IO[bytes]) -> bytes:
    """The whole stream, or _Bad when it exceeds MAX_DOCUMENT_BYTES (read in chunks, never more)."""
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(parts)
        if isinstance(chunk, str):  # a text stream (e.g. io.StringIO given as stdin)
            chunk = chunk.encode("utf-8", "surrogatepass")
        size += len(chunk)
        if size > MAX_DOCUMENT_BYTES:
            raise _Bad(_too_big())
        parts.append(chunk)


def _too_big() -> str:
    cap = MAX_DOCUMENT_BYTES
    size = f"{cap // (1024 * 1024)} MB" if cap >= 1024 * 1024 else f"{cap} bytes"
    return f"document larger than the {size} limit"


# -- kinds ------------------------------------------------------------------------------------------

def sniff(head: bytes) -> str:
    """'jsonl', 'json', 'feed', 'html' or 'text' from the first bytes of a document."""
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:_SNIFF_BYTES]
    low = s.lower()
    if s.startswith(b"{"):
        return "jsonl"
    if s.startswith(b"["):
        return "json"
    if s.startswith(b"<"):
        if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", low):
            return "feed"
        if re.search(rb"<(!doctype html|html|head|body|article|p|div|h1|meta|title)[\s>/]", low):
            return "html"
    return "text"


def kind_of(path: str) -> str | None:
    """The input kind from the file extension; None when it must be sniffed."""
    ext = os.path.splitext(path)[1].lower()
    for kind, exts in (("text", TEXT_EXTS), ("jsonl", JSONL_EXTS), ("json", JSON_EXTS),
                       ("html", HTML_EXTS), ("feed", FEED_EXTS)):
        if ext in exts:
            return kind
    return None


# -- plain text -------------------------------------------------------------------------------------

_END_PUNCT = (".", ",", ";", ":")


def headline(text: str) -> str | None:
    """The first line of a normalized text when it reads like a headline, else None.

    Headline-like: under 150 characters, at least two words, a letter in it, no final period/comma,
    and more text after it.  (A heuristic of ours: no library decides this for plain text.)
    """
    first, sep, rest = text.partition("\n")
    if not sep or not rest.strip():
        return None
    line = first.strip()
    bare = line.rstrip("\"'\u201d\u2019)")
    if not line or len(line) >= 150 or bare.endswith(_END_PUNCT) or len(line.split()) < 2:
        return None
    if not any(c.isalpha() for c in line):
        return None
    return line


def text_article(name: str, text: str, published: dt.date | None, document_id: str | None = None) -> Item:
    norm = normalize_text(text)
    if not norm:
        return Failure(name, "empty document (no text)")
    return make_article(norm, title=headline(norm), published=published, document_id=document_id or name,
                        input_name=name)


# -- JSON records -----------------------------------------------------------------------------------

def _opt_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    value = str(value).strip()
    return value or None


def record_article(name: str, record: Any, line: int | None, published: dt.date | None,
                   fallback_id: str) -> Item:
    if not isinstance(record, dict):
        return Failure(name, f"record is a JSON {type(record).__name__}, not an object", line)
    text = record.get("text")
    if text is None:
        return Failure(name, "record has no 'text' field", line)
    if not isinstance(text, str):
        return Failure(name, f"'text' is a {type(text).__name__}, not a string", line)
    if not normalize_text(text):
        return Failure(name, "'text' is empty", line)
    doc_id = _opt_str(record, "id") or fallback_id
    pub = parse_published(record.get("published")) or published
    return make_article(text, title=_opt_str(record, "title"), published=pub, url=_opt_str(record, "url"),
                        outlet=_opt_str(record, "outlet"), document_id=doc_id, input_name=name, line=line)


def _readline_capped(stream: IO[bytes]) -> tuple[bytes, bool]:
    """One line (at most MAX_DOCUMENT_BYTES kept); the flag says it was longer and the rest skipped."""
    line = stream.readline(MAX_DOCUMENT_BYTES + 1)
    if len(line) <= MAX_DOCUMENT_BYTES or line.endswith(b"\n"):
        return line, False
    while True:  # skip the rest of the oversized line without holding it
        more = stream.readline(_CHUNK)
        if not more or more.endswith(b"\n"):
            return b"", True


def jsonl_items(name: str, stream: IO[bytes], published: dt.date | None) -> Iterator[Item]:
    """Records of a JSON-lines stream, streamed line by line; each bad line is one Failure."""
    number = 0
    any_record = False
    while True:
        raw, too_big = _readline_capped(stream)
        if not raw and not too_big:
            break
        number += 1
        if too_big:
            any_record = True
            yield Failure(name, _too_big(), number)
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        any_record = True
        yield _jsonl_line(name, raw, number, published)
    if not any_record:
        yield Failure(name, "empty document (no JSON lines)")


def _jsonl_line(name: str, raw: bytes, number: int, published: dt.date | None) -> Item:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Failure(name, f"invalid UTF-8 at byte offset {exc.start} of the line", number)
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return Failure(name, f"not valid JSON: {getattr(exc, 'msg', exc)} (column {getattr(exc, 'colno', '?')})",
                       number)
    return record_article(name, record, number, published, f"{name}#line-{number}")


def json_items(name: str, text: str, published: dt.date | None) -> Iterator[Item]:
    """A .json document: one record object or a list of records (line = position in the list)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several records one after another (often JSON lines named .json)
            yield from _concatenated_items(name, text, published)
        else:
            yield Failure(name, f"not valid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})")
        return
    except RecursionError:
        yield Failure(name, "not valid JSON: nested too deeply")
        return
    if isinstance(data, dict):
        yield record_article(name, data, None, published, name)
    elif isinstance(data, list):
        if not data:
            yield Failure(name, "empty JSON list (no records)")
        for i, record in enumerate(data, 1):
            yield record_article(name, record, i, published, f"{name}#record-{i}")
    else:
        yield Failure(name, "JSON must be a record object or a list of records")


def _concatenated_items(name: str, text: str, published: dt.date | None) -> Iterator[Item]:
    """Records written one after another (JSON lines or pretty-printed objects); line = record number."""
    decoder = json.JSONDecoder()
    pos, number = 0, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= len(text):
            return
        number += 1
        try:
            record, pos = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield Failure(name, f"not valid JSON: {getattr(exc, 'msg', exc)} (record {number}); "
                                "the rest of the file is skipped", number)
            return
        yield record_article(name, record, number, published, f"{name}#record-{number}")


# -- HTML -------------------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
               "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "pre", "hr",
               "dd", "dt"}


def html_fragment_text(markup: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one paragraph per block element.

    trafilatura is built for whole pages and drops short fragments, so fragments go through lxml
    directly; we only add the paragraph breaks lxml's text_content() leaves out.
    """
    if "<" not in markup:
        import html

        return html.unescape(markup)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCK_TAGS:
            el.tail = "\n\n" + (el.tail or "")
            if el.tag.lower() != "br":
                el.text = "\n\n" + (el.text or "")
    return root.text_content()


MIN_HTML_WORDS = 5  # fewer words than this (a menu, a cookie notice) is not an article


def html_article(name: str, markup: str, published: dt.date | None, url: str | None = None) -> Item:
    """Main text and metadata of an HTML page with trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(markup, url=url, with_metadata=True, include_comments=False)
    text = (doc.text or "") if doc is not None else ""
    # trafilatura puts one paragraph per line; blank lines make the paragraphs explicit.
    text = "\n\n".join(p for p in text.split("\n") if p.strip())
    if len(text.split()) < MIN_HTML_WORDS:
        return Failure(name, "no article text found in HTML")
    pub = parse_published(doc.date) or published
    return make_article(text, title=doc.title, published=pub, url=doc.url or url,
                        outlet=doc.sitename or doc.hostname, byline=doc.author, document_id=name,
                        input_name=name)


# -- feeds ------------------------------------------------------------------------------------------

def _entry_text(entry: Any) -> str:
    candidates = []
    for content in entry.get("content") or []:
        candidates.append(content.get("value") or "")
    candidates.append(entry.get("summary") or "")
    for value in candidates:
        text = normalize_text(html_fragment_text(value))
        if text:
            return text
    return ""


def feed_items(name: str, data: bytes, published: dt.date | None) -> Iterator[Item]:
    """Each entry of an RSS/Atom feed is an article (entry number = line)."""
    import feedparser

    try:
        feed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 -- feedparser wraps most errors in bozo; any other is one bad input
        yield Failure(name, f"feed could not be parsed: {exc}")
        return
    if not feed.entries:
        if feed.get("bozo"):
            yield Failure(name, f"feed could not be parsed: {feed.get('bozo_exception')}")
        else:
            yield Failure(name, "no entries in feed")
        return
    outlet = (feed.feed.get("title") or "").strip() or None
    for i, entry in enumerate(feed.entries, 1):
        try:
            text = _entry_text(entry)
            if not text:
                yield Failure(name, "feed entry has no text", i)
                continue
            pub = (parse_published(entry.get("published_parsed") or entry.get("updated_parsed"))
                   or parse_published(entry.get("published") or entry.get("updated")) or published)
            yield make_article(text, title=entry.get("title"), published=pub, url=entry.get("link"),
                               outlet=outlet, byline=entry.get("author"), document_id=f"{name}#entry-{i}",
                               input_name=name, line=i)
        except Exception as exc:  # noqa: BLE001 -- a malformed entry never stops the others
            yield Failure(name, f"feed entry could not be read: {exc}", i)


# -- dispatch ---------------------------------------------------------------------------------------

def document_items(name: str, data: bytes, kind: str, published: dt.date | None) -> Iterator[Item]:
    """Items of one whole (already read) document of a known kind."""
    if kind == "jsonl":
        yield from jsonl_items(name, io.BytesIO(data), published)
        return
    if kind == "feed":
        if not data.strip():
            yield Failure(name, "empty document (no text)")
            return
        yield from feed_items(name, data, published)
        return
    text = decode(data)
    if not text.strip():
        yield Failure(name, "empty document (no text)")
    elif kind == "json":
        yield from json_items(name, text, published)
    elif kind == "html":
        yield html_article(name, text, published)
    else:
        yield text_article(name, text, published)


def _guarded(name: str, items: Iterator[Item]) -> Iterator[Item]:
    """Turn a reader's _Bad (or an unexpected parser error) into one Failure; earlier items stand."""
    try:
        yield from items
    except _Bad as bad:
        yield Failure(name, bad.reason)
    except Exception as exc:  # noqa: BLE001 -- whatever a parser raises, one bad input never stops a batch
        yield Failure(name, f"could not be read: {type(exc).__name__}: {exc}")


def file_items(path: str, published: dt.date | None) -> Iterator[Item]:
    kind = kind_of(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 -- closed by the `with stream:` below
    except FileNotFoundError:
        yield Failure(path, "no such file or directory")
        return
    except PermissionError:
        yield Failure(path, "permission denied")
        return
    except OSError as exc:
        yield Failure(path, f"cannot open: {exc.strerror or exc}")
        return
    with stream:
        try:
            head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
            if head and _looks_binary(head) and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                yield Failure(path, "binary file (not text)")
                return
            if kind is None:
                kind = sniff(head)
            if kind == "jsonl":
                yield from _guarded(path, jsonl_items(path, stream, published))
                return
            if os.fstat(stream.fileno()).st_size > MAX_DOCUMENT_BYTES:
                yield Failure(path, _too_big())
                return
            data = _read_capped(stream)
        except _Bad as bad:
            yield Failure(path, bad.reason)
            return
        except OSError as exc:
            yield Failure(path, f"cannot read: {exc.strerror or exc}")
            return
    yield from _guarded(path, document_items(path, data, kind, published))


def directory_items(path: str, published: dt.date | None) -> Iterator[Item]:
    """Files under a directory, recursively, in sorted path order; hidden files and directories skipped.

    (os.walk lists a folder's files before its subfolders; we want plain sorted order, so we recurse.)
    """
    found = False
    for item in _walk_sorted(path, published):
        found = True
        yield item
    if not found:
        yield Failure(path, "directory has no input files")


def _walk_sorted(path: str, published: dt.date | None) -> Iterator[Item]:
    try:
        with os.scandir(path) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        yield Failure(path, f"cannot read directory: {exc.strerror or exc}")
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()  # follows symlinks; a symlink loop ends in an OSError below
        except OSError:
            is_dir = False
        if is_dir:
            if entry.is_symlink():
                continue  # symlinked directories could loop; inputs are real folders
            yield from _walk_sorted(entry.path, published)
        else:
            yield from file_items(entry.path, published)


class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (for sniffing) followed by the rest."""

    def __init__(self, prefix: bytes, rest: IO[bytes]):
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def stdin_items(stdin: IO | None, published: dt.date | None) -> Iterator[Item]:
    """'-': standard input, sniffed (JSON lines streamed; anything else read whole, capped)."""
    name = "-"
    stream = stdin if stdin is not None else sys.stdin
    if hasattr(stream, "buffer"):
        stream = stream.buffer
    try:
        first = stream.read(_SNIFF_BYTES)
        if isinstance(first, str):  # a text stream: everything is in memory already
            data = (first + stream.read()).encode("utf-8", "surrogatepass")
            yield from _guarded(name, document_items(name, data, sniff(data[:_SNIFF_BYTES * 4]), published))
            return
        while first and not first.strip() and len(first) < MAX_DOCUMENT_BYTES:  # leading blank space
            more = stream.read(_SNIFF_BYTES)
            if not more:
                break
            first += more
        kind = sniff(first)
        if kind == "jsonl":
            yield from _guarded(name, jsonl_items(name, io.BufferedReader(_Prefixed(first, stream)),
                                                  published))
            return
        data = first + _read_capped(stream)
    except _Bad as bad:
        yield Failure(name, bad.reason)
        return
    except OSError as exc:
        yield Failure(name, f"cannot read standard input: {exc}")
        return
    if len(data) > MAX_DOCUMENT_BYTES:
        yield Failure(name, _too_big())
        return
    yield from _guarded(name, document_items(name, data, kind, published))


def read_inputs(paths: Iterable[str | os.PathLike], published=None, stdin: IO | None = None) -> Iterator[Item]:
    """Articles (or Failures) from files, directories and '-' (stdin), lazily, in the order given.

    ``published``: default publication date for inputs that carry none (a record's own date wins).
    """
    default = parse_published(published)
    for given in paths:
        name = os.fspath(given)
        if name == "-":
            yield from stdin_items(stdin, default)
        elif os.path.isdir(name):
            yield from directory_items(name, default)
        elif not os.path.exists(name):
            yield Failure(name, "no such file or directory")
        else:
            yield from file_items(name, default)
