"""Text normalization, content ids, publication dates and repeated paragraphs -> Article.

Normalization happens once, here: every later offset is a character offset into the normalized text.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re
import time
import unicodedata

from rapidfuzz import fuzz, process

from sitrep.model import Article

# Characters that break lines besides "\n" (str.splitlines() knows them; we map them once).
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x1c": "\n", "\x1d": "\n",
                "\x1e": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_LINE_BREAK_RE = re.compile("|".join(re.escape(k) for k in sorted(_LINE_BREAKS, key=len, reverse=True)))
# Invisible characters that only get in the way of matching (zero-width space, BOM, word joiner, soft
# hyphen).  ZWJ/ZWNJ are kept: they carry meaning in Persian, Arabic and Indic scripts.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\ufeff\u2060\u00ad"))
_SPACES_RE = re.compile(r" {2,}")
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_PARA_RE = re.compile(r"\n\s*\n")

# Repeated-paragraph detection thresholds.
FUZZY_MIN_CHARS = 40  # near-exact matching only for paragraphs at least this long
FUZZY_MIN_RATIO = 95.0  # rapidfuzz ratio (0-100)
EXACT_MIN_CHARS = 12  # shorter repeats ("(AP)", "Advertisement") are boilerplate, ignored
FUZZY_MAX_UNITS = 3000  # pairwise fuzzy matching is quadratic; exact matching has no limit


def _clean_table() -> dict[int, str | None]:
    """str.translate table: control characters go (newline stays); every other kind of space becomes a
    plain space.  Every Unicode control (Cc) and space separator (Zs) lies below U+3001, so the table is
    built once over that range instead of asking unicodedata for each character of every text."""
    table: dict[int, str | None] = {}
    for code in range(0x3001):
        ch = chr(code)
        if ch == "\n":
            continue
        cat = unicodedata.category(ch)
        if ch == "\t" or cat == "Zs":
            if ch != " ":
                table[code] = " "
        elif cat == "Cc":
            table[code] = None
    return table


_CLEAN = _clean_table()
# speed: most texts hold none of the characters the tables change, and a character-class search is much
# faster than str.translate, which looks every character up in the table
_INVISIBLE_RE = re.compile("[" + "".join(map(re.escape, map(chr, _INVISIBLE))) + "]")
_CLEAN_RE = re.compile("[" + "".join(map(re.escape, map(chr, _CLEAN))) + "]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_LINE_ENDS_RE = re.compile(" *\n *")  # the spaces around a line break


def normalize_text(text: str) -> str:
    """Unicode NFC plus whitespace normalization; idempotent.

    CRLF/CR and other line separators -> LF; tabs, NBSP and other spaces -> " "; control characters
    (except newline) and zero-width characters removed; runs of spaces collapsed; each line stripped;
    at most one blank line between paragraphs; both ends stripped.
    """
    text = _LINE_BREAK_RE.sub(lambda m: _LINE_BREAKS[m.group(0)], text)
    if _INVISIBLE_RE.search(text):
        text = text.translate(_INVISIBLE)
    if _CLEAN_RE.search(text):
        text = text.translate(_CLEAN)
    if _SURROGATE_RE.search(text):
        # a lone surrogate (from bytes decoded with "surrogateescape") cannot be encoded anywhere downstream
        text = _SURROGATE_RE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES_RE.sub(" ", text)
    text = _LINE_ENDS_RE.sub("\n", text).strip(" ")  # each line stripped
    text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip(" \n")


def article_id(normalized_text: str) -> str:
    """Stable content hash of the normalized text (24 hex digits of BLAKE2b)."""
    return hashlib.blake2b(normalized_text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


# -- publication dates ----------------------------------------------------------------------------

def parse_published(value: object) -> dt.date | None:
    """A publication date from a date, datetime, struct_time or string; None when it cannot be read.

    Strings: ISO dates and datetimes ("2015-04-25", "2015-04-25T10:00:00Z"), RFC 822 feed dates
    ("Sat, 25 Apr 2015 10:00:00 +0000"), and other common forms via dateutil.  The date is the one
    written (no time-zone conversion): it is the outlet's own publication day.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        try:
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s:
        return None
    for parse in (_iso, _rfc822, _dateutil):
        try:
            found = parse(s)
        except (ValueError, TypeError, OverflowError, IndexError):
            continue
        if found is not None:
            return found
    return None


def _iso(s: str) -> dt.date | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return dt.date.fromisoformat(s)
    return dt.datetime.fromisoformat(s).date()


def _rfc822(s: str) -> dt.date | None:
    return email.utils.parsedate_to_datetime(s).date()


def _dateutil(s: str) -> dt.date | None:
    from dateutil import parser  # installed with dateparser; lenient fallback for odd formats

    if not re.search(r"\d{4}", s):  # without a year the result would be a guess
        return None
    return parser.parse(s, default=dt.datetime(1900, 1, 1)).date()


# -- repeated paragraphs --------------------------------------------------------------------------

def _fold(s: str) -> str:
    return " ".join(s.casefold().split())


def _units(text: str) -> list[tuple[int, int, bool]]:
    """Paragraphs (blank-line separated) and, inside multi-line paragraphs, their lines.

    Returns (start, end, is_line) ranges in text order.  Lines matter because many plain-text and
    HTML-derived articles put one paragraph per line without blank lines between them.
    """
    out: list[tuple[int, int, bool]] = []
    pos = 0
    for m in [*_PARA_RE.finditer(text), None]:
        end = m.start() if m else len(text)
        if end > pos:
            out.append((pos, end, False))
            if "\n" in text[pos:end]:
                ls = pos
                for line in text[pos:end].split("\n"):
                    le = ls + len(line)
                    if line.strip():
                        out.append((ls, le, True))
                    ls = le + 1
        pos = m.end() if m else len(text)
    return out


def repeated_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) ranges of paragraphs (or lines) that repeat an earlier one of the same text.

    Exact after case/whitespace folding, or near-exact (rapidfuzz ratio >= FUZZY_MIN_RATIO) for
    paragraphs of FUZZY_MIN_CHARS or more.  The first copy is never marked.
    """
    seen: set[str] = set()
    earlier: list[str] = []  # folded long units, for fuzzy matching
    found: list[tuple[int, int]] = []
    covered_until = -1  # a paragraph marked repeated covers its lines
    for start, end, is_line in _units(text):
        if start < covered_until:
            continue
        key = _fold(text[start:end])
        if len(key) < EXACT_MIN_CHARS:
            continue
        hit = key in seen
        if not hit and len(key) >= FUZZY_MIN_CHARS and earlier and len(earlier) <= FUZZY_MAX_UNITS:
            hit = process.extractOne(key, earlier, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_RATIO) is not None
        if hit:
            found.append((start, end))
            covered_until = end
            continue
        seen.add(key)
        if len(key) >= FUZZY_MIN_CHARS:
            earlier.append(key)
    return _merge_adjacent(text, found)


def _merge_adjacent(text: str, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join repeated ranges separated only by whitespace, so a sentence spanning two repeated lines
    of a hard-wrapped paragraph counts as repeated."""
    merged: list[tuple[int, int]] = []
    for s, e in ranges:
        if merged and not text[merged[-1][1]:s].strip():
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


# -- Article ----------------------------------------------------------------------------------------

def _title_line(title: str | None) -> str | None:
    if title is None:
        return None
    t = " ".join(normalize_text(str(title)).split())
    return t or None


def _headline_of(body: str) -> str | None:
    """A plain text's headline: a first paragraph of one short line with no closing full stop, followed by
    more paragraphs ("Jihadists ambush convoy bound for besieged town, killing 26 soldiers")."""
    first, sep, rest = body.partition("\n\n")
    first = first.strip()
    if not sep or not rest.strip() or "\n" in first or not 15 <= len(first) <= 200:
        return None
    if first[-1] in ".!?:;\"'”’)" or first.count(". ") or first.isupper():
        return None
    return first


def make_article(text: str, title: str | None = None, published=None, url: str | None = None,
                 outlet: str | None = None, byline: str | None = None, document_id: str | None = None,
                 input_name: str | None = None, line: int | None = None) -> Article:
    """An Article from raw text: normalized, the title as first paragraph, content id, repeats marked.

    ``published``: date, datetime or string (ISO, RFC 822...); an unreadable string raises ValueError.
    """
    pub = parse_published(published)
    if published not in (None, "") and pub is None:
        raise ValueError(f"unrecognized publication date: {published!r}")
    body = normalize_text(text)
    head = _title_line(title) if title else _headline_of(body)
    if head and not _fold(body[: len(head) * 2 + 16]).startswith(_fold(head)):
        body = f"{head}\n\n{body}" if body else head
    return Article(
        id=article_id(body), text=body, title=head, published=pub, url=url or None, outlet=outlet or None,
        byline=byline or None, document_id=document_id, input_name=input_name, line=line,
        repeated=repeated_paragraphs(body),
    )
