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
from collections.abc import Callable
from typing import Any

from sitrep.model import AnalyzedDoc, Mention
from sitrep.nlp import find_dateline
from sitrep.nlp.numbers import alternatives, grouped, lowered, sentence_finder

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



def _g(src: str, ignorecase: bool = True) -> str:
    """The alternatives of ``src`` grouped by their first letters: the same matches, found faster (see
    sitrep.nlp.numbers.grouped)."""
    return grouped(alternatives(src), ignorecase)


# Month names are matched case-sensitively (capitalized) so "may" the verb and "march" the noun never
# match; "May"/"March" must still sit next to a day, a year or a preposition (see the patterns).
_MONTH = (r"(?:" + _g(r"January|February|March|April|May|June|July|August|September|October|November|December|"
                      r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?", False)
          + r")(?![a-z])")
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])"
_YEAR = r"(?:19|20)\d\d(?![\d])"
_WEEKDAY = r"(?:" + _g(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday", False) + r")s?"
_PART = r"(?i:" + _g(r"night|morning|afternoon|evening|dawn|midday") + r")"
_NUMW = r"(?i:" + _g(r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
                     r"several|few|couple of|\d{1,3}") + r")"
_UNIT = r"(?i:" + _g(r"hours?|days?|weeks?|months?|years?|weekends?") + r")"

_APPROX_PRE = r"(?:(?P<approx>(?i:" + _g(r"on or about|on or around|around|about|approximately|circa|sometime around|"
                                         r"some time around|as reported,?\s+on|as reported,?") + r"))\s+)?"
_APPROX_POST = r"(?:\s*\((?P<approx_post>(?i:" + _g(r"as reported|reportedly|approximately|from|between|"
                                                     r"reported") + r")[^()]{0,40})\))?"

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
    ("weekday", _APPROX_PRE + r"(?:(?P<mod>(?i:" + _g(r"last|this|past|previous|next|early|late|on") + r"))\s+)?(?P<wd>" +
     _WEEKDAY + r")(?:'s)?(?:\s+(?P<part>" + _PART + r"))?"),
    # months without a day
    ("month", r"(?:(?P<pre>(?i:" + _g(r"in|during|since|by|until|till|throughout|from|early|late|mid|mid-|end of|"
                                      r"the end of|beginning of|the beginning of|start of|the start of|last|this|next|"
                                      r"early in|late in|of|on") + r"))[\s-]+)"
     r"(?P<m1>" + _MONTH + r")(?:,?\s+(?P<y1>" + _YEAR + r"))?"),
    ("month", r"(?P<m1>" + _MONTH + r"),?\s+(?P<y1>" + _YEAR + r")"),
    # relative days
    ("relative", r"(?P<rel>(?i:" + _g(
        r"the day before yesterday|yesterday|today|tonight|overnight|"
        r"late last night|last night|earlier today|early today|this (?:morning|afternoon|evening)|"
        r"earlier this (?:week|month|year)|later this (?:week|month|year)|"
        r"(?:last|this|past|previous) (?:week|weekend|month|year)|the (?:previous|following|next) day|"
        r"the day before|the night before|(?:hours|minutes|moments) (?:earlier|later)|(?:earlier|later) that day|"
        r"(?:on )?(?:that|the) same day") + r"))(?:\s+(?P<part>" + _PART + r"))?"),
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
    ("year", r"(?:(?P<pre>(?i:" + _g(r"in|since|during|from|until|till|by|throughout|early|late|mid|end of|of")
     + r"))[\s-]+)?"
     r"(?<![\d,.$£€/-])(?P<y1>" + _YEAR + r")(?![,.]\d)(?!\s+(?i:" + COUNTED_NOUNS + r")\b)"),
]
# What each pattern of _SPECS (same order) can start with, read off the pattern: the first letter of a
# case-insensitive word it may open with (an approximation, a preposition, a relative word; under (?i: as the
# words are), a capitalised month (M) or weekday (W) name, a "the" in lower case, an ASCII digit (0-9) or any
# digit (\d, for \d{1,3}).  Speed only: the lookahead spares the engine trying every alternative at the other
# word starts; a match opens with one of these, so the matches are the same.
_APPROX_FIRST = "oacs"  # on or about, around, about, approximately, circa, sometime, some time, as reported
_MONTH_FIRST, _WEEKDAY_FIRST = "JFMASOND", "MTWFS"
_STARTS = [
    f"(?i:[{_APPROX_FIRST}bf])|[0-9]",  # [approx] [between|from] day - day month
    f"(?i:[{_APPROX_FIRST}bf])|[{_MONTH_FIRST}]",  # [approx] [between|from] month day - day
    f"(?i:[{_APPROX_FIRST}])|[{_WEEKDAY_FIRST}t0-9]",  # [approx] [weekday,] [the] day month
    f"(?i:[{_APPROX_FIRST}])|[{_WEEKDAY_FIRST}{_MONTH_FIRST}]",  # [approx] [weekday,] month day
    f"(?i:[{_APPROX_FIRST}])|[12]",  # [approx] ISO date
    f"(?i:[{_APPROX_FIRST}])|[0-9]",  # [approx] numeric date
    f"(?i:[{_APPROX_FIRST}ltpne])|[{_WEEKDAY_FIRST}]",  # [approx] [last|this|past|previous|next|early|late|on] weekday
    "(?i:[idsbutfelmno])",  # preposition + month
    f"[{_MONTH_FIRST}]",  # month year
    "(?i:[tyolephm])",  # relative day words
    "(?i:[aotfsenc])|\\d",  # amount unit ago
    "(?i:[oidwftplr])",  # [over|in|during|within|for|throughout] [the] past|last|previous|recent unit
    "(?i:i)",  # in recent
    "(?i:[ati])",  # an|the|its|their ... -day
    "(?i:f)",  # for amount unit
    "(?i:[isdfutbelmo])|[12]",  # [preposition] year
]
assert len(_STARTS) == len(_SPECS), "dates.py: _STARTS must tag every pattern of _SPECS"
# Every expression starts at a word start; the lookbehind spares the engine trying the optional prefixes
# inside words (a 5x speed-up on news text).
_PATTERNS = [(kind, re.compile(r"(?<![\w])(?=[\w(])(?=" + first + ")" + pat))
             for (kind, pat), first in zip(_SPECS, _STARTS)]


def _case_free_src(src: str) -> str | None:
    """``src`` with its (?i: groups made plain, when every letter it spells stands inside one (outside them
    only escapes like \\s and group names): the twin then finds in a lower-cased text (see
    sitrep.nlp.numbers.lowered) the matches ``src`` finds in the text.  None otherwise."""
    out: list[str] = []
    stack: list[bool] = []  # per open group: is it a (?i: group
    i, n, in_class = 0, len(src), False
    while i < n:
        c = src[i]
        if c == "\\":
            if i + 1 < n and src[i + 1] in "xuUN0123456789":
                return None  # a code point or a back reference: left alone
            out.append(src[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            elif c.isalpha() and not any(stack):
                return None
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            if src.startswith("^]", i + 1) or src.startswith("]", i + 1):
                return None  # a class opening with "]": not worth reading
            i += 1
            continue
        if c == "(":
            if src.startswith("(?i:", i):
                stack.append(True)
                out.append("(?:")
                i += 4
                continue
            m = re.match(r"\(\?P<\w+>|\(\?(?:[:=!]|<[=!])|\(", src[i:])
            if m is None or "(?P=" in src[i:i + 4]:
                return None
            stack.append(False)
            out.append(m.group(0))
            i += m.end()
            continue
        if c == ")":
            if not stack:
                return None
            stack.pop()
        elif c.isalpha() and not any(stack):
            return None
        out.append(c)
        i += 1
    return "".join(out)


# Speed: for the patterns whose letters are all case-insensitive, a twin without the flag searched in the
# lower-cased text finds the same matches much faster; each is matched again on the text (same span required)
# so that the groups read are the text's own.
_TWINS: list[re.Pattern | None] = []
for _kind, _pat in _PATTERNS:
    _src = _case_free_src(_pat.pattern)
    _TWINS.append(re.compile(_src) if _src is not None else None)
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


# Speed: presence tests equal to searching _NEED_RX["I"] and ["N"], anchored on their rarer middle character
# (the engine skips to it) instead of on a digit.
_HAS_ISO_YEAR = re.compile(r"-(?<=(?:19|20)\d\d-)")
_HAS_NUMERIC = re.compile(r"[/.](?<=\d[/.])(?=\d)")
_FOR_SPACE = re.compile(r"for\s")  # _NEED_RX["F"] for lower-cased text


# Speed: _LITERALS["H"] found by one search, which the regex engine runs by skipping to each "-" (the same
# texts: it holds one of them)
_HYPHEN_UNIT = re.compile(r"-(?:hour|day|week|month|year)")
assert _HYPHEN_UNIT.pattern == "-(?:" + "|".join(w[1:] for w in _LITERALS["H"]) + ")"


def _holds_any(low: str, words: tuple[str, ...]) -> bool:
    """Does ``low`` hold one of ``words``?  (speed: a plain loop, cheaper than any() over a generator)"""
    for w in words:
        if w in low:
            return True
    return False


def _present(text: str) -> set[str]:
    """The keys of _NEED_RX whose pattern occurs in ``text`` (the same set as searching with each)."""
    out: set[str] = set()
    if _NEED_RX["D"].search(text):
        out.add("D")
        # an ISO date's "2020-" holds a year and a hyphen, a numeric date's "6/5" a slash or a dot
        if _NEED_RX["Y"].search(text):
            out.add("Y")
            if _HAS_ISO_YEAR.search(text):
                out.add("I")
        if _HAS_NUMERIC.search(text):
            out.add("N")
    if _NEED_RX["M"].search(text):
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
            if _holds_any(low, _LITERALS[k]) if k != "H" else _HYPHEN_UNIT.search(low) is not None:
                out.add(k)
            continue
        if _NEED_RX[k].search(text):
            out.add(k)
    # (speed: in the lower-cased text "for" is a plain literal, which the regex engine skips to)
    if "U" in out and (_FOR_SPACE.search(low) if low is not None else _NEED_RX["F"].search(text)):
        out.add("F")
    return out


_PRIORITY = {"range": 0, "explicit": 1, "weekday": 2, "relative": 2, "month": 3, "duration": 4, "year": 5}

_PAST_RELATIVE = re.compile(r"(?i)^(?:last (?:month|year)|earlier this (?:month|year)|past (?:month|year)|"
                            r"previous (?:month|year))$")


def month_number(name: str | None) -> int | None:
    return MONTHS.get(name.lower().rstrip(".")) if name else None


_LEADING_DIGITS = re.compile(r"\d+")  # speed: compiled once, not looked up in re's cache per call


def day_number(text: str | None) -> int | None:
    return int(_LEADING_DIGITS.match(text).group(0)) if text else None


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
# (the year's "not after a digit" is checked once its four digits are read: the engine then skips to a 1 or 2)
_ANCHOR_RX = {"M": re.compile(_MONTH), "Y": re.compile(r"(?:19|20)\d\d(?<!\d\d\d\d\d)(?!\d)")}
_BACK, _FWD = 64 + 16 * 7 + 32, 160 + 16 * 7 + 32
# Speed: how far before its first month (year) a match of each anchored pattern can start, counted the same way
# for the pattern alone (runs of spaces and hyphens of at most 7): 0 a range (approximation 21 + 7, "between"
# 7 + 7, a day 4, a year 1 + 7 + 4, 7, a range word 7, 7, a day 4, 7, "of" 2 + 7: 99); 1 a range opening with
# its month (28 + 7 + 7); 2 a day and month (28, a weekday 10 + 1 + 7, "the" 3 + 7, a day 4 + 7, "of" 2 + 7:
# 76); 3 a month and day (28 + 10 + 1 + 7); 7 a preposition ("the beginning of" 16 + 7); 8 a month and year
# (none); 15 a year ("throughout" 10 + 7).  Each with a margin.
_BACKS = {0: 128, 1: 64, 2: 96, 3: 64, 7: 32, 8: 0, 15: 32}
# ... and how far after it a match (and the lookaheads deciding it) can reach: a month 10 (with its
# lookahead), a day 5, a year 5, ", year" 13, a time of day 16, a parenthesized remark 62, a range word 7 with
# 7 either side, "of" 2, runs of spaces 7: 0 from its first month 150; 1 140; 2 101; 3 113; 7 and 8 23; 15 the
# year 4, ",5" 2, a counted noun after spaces (7 + 13 + 1) 21.  (Speed: the search stops there.)
_FWDS = {0: 160, 1: 160, 2: 128, 3: 128, 7: 32, 8: 32, 15: 48}
# Speed: the same for the weekday pattern (6), anchored on weekday names, and for the relative days and durations
# (9, 10, 11, 14), anchored on the words one of their words holds (_KEYWORDS: "day" of "yesterday", "hour" of
# "hours"), every place such a word occurs in the lower-cased text (the twins' text, see _TWINS; not searched
# when there is none).  The first anchor of a match lies at most so far after its start: 6 an approximation
# 21 + 7, "previous" 8 + 7 (43); 9 "the following " 14; 10 a number ("couple of") 9 + 7; 11 "throughout the
# previous" 10 + 7 + 3 + 7 + 8 + 7, a number 9 + 7 (58); 14 "for", a number 3 + 7 + 9 + 7.  And a match is
# decided by the text so far after its start (so after its first anchor), every run of spaces read to its
# end: 6 43 + 8, a weekday's 12, 8, a time of day 9 (80); 9 a relative day 24, 8, a time of day 9 (41); 10 a
# number 9 + 8, a unit 8 + 8, "earlier" 7 (40); 11 58 + 8, a unit 8 (74); 14 "for", a number 3 + 8 + 9 + 8, a
# unit 8 (36).  Each with a margin.
_KEYWORDS = ("day", "night", "morning", "afternoon", "evening", "week", "month", "year", "hour", "minute",
             "moment")
_ANCHORED.update({6: "W", 9: "K", 10: "K", 11: "K", 14: "K"})
_ANCHOR_RX["W"] = re.compile(_WEEKDAY)
_BACKS.update({6: 64, 9: 32, 10: 32, 11: 80, 14: 48})
_FWDS.update({6: 96, 9: 64, 10: 64, 11: 96, 14: 64})
# A range (pattern 0) has a range word and then a day: in the lower-cased text, the same holds
_RANGE_TO_DAY = re.compile(r"(?:-|–|—|to|and|until|till|through)\s*[0-9]")
# ... and this comes before the range's second month, with at most a day and "of" between, in a text with no
# long run of spaces at most 7 + 7 + 4 + 7 + 2 + 7 = 34 characters before it
_RANGE_BACK = 48
# Speed: what the text must hold around a month for a pattern to have its first month there (the one a match
# found from that anchor has, see _anchored_matches): a day right before it ("5 May", "5th of May": patterns 0
# and 2), a day right after it ("May 5": 1 and 3), a preposition before it ("in May": 7, a word's last letter
# before spaces and hyphens).  Looked at within the bounds of _BACKS and _FWDS.
_DAY_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?\Z")
_DAY_AFTER = re.compile(r"\s(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])")


def _day_before(text: str, q: int) -> bool:
    return _DAY_BEFORE.search(text, max(0, q - 32), q) is not None


def _day_after(text: str, q: int) -> bool:
    return _DAY_AFTER.search(text, q, min(len(text), q + 32)) is not None


def _word_before(text: str, q: int) -> bool:
    j = q
    while j > 0 and (text[j - 1].isspace() or text[j - 1] == "-"):
        j -= 1
    return j < q and j > 0 and text[j - 1].isalpha()


_ANCHOR_CHECKS: dict[int, Callable[[str, int], bool]] = {0: _day_before, 2: _day_before, 1: _day_after,
                                                         3: _day_after, 7: _word_before}
# (speed: written to open with a character class, which the regex engine skips to; the same texts hold one)
_LONG_GAP = re.compile(r"[\s-][\s-]{7,}")


def _keyword_places(low: str) -> list[int]:
    """Where a word of _KEYWORDS starts in the lower-cased text, every place (overlapping ones too), in order."""
    out = []
    for w in _KEYWORDS:
        i = low.find(w)
        while i >= 0:
            out.append(i)
            i = low.find(w, i + 1)
    out.sort()
    return out


class _Unsure(Exception):
    """An anchored search disagreed with the whole-text match: scan the text the plain way."""


def _anchored_matches(pat: re.Pattern, text: str, anchors: list[int], back: int = _BACK, fwd: int = _FWD,
                      twin: re.Pattern | None = None, low: str | None = None,
                      possible: Callable[[str, int], bool] | None = None) -> list[re.Match]:
    """What ``list(pat.finditer(text))`` gives, searching only near ``anchors`` (see _ANCHORED), from ``back``
    before each to ``fwd`` after it; in the lower-cased text ``low`` with the ``twin`` when given (see _TWINS).
    ``possible(text, anchor)`` False: no match can have its first month at that anchor (see _ANCHOR_CHECKS)."""
    out: list[re.Match] = []
    n = len(text)
    pos = 0
    finder, where = (pat, text) if twin is None or low is None else (twin, low)
    for q in anchors:
        if q < pos:
            continue
        if possible is not None and not possible(text, q):
            pos = q + 1  # what the search finds there: no match starting up to this anchor
            continue
        # (speed: a match starting at the anchor is the one the search would find first: tried there alone)
        m = (finder.match if back == 0 else finder.search)(where, max(pos, q - back), min(n, q + fwd))
        if m is None or m.start() > q:
            pos = q + 1  # no match starts up to this anchor; later ones start near later anchors
            continue
        full = pat.match(text, m.start())
        if full is None or full.span() != m.span() or full.end() == full.start():
            raise _Unsure
        out.append(full)
        pos = full.end()
    return out


def _twin_matches(pat: re.Pattern, twin: re.Pattern, text: str, low: str) -> list[re.Match]:
    """What ``list(pat.finditer(text))`` gives, found by the twin in the lower-cased text (see _TWINS)."""
    out: list[re.Match] = []
    for m in twin.finditer(low):
        full = pat.match(text, m.start())
        if full is None or full.span() != m.span() or full.end() == full.start():
            raise _Unsure
        out.append(full)
    return out


_PLANS: list = [None, {}]  # (the _NEEDS they were made from, {present keys: plan}); see _plan


def _plan(present: set[str]) -> tuple[tuple[int, str, re.Pattern], ...]:
    """(k, kind, pattern) of the patterns of _SPECS whose needed parts (_NEEDS) are all ``present``, in order.
    Speed: the same few key sets recur, so the test of each of the 16 patterns is made once per set, not per
    text (made anew when _NEEDS is replaced, as the tests do)."""
    if _PLANS[0] is not _NEEDS:
        _PLANS[0], _PLANS[1] = _NEEDS, {}
    key = frozenset(present)
    plan = _PLANS[1].get(key)
    if plan is None:
        plan = _PLANS[1][key] = tuple((k, kind, pat) for k, ((kind, pat), needs) in enumerate(zip(_PATTERNS, _NEEDS))
                                      if key.issuperset(needs))
    return plan


@functools.lru_cache(maxsize=4)
def scan(text: str, published: dt.date | None) -> tuple[tuple[int, int, str, dict[str, Any]], ...]:
    """(start, end, type, attrs) of every date expression in ``text``, in text order.

    Cached on (text, published): the NumberMatcher asks for the same article's dates to exclude them.
    Callers copy ``attrs`` before changing it.
    """
    found: list[tuple[int, int, int, str, re.Match]] = []
    low = lowered(text)  # the lower-cased text for the twins (see _TWINS), or None
    present = _present(text)
    anchored = _LONG_GAP.search(text) is None
    anchors: dict[str, list[int]] = {}
    for k, kind, pat in _plan(present):
        matches = None
        if k == 0 and low is not None:
            if anchored:
                # speed: looked for only where a range's would be, before a month (see _RANGE_BACK)
                if "M" not in anchors:
                    anchors["M"] = [m.start() for m in _ANCHOR_RX["M"].finditer(text)]
                if not any(_RANGE_TO_DAY.search(low, max(0, q - _RANGE_BACK), q) for q in anchors["M"]):
                    continue
            elif not _RANGE_TO_DAY.search(low):
                continue  # no range word before a day: no range
        if anchored and k in _ANCHORED and (_ANCHORED[k] != "K" or low):
            a = _ANCHORED[k]
            if a not in anchors:
                anchors[a] = (_keyword_places(low) if a == "K"
                              else [m.start() for m in _ANCHOR_RX[a].finditer(text)])
            try:
                matches = _anchored_matches(pat, text, anchors[a], _BACKS[k], _FWDS[k], _TWINS[k], low or None,
                                            _ANCHOR_CHECKS.get(k))
            except _Unsure:
                matches = None
        elif _TWINS[k] is not None and low is not None:
            try:
                matches = _twin_matches(pat, _TWINS[k], text, low)
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
        text = doc.article.text
        sentence = sentence_finder(doc)
        out = [Mention(kind="date", start=s, end=e, text=text[s:e], sentence=sentence(s),
                       key=kind, attrs=dict(attrs))
               for s, e, kind, attrs in scan(text, doc.article.published)]
        _mark_joint_dateline(text, out)
        return out


def _mark_joint_dateline(text: str, dates: list[Mention]) -> None:
    """A dateline filed from two cities ("CAIRO/JERUSALEM, Jan 23 -") dates the filing, not an event: its
    date is marked as a dateline's (the analyzer marks single-city datelines itself)."""
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
