"""Date expressions: recognition (sitrep.nlp.dates) and resolution (sitrep.resolve.dates)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model import Mention
from sitrep.nlp.dates import find_dates
from sitrep.resolve.dates import DateValue, event_date, resolve_date

D = dt.date
SAT = D(2015, 4, 25)  # a Saturday


def one(text: str, published: dt.date | None = SAT) -> Mention:
    found = find_dates(text, published)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def resolved(text: str, published: dt.date | None = SAT) -> DateValue:
    return resolve_date(one(text, published), published)


@pytest.mark.parametrize("text, span, start, end, precision", [
    ("On 6 May 2020, medical interns protested outside the hospital.", "6 May 2020", D(2020, 5, 6), D(2020, 5, 6), 1),
    ("Gunmen stormed the market on May 6, 2020, witnesses said.", "May 6, 2020", D(2020, 5, 6), D(2020, 5, 6), 1),
    ("The shelling on Sunday, 3 May 2020 hit two schools.", "Sunday, 3 May 2020", D(2020, 5, 3), D(2020, 5, 3), 1),
    ("Police said the raid on 2020-05-06 left the camp empty.", "2020-05-06", D(2020, 5, 6), D(2020, 5, 6), 1),
    ("Residents say the strike happened on the 1st of May 2020.", "the 1st of May 2020", D(2020, 5, 1),
     D(2020, 5, 1), 1),
    ("Around 9 May 2020 (as reported), a man was found dead on a road.", "Around 9 May 2020 (as reported)",
     D(2020, 5, 9), D(2020, 5, 9), 2),
    ("Fighting raged between 3 and 5 May 2020 near the dam.", "between 3 and 5 May 2020", D(2020, 5, 3),
     D(2020, 5, 5), 2),
    ("Protests continued from 1 to 4 May 2020 in the capital.", "from 1 to 4 May 2020", D(2020, 5, 1),
     D(2020, 5, 4), 2),
    ("Airstrikes on 3-5 May 2020 destroyed the bridge.", "3-5 May 2020", D(2020, 5, 3), D(2020, 5, 5), 2),
    ("Clashes broke out on April 28-30, 2020 along the border.", "April 28-30, 2020", D(2020, 4, 28),
     D(2020, 4, 30), 2),
    ("Unrest spread across the region in March 2020, officials said.", "in March 2020", D(2020, 3, 1),
     D(2020, 3, 31), 3),
])
def test_explicit_forms(text, span, start, end, precision):
    m = one(text)
    assert m.text == span
    assert resolve_date(m, SAT) == DateValue(start, end, precision)


def test_explicit_without_year_takes_publication_year():
    assert resolved("Rebels seized the town on April 22.") == DateValue(D(2015, 4, 22), D(2015, 4, 22), 1)
    assert resolved("Rebels seized the town on 22 April.") == DateValue(D(2015, 4, 22), D(2015, 4, 22), 1)


def test_explicit_without_year_after_publication_goes_to_previous_year():
    # published 25 April 2015: "12 December" can only be December 2014
    assert resolved("The base was overrun on 12 December.").start == D(2014, 12, 12)


def test_explicit_without_year_and_unknown_publication_is_unresolved():
    assert resolved("The base was overrun on 12 December.", None).start is None


def test_numeric_date_picks_the_reading_before_publication():
    # 6/5/2020 published 10 May 2020: 6 May (day first) rather than 5 June (after publication)
    assert resolved("Troops entered the village on 6/5/2020.", D(2020, 5, 10)).start == D(2020, 5, 6)
    # published 10 June 2020 both readings are past; the closer one (5 June, month first) wins
    assert resolved("Troops entered the village on 6/5/2020.", D(2020, 6, 10)).start == D(2020, 6, 5)


@pytest.mark.parametrize("text, start, end, precision", [
    ("Jihadists captured the city on Saturday after days of fighting.", D(2015, 4, 25), D(2015, 4, 25), 1),
    ("Government jets pounded the town on Tuesday night.", D(2015, 4, 21), D(2015, 4, 21), 1),
    ("A convoy was ambushed last Saturday near the border.", D(2015, 4, 18), D(2015, 4, 18), 1),
    ("Two soldiers were killed yesterday in a roadside blast.", D(2015, 4, 24), D(2015, 4, 24), 1),
    ("Protesters are gathering again today in the square.", D(2015, 4, 25), D(2015, 4, 25), 1),
    ("Heavy shelling was heard overnight in the northern districts.", D(2015, 4, 24), D(2015, 4, 24), 1),
    ("A mortar round struck the market last night.", D(2015, 4, 24), D(2015, 4, 24), 1),
    ("Police dispersed the crowd this morning with tear gas.", D(2015, 4, 25), D(2015, 4, 25), 1),
    ("The rebels took the hill two days ago, a commander said.", D(2015, 4, 23), D(2015, 4, 23), 1),
    ("Air raids intensified last week around the airport.", D(2015, 4, 13), D(2015, 4, 19), 2),
    ("Last month, the army lost control of the province.", D(2015, 3, 1), D(2015, 3, 31), 3),
    ("In March, the coalition withdrew from the valley.", D(2015, 3, 1), D(2015, 3, 31), 3),
    ("Over the past week, at least 40 people were killed.", D(2015, 4, 18), D(2015, 4, 25), 2),
])
def test_relative_forms(text, start, end, precision):
    assert resolved(text) == DateValue(start, end, precision)


def test_month_after_publication_is_last_year():
    assert resolved("The offensive began in June.").start == D(2014, 6, 1)


def test_past_context_flags():
    assert one("Last month, the army lost control of the province.").attrs["past_context"] is True
    assert one("Earlier this year, the group seized three towns.").attrs["past_context"] is True
    assert one("Some 44,000 people were displaced in 2014.").attrs["past_context"] is True
    assert one("Jihadists captured the city on Saturday.").attrs["past_context"] is False
    assert one("On 25 April 2015, jihadists captured the city.").attrs["past_context"] is False
    assert one("On 25 April 2013, jihadists captured the city.").attrs["past_context"] is True


def test_year_mention_and_duration_types():
    year = one("About 44,000 in 2010 fled the fighting.")
    assert (year.text, year.attrs["type"], year.attrs["year"]) == ("in 2010", "year", 2010)
    campaign = one("The army announced a four-day campaign against the militants.")
    assert campaign.attrs["type"] == "duration" and campaign.attrs["amount"] == 4
    assert resolve_date(campaign, SAT).start is None  # no anchor in the expression


@pytest.mark.parametrize("text", [
    "The rebels may attack the airport if talks fail.",
    "Thousands joined the march to parliament.",
    "The convoy was 55 miles from the capital.",
    "Officers of the 1st brigade were redeployed.",
    "Fuel prices rose by 12 percent, traders said.",
    "The militia fired 120 mortar rounds at 10:30.",
])
def test_false_dates_rejected(text):
    assert find_dates(text, SAT) == []


def test_may_as_month_needs_context():
    assert [m.text for m in find_dates("Clashes resumed in May near the oil field.", SAT)] == ["in May"]
    assert [m.text for m in find_dates("Analysts warn the group may strike again in May 2016.", SAT)] == [
        "in May 2016"]


def test_approximate_with_stated_range():
    m = one("Around 8 May 2020 (from 7 - 8 May), the rebels released 48 prisoners.", D(2020, 5, 9))
    assert m.attrs["approx"] is True
    assert resolve_date(m, D(2020, 5, 9)) == DateValue(D(2020, 5, 8), D(2020, 5, 8), 2)


def test_dateparser_fallback_for_unparsed_relative():
    m = Mention("date", 0, 15, "3 days ago", 0, attrs={"type": "relative", "rel": "unknown"})
    assert resolve_date(m, SAT).start == D(2015, 4, 22)


def test_event_date_prefers_explicit_and_nearest():
    text = "On Saturday, 25 April 2015, rebels took Jisr al-Shughur, which the army had held since March."
    ms = find_dates(text, SAT)
    assert event_date(ms, SAT) == DateValue(D(2015, 4, 25), D(2015, 4, 25), 1)
    text2 = "Last month the army retreated; yesterday the rebels shelled the airport."
    ms2 = find_dates(text2, SAT)
    assert event_date(ms2, SAT).start == D(2015, 4, 24)  # past context loses to the news date


def test_event_date_nearest_to_trigger():
    text = "Rebels shelled the town on Thursday and stormed it on Friday."
    ms = find_dates(text, SAT)
    assert event_date(ms, SAT, near=text.index("stormed")).start == D(2015, 4, 24)
    assert event_date(ms, SAT, near=text.index("shelled")).start == D(2015, 4, 23)


def test_event_date_defaults():
    assert event_date([], SAT) == DateValue(SAT, SAT, 2)
    assert event_date([], None) is None


def test_unanchored_for_duration_is_unresolved():
    m = one("Workers have occupied the factory for a month.")
    assert m.attrs["type"] == "duration" and resolve_date(m, SAT).start is None


def test_duration_with_adjective():
    m = one("The town fell after a grueling three-week siege by the militia.")
    assert m.attrs["type"] == "duration" and (m.attrs["amount"], m.attrs["unit"]) == (3, "week")


_TOKENS = ["On", "on", "around", "31", "30", "29", "February", "May", "March", "2020", "1999", "-", "to", "and",
           "between", "last", "Saturday", "night", "(as reported)", "ago", "two", "days", "in", "12/13/2020",
           "2020-02-30", "the", "past", "week", "yesterday", "of", "from", ","]


@given(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=12),
       st.dates(min_value=D(1990, 1, 1), max_value=D(2030, 12, 31)) | st.none())
@settings(max_examples=200, deadline=None)
def test_matcher_and_resolver_never_crash(tokens, published):
    text = " ".join(tokens)
    for m in find_dates(text, published):
        assert text[m.start:m.end] == m.text
        value = resolve_date(m, published)
        assert value.precision in (1, 2, 3)
        if value.start and value.end:
            assert value.start <= value.end


def test_a_day_told_with_overnight_is_the_events_day():
    # "overnight into Monday" in a report published on Wednesday: Monday, not the night before publication
    import sitrep

    text = ("Gang members set fire to homes in the Solino neighbourhood of Port-au-Prince overnight into Monday and "
            "shot dead at least nine residents, police said.")
    events = [e for e in sitrep.extract(text, published="2024-11-13") if not e.background]
    assert events and events[0].date == dt.date(2024, 11, 11) and events[0].time_precision == 1
