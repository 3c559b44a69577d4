"""Date and time expressions.

CONTRACT: DateMatcher().find(doc) -> list[Mention] kind="date"; attrs describe the expression
  (e.g. {"type": "explicit"|"relative"|"weekday"|"range"|"duration", "past_context": bool}).

attrs of every date mention:
  type          explicit | range | weekday | relative | month | duration | year
  approx        True for "around 9 May", "about", "(as reported)", "(from 7 - 8 May)"
  past_context  True when the expression places what it dates in the past, not the reported news
                ("last month", "earlier this year", "in 2014", an explicit date weeks before publication)
and, where the text states them, the parsed parts the resolver uses without calling dateparser:
  day, month, year (explicit, month, year; ranges: the first day), day2, month2, year2 (range end),
  weekday (0 = Monday), part ("night", "morning", ...), modifier ("last", "this", "next"),
  rel (yesterday, today, last_night, week, month, year, ago ...), amount + unit (ago, durations).

Why hand-written: dateparser's search_dates is slow and finds false dates in news text ("may attack",
"55 miles", "March" the noun); the recognizer below is a small set of anchored patterns, and the
resolver (sitrep.resolve.dates) hands only the matched text to dateparser when its fast path fails.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from typing import Any

from sitrep.model import AnalyzedDoc, Mention
from sitrep.nlp.numbers import lowered

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
            "sunday": 6}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
                "twenty": 20, "thirty": 30, "several": 3, "few": 3, "couple": 2, "48": 2, "24": 1}
# Counted nouns: a four-digit figure in front of one of these is a count, not a year ("2000 people").
COUNTED_NOUNS = (
    "people|persons|protesters|protestors|demonstrators|troops|soldiers|fighters|militants|civilians|"
    "residents|families|households|refugees|students|workers|police|policemen|members|supporters|men|"
    "women|children|homes|houses|prisoners|detainees|migrants|rebels|insurgents|militiamen|killed|dead|"
    "casualties|fatalities"
)

# Month names are matched case-sensitively (capitalized) so "may" the verb and "march" the noun never
# match; "May"/"March" must still sit next to a day, a year or a preposition (see the patterns).
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?![a-z])")
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])"
_YEAR = r"(?:19|20)\d\d(?![\d])"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?"
_PART = r"(?i:night|morning|afternoon|evening|dawn|midday)"
_NUMW = r"(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|" \
        r"several|few|couple of|\d{1,3})"
_UNIT = r"(?i:hours?|days?|weeks?|months?|years?|weekends?)"

_APPROX_PRE = r"(?:(?P<approx>(?i:on or about|on or around|around|about|approximately|circa|sometime around|" \
              r"some time around|as reported,?\s+on|as reported,?))\s+)?"
_APPROX_POST = r"(?:\s*\((?P<approx_post>(?i:as reported|reportedly|approximately|from|between|" \
               r"reported)[^()]{0,40})\))?"

_SPECS: list[tuple[str, str]] = [
    # ranges
    ("range", _APPROX_PRE + r"(?i:between|from)?\s*(?P<d1>" + _DAY + r")(?:\s+(?:of\s+)?(?P<m1>" + _MONTH +
     r"))?(?:,?\s+(?P<y1>" + _YEAR + r"))?\s*(?:-|–|—|(?i:to|and|until|till|through))\s*(?P<d2>" + _DAY +
     r")\s+(?:of\s+)?(?P<m2>" + _MONTH + r")(?:,?\s+(?P<y2>" + _YEAR + r"))?" + _APPROX_POST),
    ("range", _APPROX_PRE + r"(?i:between|from)?\s*(?P<m1>" + _MONTH + r")\s+(?P<d1>" + _DAY +
     r")\s*(?:-|–|—|(?i:to|and|until|till|through))\s*(?:(?P<m2>" + _MONTH + r")\s+)?(?P<d2>" + _DAY +
     r")(?:,?\s+(?P<y2>" + _YEAR + r"))?" + _APPROX_POST),
    # explicit days
    ("explicit", _APPROX_PRE + r"(?:(?P<wd>" + _WEEKDAY + r"),?\s+)?(?:the\s+)?(?P<d1>" + _DAY +
     r")\s+(?:of\s+)?(?P<m1>" + _MONTH + r")(?:,?\s+(?P<y1>" + _YEAR + r"))?(?:\s+(?P<part>" + _PART +
     r"))?" + _APPROX_POST),
    ("explicit", _APPROX_PRE + r"(?:(?P<wd>" + _WEEKDAY + r"),?\s+)?(?P<m1>" + _MONTH + r")\s+(?P<d1>" +
     _DAY + r")(?:,?\s+(?P<y1>" + _YEAR + r"))?(?:\s+(?P<part>" + _PART + r"))?" + _APPROX_POST),
    ("explicit", _APPROX_PRE + r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)(?![\d])" + _APPROX_POST),
    ("explicit", _APPROX_PRE + r"(?<![\d/.])(?P<num>(?:3[01]|[12]\d|0?[1-9])[/.](?:3[01]|[12]\d|0?[1-9])[/.]"
     r"(?:(?:19|20)\d\d|\d\d))(?![\d/.]\d)" + _APPROX_POST),
    # weekdays ("on Saturday", "last Tuesday night", "Friday's attack")
    ("weekday", _APPROX_PRE + r"(?:(?P<mod>(?i:last|this|past|previous|next|early|late|on))\s+)?(?P<wd>" +
     _WEEKDAY + r")(?:'s)?(?:\s+(?P<part>" + _PART + r"))?"),
    # months without a day
    ("month", r"(?:(?P<pre>(?i:in|during|since|by|until|till|throughout|from|early|late|mid|mid-|end of|the end of|"
     r"beginning of|the beginning of|start of|the start of|last|this|next|early in|late in|of|on))[\s-]+)"
     r"(?P<m1>" + _MONTH + r")(?:,?\s+(?P<y1>" + _YEAR + r"))?"),
    ("month", r"(?P<m1>" + _MONTH + r"),?\s+(?P<y1>" + _YEAR + r")"),
    # relative days
    ("relative", r"(?P<rel>(?i:the day before yesterday|yesterday|today|tonight|overnight|"
     r"late last night|last night|earlier today|early today|this (?:morning|afternoon|evening)|"
     r"earlier this (?:week|month|year)|later this (?:week|month|year)|"
     r"(?:last|this|past|previous) (?:week|weekend|month|year)|the (?:previous|following|next) day|"
     r"the day before|the night before|(?:hours|minutes|moments) (?:earlier|later)|(?:earlier|later) that day|"
     r"(?:on )?(?:that|the) same day))(?:\s+(?P<part>" + _PART + r"))?"),
    ("relative", r"(?P<amount>" + _NUMW + r")\s+(?P<unit>" + _UNIT + r")\s+(?P<rel>(?i:ago|earlier))"),
    # durations ("over the past week", "a four-day campaign", "in the past 24 hours")
    ("duration", r"(?i:(?:over|in|during|within|for|throughout)\s+)?(?i:the\s+)?(?i:past|last|previous|recent)"
     r"\s+(?:(?P<amount>" + _NUMW + r")\s+)?(?P<unit>" + _UNIT + r")"),
    ("duration", r"(?i:in recent) (?P<unit>" + _UNIT + r")"),
    ("duration", r"(?i:an?|the|its|their)\s+(?:[a-z]+\s+){0,2}?(?P<amount>" + _NUMW +
     r")-(?P<unit>(?i:hour|day|week|month|year))"
     r"(?:-long)?\s+(?P<what>[a-z]+)"),
    ("duration", r"(?P<what>(?i:for))\s+(?P<amount>" + _NUMW + r")\s+(?P<unit>" + _UNIT + r")"),
    # years
    ("year", r"(?:(?P<pre>(?i:in|since|during|from|until|till|by|throughout|early|late|mid|end of|of))[\s-]+)?"
     r"(?<![\d,.$£€/-])(?P<y1>" + _YEAR + r")(?![,.]\d)(?!\s+(?i:" + COUNTED_NOUNS + r")\b)"),
]
# Every expression starts at a word start; the lookbehind spares the engine trying the optional prefixes
# inside words (a 5x speed-up on news text).
_PATTERNS = [(kind, re.compile(r"(?<![\w])(?=[\w(])" + pat)) for kind, pat in _SPECS]
# What each pattern of _SPECS (same order) cannot match without: a month name (M), a weekday name (W), a digit
# (D).  A text lacking one is not scanned with the patterns that need it (a speed-up only: the result is the
# same, as a pattern cannot match where its required part is absent).
# Further literal parts: a four-digit year (Y), an ISO date's "2020-" (I), a numeric date's "6/5" (N), a word of
# the relative-day list (R), a unit (U: hour, day, week, month, year), "ago"/"earlier" (A), "past"/"last"/
# "previous"/"recent" (P), "in recent" (C), "-day" and kin (H), "for " (F); all but Y, I, N case-insensitive
# as the patterns are.  Most texts are short (headlines, notes) and lack most of them.
_NEEDS = ["MD", "MD", "MD", "MD", "DI", "DN", "W", "M", "MDY", "R", "UA", "UP", "UC", "UH", "UF", "DY"]
assert len(_NEEDS) == len(_SPECS), "dates.py: _NEEDS must tag every pattern of _SPECS"
_NEED_RX = {"M": re.compile(_MONTH), "W": re.compile(_WEEKDAY), "D": re.compile(r"\d"),
            "Y": re.compile(r"(?:19|20)\d\d"), "I": re.compile(r"(?:19|20)\d\d-"), "N": re.compile(r"\d[/.]\d"),
            "R": re.compile(r"(?i)day|night|morning|afternoon|evening|week|month|year|hours|minutes|moments"),
            "U": re.compile(r"(?i)hour|day|week|month|year"), "A": re.compile(r"(?i)ago|earlier"),
            "P": re.compile(r"(?i)past|last|previous|recent"), "C": re.compile(r"(?i)in recent"),
            "H": re.compile(r"(?i)-(?:hour|day|week|month|year)"), "F": re.compile(r"(?i)for\s")}
# Speed: plain substring tests before the searches.  Every month alternative starts with one of these; every
# weekday holds "day"; the case-insensitive keys hold one of their words (ASCII text only: str.lower() and the
# regex engine's case-folding agree there).
_MONTH_HEADS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LITERALS = {"R": ("day", "night", "morning", "afternoon", "evening", "week", "month", "year", "hours", "minutes",
                   "moments"),
             "U": ("hour", "day", "week", "month", "year"), "A": ("ago", "earlier"),
             "P": ("past", "last", "previous", "recent"), "C": ("in recent",),
             "H": ("-hour", "-day", "-week", "-month", "-year")}


def _present(text: str) -> set[str]:
    """The keys of _NEED_RX whose pattern occurs in ``text`` (the same set as searching with each)."""
    out: set[str] = set()
    if _NEED_RX["D"].search(text):
        out.add("D")
        out.update(k for k in "YIN" if _NEED_RX[k].search(text))
    if any(h in text for h in _MONTH_HEADS) and _NEED_RX["M"].search(text):
        out.add("M")
    if "day" in text and _NEED_RX["W"].search(text):
        out.add("W")
    low = lowered(text)
    for k in ("R", "U", "A", "P", "C", "H"):
        if k in ("A", "P", "C", "H") and "U" not in out:
            continue  # only the patterns needing a unit use these
        if low is not None:
            # the keys are literal words: in a text whose lower-cased copy keeps the case-insensitive matches
            # (sitrep.nlp.numbers.lowered), a substring test is the search
            if any(w in low for w in _LITERALS[k]):
                out.add(k)
            continue
        if _NEED_RX[k].search(text):
            out.add(k)
    if "U" in out and _NEED_RX["F"].search(text):
        out.add("F")
    return out


_PRIORITY = {"range": 0, "explicit": 1, "weekday": 2, "relative": 2, "month": 3, "duration": 4, "year": 5}

_PAST_RELATIVE = re.compile(r"(?i)^(?:last (?:month|year)|earlier this (?:month|year)|past (?:month|year)|"
                            r"previous (?:month|year))$")


def month_number(name: str | None) -> int | None:
    return MONTHS.get(name.lower().rstrip(".")) if name else None


def day_number(text: str | None) -> int | None:
    return int(re.match(r"\d+", text).group(0)) if text else None


def amount_number(text: str | None) -> int | None:
    if not text:
        return None
    text = text.lower()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text.replace("couple of", "couple"))


def _attrs(kind: str, m: re.Match) -> dict[str, Any]:
    g = {k: v for k, v in m.groupdict().items() if v}
    a: dict[str, Any] = {"type": kind, "approx": bool(g.get("approx") or g.get("approx_post")),
                         "past_context": False}
    if "approx_post" in g and g["approx_post"].lower().startswith(("from", "between")):
        a["stated_range"] = g["approx_post"]
    if kind in ("explicit", "range", "month", "year"):
        if "iso" in g:
            y, mo, d = (int(x) for x in g["iso"].split("-"))
            a.update(day=d, month=mo, year=y)
        elif "num" in g:
            p, q, y = re.split(r"[/.]", g["num"])
            y = int(y) + (2000 if len(y) == 2 else 0)
            a.update(first=int(p), second=int(q), year=y)  # day/month order is settled by the resolver
        else:
            a.update(day=day_number(g.get("d1")), month=month_number(g.get("m1")),
                     year=int(g["y1"]) if "y1" in g else None)
        if kind == "range":
            a.update(day2=day_number(g.get("d2")), month2=month_number(g.get("m2")),
                     year2=int(g["y2"]) if "y2" in g else None)
            if a["month"] is None:
                a["month"] = a["month2"]
            if a["month2"] is None:
                a["month2"] = a["month"]
            if a["year"] is None:
                a["year"] = a["year2"]
    if "wd" in g:
        a["weekday"] = WEEKDAYS[g["wd"].lower().rstrip("s")]
    if "part" in g:
        a["part"] = g["part"].lower()
    if "mod" in g:
        a["modifier"] = g["mod"].lower()
    if "pre" in g:
        a["modifier"] = g["pre"].lower()
    if "rel" in g:
        a["rel"] = " ".join(g["rel"].lower().split())
    if "amount" in g:
        a["amount"] = amount_number(g["amount"])
    if "unit" in g:
        a["unit"] = g["unit"].lower().rstrip("s")
    if "what" in g:
        a["what"] = g["what"].lower()
    return a


def _past_context(a: dict[str, Any], published: dt.date | None) -> bool:
    kind = a["type"]
    if kind == "relative":
        rel = a.get("rel", "")
        return bool(_PAST_RELATIVE.match(rel)) or (rel in ("ago", "earlier") and a.get("unit") in ("month", "year"))
    if kind == "year":
        if a.get("modifier") == "since":
            return True
        return published is None or a["year"] < published.year
    if kind == "month":
        if a.get("modifier") in ("since", "last"):
            return True
        if published is None:
            return a.get("year") is not None
        year = a.get("year") or (published.year if a["month"] <= published.month else published.year - 1)
        return (year, a["month"]) < (published.year, published.month)
    if kind in ("explicit", "range") and published is not None and a.get("year") and a.get("month"):
        try:
            day = dt.date(a["year"], a["month"], a.get("day") or 1)
        except ValueError:
            return False
        return (published - day).days > 31
    return False


def _keep(kind: str, m: re.Match, text: str) -> bool:
    """Reject matches that look like dates but are not."""
    g = m.groupdict()
    # "of May" / "on May" alone is too ambiguous ("the will of May") unless a year follows
    return not (kind == "month" and (g.get("pre") or "").lower() in ("of", "on") and not g.get("y1"))


def _overlaps(taken: list[tuple[int, int]], s: int, e: int) -> bool:
    """Does [s, e) overlap an interval of ``taken`` (sorted, non-overlapping)?"""
    i = bisect.bisect_right(taken, (s, s))
    return (i > 0 and taken[i - 1][1] > s) or (i < len(taken) and taken[i][0] < e)


# Speed: the patterns that need a month name (or, the year pattern, a year) are not run over the whole text but
# near each month name (year): a match of one of them holds one, and it lies close after the match's start.
# Before the first month (year) of a match come at most 64 characters other than spaces and hyphens, in at most
# 16 runs of spaces and hyphens (optional "approximately", "between", a weekday, "the", a day, a year and a range
# word, each from a fixed list, or a preposition before a month or year); after it at most 160 such characters
# in at most 16 runs (the rest of a range, a year, a time of day, a parenthesized remark of at most 40
# characters).  In a text with no run of 8 or more spaces and hyphens, a match therefore starts at most
# _BACK characters before its first month (year) and is decided by the text up to _FWD characters after it.
# Such a pattern is run from _BACK before each month (year) to _FWD after it (the string cut there), and a match
# found starting at or before the month (year) is taken after matching it again on the whole text (the same
# span is required; else the whole text is scanned as before).  The result is the matches finditer gives.
_ANCHORED = {0: "M", 1: "M", 2: "M", 3: "M", 7: "M", 8: "M", 15: "Y"}
_ANCHOR_RX = {"M": re.compile(_MONTH), "Y": re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")}
_BACK, _FWD = 64 + 16 * 7 + 32, 160 + 16 * 7 + 32
_LONG_GAP = re.compile(r"[\s-]{8,}")


class _Unsure(Exception):
    """An anchored search disagreed with the whole-text match: scan the text the plain way."""


def _anchored_matches(pat: re.Pattern, text: str, anchors: list[int]) -> list[re.Match]:
    """What ``list(pat.finditer(text))`` gives, searching only near ``anchors`` (see _ANCHORED)."""
    out: list[re.Match] = []
    n = len(text)
    pos = 0
    for q in anchors:
        if q < pos:
            continue
        m = pat.search(text, max(pos, q - _BACK), min(n, q + _FWD))
        if m is None or m.start() > q:
            pos = q + 1  # no match starts up to this anchor; later ones start near later anchors
            continue
        full = pat.match(text, m.start())
        if full is None or full.span() != m.span() or full.end() == full.start():
            raise _Unsure
        out.append(full)
        pos = full.end()
    return out


@functools.lru_cache(maxsize=4)
def scan(text: str, published: dt.date | None) -> tuple[tuple[int, int, str, dict[str, Any]], ...]:
    """(start, end, type, attrs) of every date expression in ``text``, in text order.

    Cached on (text, published): the NumberMatcher asks for the same article's dates to exclude them.
    Callers copy ``attrs`` before changing it.
    """
    found: list[tuple[int, int, int, str, re.Match]] = []
    present = _present(text)
    anchored = _LONG_GAP.search(text) is None
    anchors: dict[str, list[int]] = {}
    for k, ((kind, pat), needs) in enumerate(zip(_PATTERNS, _NEEDS)):
        if not present.issuperset(needs):
            continue
        matches = None
        if anchored and k in _ANCHORED:
            a = _ANCHORED[k]
            if a not in anchors:
                anchors[a] = [m.start() for m in _ANCHOR_RX[a].finditer(text)]
            try:
                matches = _anchored_matches(pat, text, anchors[a])
            except _Unsure:
                matches = None
        for m in (pat.finditer(text) if matches is None else matches):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            if e > s and _keep(kind, m, text):
                found.append((s, e, _PRIORITY[kind], kind, m))
    # longest first, then by pattern priority; keep non-overlapping
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int]] = []
    out = []
    for s, e, _, kind, m in found:
        if _overlaps(taken, s, e):
            continue
        bisect.insort(taken, (s, e))
        attrs = _attrs(kind, m)
        attrs["past_context"] = _past_context(attrs, published)
        out.append((s, e, kind, attrs))
    out.sort(key=lambda x: x[0])
    return tuple(out)


class DateMatcher:
    """Finds date expressions in an analyzed article (see the module docstring for attrs)."""

    def find(self, doc: AnalyzedDoc) -> list[Mention]:
        from sitrep.nlp import sentence_index

        text = doc.article.text
        out = [Mention(kind="date", start=s, end=e, text=text[s:e], sentence=sentence_index(doc.sentences, s),
                       key=kind, attrs=dict(attrs))
               for s, e, kind, attrs in scan(text, doc.article.published)]
        _mark_joint_dateline(text, out)
        return out


def _mark_joint_dateline(text: str, dates: list[Mention]) -> None:
    """A dateline filed from two cities ("CAIRO/JERUSALEM, Jan 23 -") dates the filing, not an event: its
    date is marked as a dateline's (the analyzer marks single-city datelines itself)."""
    from sitrep.nlp import find_dateline

    head = text[:2000]
    if "/" not in head:
        return
    # the same dateline reader with "/" read as a space, so offsets stay those of the text
    span = find_dateline(re.sub(r"(?<=[A-Z])/(?=[A-Z])", " ", head))
    if span is None or "/" not in text[span[0]:span[1]]:
        return
    for m in dates:
        if span[0] <= m.start and m.end <= span[1]:
            m.attrs["dateline"] = True


def find_dates(text: str, published: dt.date | None = None) -> list[Mention]:
    """Convenience: date mentions of a bare text (one sentence, index 0)."""
    from sitrep.model import Article, Sentence

    art = Article(id="", text=text, published=published)
    doc = AnalyzedDoc(article=art, sentences=[Sentence(0, 0, len(text), text)], mentions=[])
    return DateMatcher().find(doc)
