"""Number expressions (digits, number words, vague amounts) with the vague-number rules.

CONTRACT: NumberMatcher().find(doc) -> list[Mention] kind="number";
  attrs: {"value": int, "low": int, "high": int|None, "vague": bool, "qualifier": str|None}

- value: the figure ACLED would code (a range's low end; "more than 60" -> 60; vague words by the table in
  sitrep/data/vague_numbers.yaml).
- low / high: the bounds the text states; None where it states none ("more than 60": high None;
  "up to 8": low None).
- qualifier: the qualifier phrase as written, lower-cased ("more than", "about", "up to") or None; also
  "qualifier_kind" (min, max, approx, exact) and "range": True for "5-6", "9 to 11", "between 5 and 7".
Not numbers of things: dates, times, years, measures ("55 miles", "four-day"), ages ("aged 25",
"25-year-old"), percentages, money, ordinals and unit numbers ("1st brigade", "Brigade 5"), weapon and
model names ("AK-47").

Why hand-written: no installed library reads English number words together with ACLED's vague-amount
rules, and the exclusions above are news-specific.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from typing import Any

from sitrep.data import load_yaml
from sitrep.model import AnalyzedDoc, Mention

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_UNITS)}
WORD_VALUES.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})



def grouped(fragments: list[str], ignorecase: bool = True) -> str:
    """``"|".join(fragments)`` with the fragments that open with the same plain letter or digit grouped under
    it ("one|two|three" -> "one|t(?:wo|hree)"), and so on within a group, order kept.  The same matches, tried in the same order, but
    the regex engine skips a group by its first letter instead of trying each alternative (speed: large
    alternations at every word start).  Fragments are regex source without a top-level "|"; one that does not
    open with a plain letter or digit stays as it is and keeps its place between the groups.  With
    ``ignorecase`` letters that differ only in case are not grouped apart (the alternation is left flat)."""
    out: list[str] = []
    run: dict[str, list[str]] = {}

    def flush() -> None:
        for c, rests in run.items():
            out.append(c + "(?:" + grouped(rests, ignorecase) + ")" if len(rests) > 1 else c + rests[0])
        run.clear()

    for f in fragments:
        if _top_level_bar(f):
            return "|".join(fragments)
        c = f[:1]
        if c.isascii() and c.isalnum() and f[1:2] not in ("?", "*", "+", "{"):
            if ignorecase and c not in run and any(k.lower() == c.lower() for k in run):
                return "|".join(fragments)
            run.setdefault(c, []).append(f[1:])
        else:
            flush()
            out.append(f)
    flush()
    return "|".join(out)


def _top_level_bar(src: str) -> bool:
    """Does the regex source hold a "|" outside groups and classes?"""
    return len(alternatives(src)) > 1


def alternatives(src: str) -> list[str]:
    """The regex source split at its "|" outside groups and classes ("a|b(?:c|d)" -> ["a", "b(?:c|d)"])."""
    out: list[str] = []
    depth, i, cut, in_class = 0, 0, 0, False
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if src[i + 1:i + 2] == "]" or src[i + 1:i + 3] == "^]":
                i += 2 if src[i + 1] == "]" else 3  # a "]" first in a class is a member
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(src[cut:i])
            cut = i + 1
        i += 1
    out.append(src[cut:])
    return out


_U = grouped(_UNITS[1:])
_T = grouped(_TENS)
_SMALL = rf"(?:(?:{_T})(?:[- ](?:{grouped(_UNITS[1:10])}))?|(?:{_U}))"
_WORDNUM = rf"(?:{_SMALL}(?:\s+(?:hundred|thousand|million)(?:\s+(?:and\s+)?{_SMALL})?)*)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)(?:\s+(?:hundred|thousand|million|billion))?"

# Words after a figure that make it a measure, time, age, money or duration rather than a count.  (The words
# are written in lower case and the classes as [a-z]: the same under IGNORECASE, and the lower-case twins below
# can be made.)
_UNIT_AFTER = re.compile(
    r"^(?:\s*-?\s*|\s+)(?:" + grouped(alternatives(
        r"years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|"
        r"miles?|mi|km|kms|kilomet(?:er|re)s?|met(?:er|re)s?|m|cm|mm|feet|foot|ft|inch(?:es)?|yards?|"
        r"kg|kilos?|kilograms?|grams?|tons?|tonnes?|litres?|liters?|gallons?|barrels?|acres?|hectares?|ha|"
        r"percent|per\s*cent|pc|%|am|a\.m\.?|pm|p\.m\.?|gmt|utc|hours|o'clock|h|"
        r"dollars?|usd|euros?|pounds|naira|rupees|shillings|cfa|francs|dinars|riyals?|lira|pesos|rand|yuan|"
        r"degrees?|sq|square|times|-fold|fold|points?|votes?|seats?|st|nd|rd|th")) + r")(?![a-z])",
    re.IGNORECASE,
)
_BEFORE_EXCLUDE = re.compile(
    r"(?:[$£€₦₹#]|\b(?:" + grouped(alternatives(
        r"us\$|usd|rs\.?|kes|aged?|age of|ages of|brigade|battalion|division|regiment|route|highway|"
        r"road|resolution|article|unit|sector|platoon|squad|no\.|number|flight|chapter|section|paragraph|zone|camp|"
        r"phase|level|block|plot|gate|ward|room|building|house|street|page|cell|grade|class|covid|model|type|"
        r"district|kilometre|kilometer|km|mile|since|until|year|the year|"
        r"paragraph|law|decree|order|code|bill|act|station|base|post|checkpoint|corps|army|fleet|group"))
    + r")|\d:)\s*$",
    re.IGNORECASE,
)
_AFTER_TIME = re.compile(r"^(?::\d|\.\d\d\s*(?:am|pm|a\.m|p\.m|hrs|h)\b|\s*-\s*(?:year|day|week|month|hour|"
                         r"minute|mile|km|kilomet|metre|meter|storey|story|member|strong|man|point|page)s?\b)",
                         re.IGNORECASE)
# "one" not counting ("one another", "one day"), "no one"
_ONE = re.compile(r"(?i)one\b")
_ONE_NOT_COUNT = re.compile(r"(?i)\s+(?:another|day|time)\b")
_NO_BEFORE = re.compile(r"(?i)\bno\s*$")
_PLAIN_FIGURE = re.compile(r"(\d+(?:\.\d+)?)(?:\s+(hundred|thousand|million|billion))?")
_WORD_SPLIT = re.compile(r"[\s-]+")


def _rules() -> dict[str, Any]:
    return load_yaml("vague_numbers.yaml")


def parse_number(text: str) -> int | None:
    """Value of a digit string or an English number phrase ("1,200", "twenty-five", "two hundred")."""
    t = text.lower().replace(",", "").strip()
    words = _rules()["words"]
    if t in words:
        return int(words[t])
    m = _PLAIN_FIGURE.fullmatch(t)
    if m:
        v = float(m.group(1)) * (_SCALES[m.group(2)] if m.group(2) else 1)
        return int(v)
    total, current = 0, 0
    for w in _WORD_SPLIT.split(t):
        if w == "and":
            continue
        if w in WORD_VALUES:
            current += WORD_VALUES[w]
        elif w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current


def _alternation(phrases) -> str:
    return grouped([re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)])


def _build() -> re.Pattern:
    r = _rules()
    special = _alternation(r["words"])
    num = rf"(?:{special}|{_DIGITS}|{_WORDNUM})"
    qual = _alternation(r["qualifiers"])
    vague = _alternation(r["vague"])
    range_sep = r"\s*(?:-|–|—|to|or)\s*"
    # speed: a match begins with a digit, a number word, "between" and spaces, or a phrase's first word, and
    # for a phrase of several words its spaces and second word ("a few": "a" and spaces, then "few"); the
    # lookahead spares trying the long alternations at every other word ("the", "and", "after", ...)
    heads = {"between\\s"} | {re.escape(w) for w in _UNITS[1:] + _TENS}
    for k in ("words", "qualifiers", "vague"):
        for phrase in r[k]:
            words = str(phrase).lower().split(" ")
            heads.add(r"\s+".join(map(re.escape, words[:2])))
    first = grouped(sorted(heads))
    pat = (
        rf"(?<![\w.,/:])(?<![A-Za-z]-)(?=\d|{first})(?:(?P<qual>{qual})\s+)?(?:"
        rf"between\s+(?P<b1>{num})\s+and\s+(?P<b2>{num})"
        rf"|(?P<n1>{num})(?:{range_sep}(?P<n2>{num}))?"
        rf"|(?P<vague>{vague})"
        rf")(?![\w])"
    )
    return re.compile(pat, re.IGNORECASE)


_PATTERN: re.Pattern | None = None
_PATTERN_LOW: re.Pattern | None = None


def _pattern() -> re.Pattern:
    global _PATTERN, _PATTERN_LOW
    if _PATTERN is None:
        _PATTERN = _build()
        # speed: the same pattern without IGNORECASE, for lower-cased text (see lowered); the regex engine
        # skips the alternatives of a case-sensitive alternation by their first letter, several times faster.
        # Only when every letter the pattern spells is lower-case (the YAML phrases, the number words).
        r = _rules()
        if all(str(p) == str(p).lower() for k in ("words", "qualifiers", "vague") for p in r[k]):
            _PATTERN_LOW = re.compile(_PATTERN.pattern)
    return _PATTERN


# Non-ASCII characters that an IGNORECASE pattern equates with an ASCII letter (İ, ı, ſ, the Kelvin sign), or
# whose lower-case form is longer (İ): in a text holding one, lower-casing does not give the same matches.
_FOLD_RISK = re.compile("[\u0130\u0131\u017f\u212a]")


def lowered(text: str) -> str | None:
    """``text.lower()`` when a case-sensitive pattern written in lower case finds in it exactly the matches (same
    offsets) that the same pattern with IGNORECASE finds in ``text``; else None (keep the IGNORECASE pattern).

    Speed: case-insensitive alternations are slow in Python's regex engine; lower-casing the text once keeps
    the matches.  Holds when lower-casing keeps every offset and no character folds onto an ASCII letter of
    the pattern; the pattern must have no upper-case letter (a class like [A-Za-z] is fine).

    Speed: the last answer is kept with its text (the date and number matchers ask for the same article's
    in turn); a string is immutable, so the same object has the same answer."""
    global _LAST_LOWERED
    last = _LAST_LOWERED
    if last[0] is text:
        return last[1]
    if text.isascii():
        low = text.lower()
    elif _FOLD_RISK.search(text):
        low = None
    else:
        low = text.lower()
        low = low if len(low) == len(text) else None
    _LAST_LOWERED = (text, low)
    return low


_LAST_LOWERED: tuple[str | None, str | None] = (None, None)  # see lowered


def case_free(rx: re.Pattern) -> re.Pattern | None:
    """The twin of an IGNORECASE pattern for lower-cased text (see lowered): the same pattern without the flag,
    when its source spells no upper-case letter (nor a class like \\S, \\W, [A-Z], an escaped code point or a
    case-sensitive group, whose meaning would change).  None otherwise."""
    src = rx.pattern
    if not isinstance(src, str) or not rx.flags & re.IGNORECASE or "(?-i" in src \
            or any(e in src for e in ("\\x", "\\u", "\\U", "\\N", "\\0")) or re.search(r"\\[1-7][0-7]{2}", src) \
            or any(c != c.lower() or (not c.isascii() and c != c.upper()) for c in src):
        return None
    return re.compile(src, rx.flags & ~re.IGNORECASE)


def sentence_finder(doc: AnalyzedDoc) -> Callable[[int], int]:
    """``lambda start: sentence_index(doc.sentences, start)`` for the many mentions of one document.

    Speed: a C binary search (bisect) over the sentences' starts, listed once per document and kept with it
    (the matchers share the list), instead of a Python one per mention.  The same index: the last sentence
    starting at or before ``start`` (the first when none does; 0 without sentences); sentences are in text
    order."""
    sentences = doc.sentences
    if not sentences:
        return lambda start: 0
    kept = doc.__dict__.get("_sentence_starts")
    if kept is None or kept[0] is not sentences or len(kept[1]) != len(sentences):
        kept = doc.__dict__["_sentence_starts"] = (sentences, [s.start for s in sentences])
    starts = kept[1]

    def index(start: int) -> int:
        i = bisect.bisect_right(starts, start) - 1
        return sentences[i if i > 0 else 0].index

    return index


def _is_year(text: str, after: str) -> bool:
    if not _YEAR.fullmatch(text):
        return False
    return not _counted_after().match(after)


_YEAR = re.compile(r"(?:1[89]|20)\d\d")


@functools.cache
def _counted_after() -> re.Pattern:
    from sitrep.nlp.dates import COUNTED_NOUNS

    return re.compile(rf"\s+(?:{COUNTED_NOUNS})\b", re.IGNORECASE)


def number_attrs(m: re.Match) -> dict[str, Any] | None:
    """attrs for one match of the number pattern, or None when it is not a count."""
    rules = _rules()
    qual = m.group("qual")
    qual_key = " ".join(qual.lower().split()) if qual else None
    qkind = rules["qualifiers"].get(qual_key) if qual_key else None
    if m.group("vague"):
        key = " ".join(m.group("vague").lower().split())
        value = int(rules["vague"][key])
        return {"value": value, "low": value, "high": None, "vague": True, "qualifier": qual_key,
                "qualifier_kind": qkind, "range": False}
    a, b = (m.group("b1"), m.group("b2")) if m.group("b1") else (m.group("n1"), m.group("n2"))
    lo = parse_number(a)
    if lo is None:
        return None
    hi = parse_number(b) if b else None
    if b is not None and (hi is None or hi <= lo):
        return None  # "1-0", "24-7": scores and the like, not a range of counts
    attrs = {"value": lo, "low": lo, "high": hi if hi is not None else lo, "vague": False, "qualifier": qual_key,
             "qualifier_kind": qkind, "range": b is not None}
    if qkind == "min":
        attrs["high"] = hi
    elif qkind == "max":
        attrs["low"] = None
        attrs["value"] = hi if hi is not None else lo
    return attrs


_TWINS = (case_free(_UNIT_AFTER), case_free(_AFTER_TIME), case_free(_BEFORE_EXCLUDE))


def find_numbers(text: str, exclude: list[tuple[int, int]] | None = None) -> list[tuple[int, int, dict]]:
    """(start, end, attrs) of every count in ``text``, skipping the ``exclude`` ranges (dates)."""
    exclude = sorted(exclude or [])
    # speed: sitrep.nlp.dates._overlaps(exclude, s, e) written out below (the same bisect and tests, without a
    # Python call and an import per text)
    n_excl = len(exclude)
    out = []
    pat = _pattern()
    low = lowered(text) if _PATTERN_LOW is not None else None
    # speed: the exclusion tests read the lower-cased copy with their case-free twins (same matches)
    unit, time, excl = (_UNIT_AFTER, _AFTER_TIME, _BEFORE_EXCLUDE) if low is None or None in _TWINS else _TWINS
    src = text if low is None or None in _TWINS else low
    # the matched groups are read lower-cased either way (number_attrs); offsets are the same
    for m in (pat.finditer(text) if low is None else _PATTERN_LOW.finditer(low)):
        s, e = m.span()
        core_s = m.start("b1") if m.group("b1") else (m.start("n1") if m.group("n1") else m.start("vague"))
        if n_excl:
            i = bisect.bisect_right(exclude, (s, s))
            if (i > 0 and exclude[i - 1][1] > s) or (i < n_excl and exclude[i][0] < e):
                continue
        after = src[e:e + 40]
        if unit.match(after) or time.match(after):
            continue
        if not m.group("qual") and not m.group("vague") and excl.search(src[max(0, s - 30):s]):
            continue
        core = text[core_s:e]
        if core[:1].isdigit() and _is_year(core, after):
            continue
        if _ONE.match(core) and _ONE_NOT_COUNT.match(after):
            continue
        if core.lower() == "one" and _NO_BEFORE.search(src[max(0, s - 30):s]):
            continue
        attrs = _kept_attrs(m)
        if attrs is not None:
            out.append((s, e, attrs))
    return out


_KEPT: dict[str, dict[str, Any] | None] = {}
_NOT_KEPT = object()  # marks a text not kept yet


def _kept_attrs(m: re.Match) -> dict[str, Any] | None:
    """number_attrs(m), kept per matched text (speed: the same figures and phrases recur).  The groups of a
    match are fixed by its text: wherever that text matches, every reading of the pattern reaching further
    failed, and the readings ending with it see the same characters (past its end only a non-word one), so
    the same one wins; number_attrs reads them lower-cased.  Callers get copies."""
    key = m.group()
    attrs = _KEPT.get(key, _NOT_KEPT)
    if attrs is _NOT_KEPT:
        attrs = number_attrs(m)
        if len(_KEPT) >= 10_000:
            _KEPT.clear()
        _KEPT[key] = attrs
    return None if attrs is None else dict(attrs)


def _date_scan() -> Callable:
    """sitrep.nlp.dates.scan (imported on first use: dates imports this module; speed: the import statement is
    not run again per article)."""
    global _SCAN
    if _SCAN is None:
        from sitrep.nlp.dates import scan

        _SCAN = scan
    return _SCAN


_SCAN: Callable | None = None


class NumberMatcher:
    """Finds counts (see the module docstring); dates found by DateMatcher are never numbers."""

    def __init__(self) -> None:
        _pattern()  # built when the pipeline loads, not on the first article
        _rules()

    def find(self, doc: AnalyzedDoc) -> list[Mention]:
        scan = _date_scan()
        text = doc.article.text
        dates = [(s, e) for s, e, _, _ in scan(text, doc.article.published)]
        doc.__dict__["_numbers_matched"] = True  # later stages need not look for numbers again
        out = []
        sentence = sentence_finder(doc)
        for s, e, attrs in find_numbers(text, dates):
            out.append(Mention(kind="number", start=s, end=e, text=text[s:e],
                               sentence=sentence(s), key=str(attrs["value"]), attrs=attrs))
        return out
