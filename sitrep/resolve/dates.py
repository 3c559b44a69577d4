"""Date mentions -> calendar dates with ACLED time precision.

Precision (DESIGN.md): 1 the exact day; 2 a day within a known week or a range of days; 3 only the month
(also used for year-only statements, the coarsest code there is).

Choices made here (and tested in tests/test_dates.py):
- explicit day without a year: the publication year, or the year before when that would put the day
  after publication; unknown publication date -> unresolved (start None).
- "6/5/2020": both readings (day/month and month/day) are tried; the one on or before publication and
  closest to it wins; without a publication date, day first (the usual order outside the US).
- weekday ("on Saturday", "Tuesday night"): the most recent such day on or before publication (the same
  day counts); "last Saturday" is strictly before publication. Precision 1.
- "yesterday" -> publication - 1; "today", "this morning", "tonight" -> publication; "last night",
  "overnight" -> the day before publication (a news report of the morning tells of the night that began
  the evening before; ACLED codes the day the night began). Precision 1.
- "last week" -> Monday..Sunday of the previous week, precision 2; "this week" -> Monday..publication.
- "last month", "in March", "March 2020" -> the first day of the month (end: its last day), precision 3;
  a bare month is the most recent one on or before publication.
- years ("in 2014", "last year", "earlier this year") -> 1 January (end 31 December or publication),
  precision 3.
- "N days ago" -> publication - N (precision 1); "N weeks ago" precision 2; months/years precision 3.
- "over the past week", "in the past 24 hours" -> the span ending at publication, precision 2;
  an unanchored duration ("a four-day campaign", "for a month") is unresolved.
- ranges ("between 3 and 5 May") -> start..end, precision 2; approximate dates ("around 9 May",
  "(as reported)") -> that day, precision 2.
Anything the fast path cannot read is handed (its text only) to dateparser, cached per (text, published).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

from sitrep.model import Mention

ONE_DAY = dt.timedelta(days=1)
_TIER = {"explicit": 0, "range": 0, "weekday": 1, "relative": 1, "month": 2, "duration": 3, "year": 4}


@dataclass(frozen=True)
class DateValue:
    start: dt.date | None
    end: dt.date | None
    precision: int

    @property
    def known(self) -> bool:
        return self.start is not None


UNKNOWN = DateValue(None, None, 3)


def _day(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _shift_months(d: dt.date, months: int) -> dt.date:
    idx = d.year * 12 + (d.month - 1) + months
    return dt.date(idx // 12, idx % 12 + 1, 1)


def _fill_year(month: int, day: int, published: dt.date | None) -> dt.date | None:
    if published is None:
        return None
    d = _day(published.year, month, day)
    if d is not None and d > published:
        d = _day(published.year - 1, month, day)
    return d


def _explicit(a: dict, published: dt.date | None, approx: bool) -> DateValue:
    prec = 2 if approx else 1
    if "first" in a:
        readings = [(a["first"], a["second"]), (a["second"], a["first"])]  # (day, month), day first
        days = [d for d in (_day(a["year"], mo, dy) for dy, mo in readings if mo <= 12) if d]
        if not days:
            return UNKNOWN
        if published is not None:
            before = [d for d in days if d <= published]
            days = sorted(before, key=lambda d: published - d) if before else days
        return DateValue(days[0], days[0], prec)
    if not a.get("month") or not a.get("day"):
        return UNKNOWN
    d = _day(a["year"], a["month"], a["day"]) if a.get("year") else _fill_year(a["month"], a["day"], published)
    return DateValue(d, d, prec) if d else UNKNOWN


def _range(a: dict, published: dt.date | None) -> DateValue:
    y2 = a.get("year2") or a.get("year")
    if y2:
        end = _day(y2, a["month2"], a["day2"])
    else:
        end = _fill_year(a["month2"], a["day2"], published)
    if end is None:
        return UNKNOWN
    start = _day(a.get("year") or end.year, a["month"], a["day"])
    if start is not None and start > end:
        start = _day(start.year - 1, start.month, start.day)
    if start is None:
        return DateValue(end, end, 2)
    return DateValue(start, end, 2)


def _weekday(a: dict, published: dt.date | None) -> DateValue:
    if published is None:
        return UNKNOWN
    mod = a.get("modifier")
    if mod == "next":
        delta = (a["weekday"] - published.weekday()) % 7 or 7
        d = published + dt.timedelta(days=delta)
        return DateValue(d, d, 1)
    delta = (published.weekday() - a["weekday"]) % 7
    if delta == 0 and mod in ("last", "past", "previous"):
        delta = 7
    d = published - dt.timedelta(days=delta)
    return DateValue(d, d, 1)


def _month_value(year: int, month: int) -> DateValue:
    return DateValue(dt.date(year, month, 1), _month_end(year, month), 3)


def _relative(a: dict, published: dt.date | None, anchor: dt.date | None) -> DateValue:
    if published is None:
        return UNKNOWN
    rel = a.get("rel", "")
    p = published
    if rel in ("ago", "earlier"):
        n, unit = a.get("amount"), a.get("unit")
        if not n:
            return UNKNOWN
        if unit in ("hour", "day"):
            d = p - dt.timedelta(days=n if unit == "day" else 0)
            return DateValue(d, d, 1)
        if unit in ("week", "weekend"):
            d = p - dt.timedelta(weeks=n)
            return DateValue(d, d, 2)
        if unit == "month":
            first = _shift_months(p, -n)
            return _month_value(first.year, first.month)
        return DateValue(dt.date(p.year - n, 1, 1), dt.date(p.year - n, 12, 31), 3)
    if rel in SAME_DAY_AS_CONTEXT:
        return UNKNOWN  # "hours earlier": the day of the incident told just before, found from context
    base = anchor or p
    simple = {
        "yesterday": p - ONE_DAY, "the day before yesterday": p - 2 * ONE_DAY, "today": p, "tonight": p,
        "earlier today": p, "early today": p, "this morning": p, "this afternoon": p, "this evening": p,
        "last night": p - ONE_DAY, "late last night": p - ONE_DAY, "overnight": p - ONE_DAY,
        "the previous day": base - ONE_DAY, "the day before": base - ONE_DAY,
        "the night before": base - ONE_DAY, "the following day": base + ONE_DAY, "the next day": base + ONE_DAY,
    }
    if rel in simple:
        return DateValue(simple[rel], simple[rel], 1)
    monday = p - dt.timedelta(days=p.weekday())
    if rel in ("last week", "previous week", "past week"):
        return DateValue(monday - 7 * ONE_DAY, monday - ONE_DAY, 2)
    if rel in ("this week", "earlier this week", "later this week"):
        return DateValue(monday, p, 2)
    if rel in ("last weekend", "previous weekend", "past weekend", "this weekend"):
        sat = p - dt.timedelta(days=(p.weekday() - 5) % 7)
        if rel != "this weekend" and sat == p:
            sat -= 7 * ONE_DAY
        return DateValue(sat, min(sat + ONE_DAY, p), 2)
    if rel in ("last month", "previous month", "past month"):
        first = _shift_months(p, -1)
        return _month_value(first.year, first.month)
    if rel in ("this month", "earlier this month", "later this month"):
        return DateValue(dt.date(p.year, p.month, 1), p, 3)
    if rel in ("last year", "previous year", "past year"):
        return DateValue(dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31), 3)
    if rel in ("this year", "earlier this year", "later this year"):
        return DateValue(dt.date(p.year, 1, 1), p, 3)
    return _parse_text(rel, p)


def _duration(a: dict, published: dt.date | None) -> DateValue:
    if published is None or "what" in a or a.get("unit") is None:
        return UNKNOWN  # "a four-day campaign", "for a month": no anchor in the expression itself
    n = a.get("amount") or 1
    unit = a["unit"]
    days = {"hour": max(1, n // 24) if n >= 24 else 0, "day": n, "week": 7 * n, "weekend": 7 * n,
            "month": 30 * n, "year": 365 * n}[unit]
    return DateValue(published - dt.timedelta(days=days), published, 2 if days <= 31 else 3)


@functools.lru_cache(maxsize=4096)
def _parse_text(text: str, published: dt.date | None) -> DateValue:
    """dateparser on the mention text only (slow: cached, used when the fast path cannot read it)."""
    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if published is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time(12))
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        return UNKNOWN
    d = parsed.date()
    return DateValue(d, d, 1)


def warm_up() -> None:
    """Import dateparser and let it build its English tables now (its first parse costs ~0.15 s), through the
    uncached function: a made-up phrase takes no place in the cache of real mention texts."""
    _parse_text.__wrapped__("a fortnight ago", dt.date(2021, 5, 10))


def resolve_date(mention: Mention, published: dt.date | None, anchor: dt.date | None = None) -> DateValue:
    """The calendar date(s) and precision a date mention stands for (see the module docstring).

    ``anchor`` is the date "the day before" / "the following day" count from (default: publication).
    """
    a = mention.attrs
    kind = a.get("type")
    approx = bool(a.get("approx"))
    if kind == "explicit":
        value = _explicit(a, published, approx)
    elif kind == "range":
        value = _range(a, published)
    elif kind == "weekday":
        value = _weekday(a, published)
    elif kind == "relative":
        value = _relative(a, published, anchor)
    elif kind == "month":
        if a.get("year"):
            value = _month_value(a["year"], a["month"])
        elif published is not None:
            y = published.year if a["month"] <= published.month else published.year - 1
            value = _month_value(y, a["month"])
        else:
            value = UNKNOWN
    elif kind == "year":
        value = DateValue(dt.date(a["year"], 1, 1), dt.date(a["year"], 12, 31), 3)
    elif kind == "duration":
        return _duration(a, published)
    else:
        value = UNKNOWN
    if not value.known and kind in ("explicit", "relative") and published is not None:
        value = _parse_text(mention.text, published)
        if value.known and approx:
            value = DateValue(value.start, value.end, 2)
    return value


# Relative words that date an event by the incident told before it, not by the publication date.
SAME_DAY_AS_CONTEXT = frozenset({"hours earlier", "hours later", "minutes earlier", "minutes later", "moments earlier",
                                 "moments later", "earlier that day", "later that day", "the same day",
                                 "on the same day", "that same day", "on that same day"})


def same_day_as_context(mentions: list[Mention]) -> bool:
    """Does a date mention say "hours earlier", "the same day": the date is the context's?"""
    return any(is_same_day(m) for m in mentions)


def is_same_day(m: Mention) -> bool:
    """``same_day_as_context([m])`` for one mention."""
    return m.kind == "date" and str(m.attrs.get("rel") or "").lower() in SAME_DAY_AS_CONTEXT


def event_date(mentions: list[Mention], published: dt.date | None, near: int | None = None) -> DateValue | None:
    """The date of an event from the date mentions of its sentence(s).

    Prefers what is not past context, then explicit dates (and ranges) over weekdays and relative
    words, over months, durations and years, then the mention nearest ``near`` (the trigger's character
    offset; a date after the trigger counts its distance once, one before it three times), then the
    earliest in the text.  No usable mention -> the publication date with precision 2;
    publication unknown as well -> None.
    """
    best: tuple | None = None
    best_value: DateValue | None = None
    for i, m in enumerate(mentions):
        if m.kind != "date":
            continue
        value = resolve_date(m, published)
        if not value.known:
            continue
        if near is None:
            dist = i
        elif m.start >= near:
            dist = m.start - near  # "stormed it on Friday": a date after the verb usually belongs to it
        else:
            dist = 3 * max(0, near - m.end)  # before the verb: weighed down, as it may date an earlier clause
        tier = _TIER.get(m.attrs.get("type"), 5)
        if m.attrs.get("rel") == "overnight":
            tier += 0.5  # "overnight into Monday": the day told beats the night before publication
        key = (bool(m.attrs.get("past_context")), tier, dist)
        if best is None or key < best:
            best, best_value = key, value
    if best_value is not None:
        return best_value
    if published is None:
        return None
    return DateValue(published, published, 2)
