"""Number expressions (sitrep.nlp.numbers) and the vague-number rules file."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.data import load_yaml
from sitrep.model import AnalyzedDoc, Article, Sentence
from sitrep.nlp.numbers import NumberMatcher, parse_number


def numbers(text: str):
    doc = AnalyzedDoc(article=Article(id="t", text=text, published=dt.date(2020, 5, 10)),
                      sentences=[Sentence(0, 0, len(text), text)], mentions=[])
    return NumberMatcher().find(doc)


def only(text: str):
    found = numbers(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


@pytest.mark.parametrize("text, span, value", [
    ("Some 60 fighters crossed the river at dawn.", "Some 60", 60),
    ("The camp sheltered 1,200 displaced families.", "1,200", 1200),
    ("Two soldiers were wounded in the blast.", "Two", 2),
    ("Twenty-five protesters were detained.", "Twenty-five", 25),
    ("A dozen homes were torched by the mob.", "A dozen", 12),
    ("Roughly two hundred and fifty people marched.", "Roughly two hundred and fifty", 250),
    ("Police said 3 million doses were stolen.", "3 million", 3_000_000),
])
def test_cardinals(text, span, value):
    m = only(text)
    assert (m.text, m.attrs["value"], m.attrs["vague"]) == (span, value, False)


@pytest.mark.parametrize("text, value, low, high, qualifier", [
    ("More than 60 fighters were killed, the monitor said.", 60, 60, None, "more than"),
    ("At least 12 people died in the attack.", 12, 12, None, "at least"),
    ("Up to 8 villagers may have drowned.", 8, None, 8, "up to"),
    ("Nearly 30 shops were looted overnight.", 30, 30, 30, "nearly"),
    ("About 20 students blocked the road.", 20, 20, 20, "about"),
    ("Over 100 houses were burned in the raid.", 100, 100, None, "over"),
])
def test_qualifiers(text, value, low, high, qualifier):
    a = only(text).attrs
    assert (a["value"], a["low"], a["high"], a["qualifier"]) == (value, low, high, qualifier)


@pytest.mark.parametrize("text, span, value, high", [
    ("Between 5 and 7 gunmen opened fire on the bus.", "Between 5 and 7", 5, 7),
    ("Witnesses counted 5-6 armed men at the checkpoint.", "5-6", 5, 6),
    ("The strike killed 9 to 11 militants, sources said.", "9 to 11", 9, 11),
    ("Two or three vehicles were seen leaving the base.", "Two or three", 2, 3),
])
def test_ranges_take_the_low_end(text, span, value, high):
    m = only(text)
    assert (m.text, m.attrs["value"], m.attrs["low"], m.attrs["high"], m.attrs["range"]) == (
        span, value, value, high, True)


@pytest.mark.parametrize("text, value", [
    ("Tens of people were arrested after the rally.", 10),
    ("Dozens were injured when the stage collapsed.", 12),
    ("Scores of fighters surrendered to the army.", 20),
    ("Hundreds of protesters gathered outside parliament.", 100),
    ("Thousands of residents fled the shelling.", 1000),
    ("Several civilians were caught in the crossfire.", 10),
    ("Many buildings were damaged in the quake.", 10),
    ("A number of soldiers deserted their posts.", 10),
    ("An unknown number of IS fighters were killed.", 10),
])
def test_vague_amounts_follow_the_rules_file(text, value):
    a = only(text).attrs
    assert a["vague"] is True and a["value"] == value


def test_rules_file_states_acled_practice():
    rules = load_yaml("vague_numbers.yaml")
    assert rules["vague"]["several"] == 10 and rules["vague"]["many"] == 10
    assert rules["vague"]["dozens"] == 12 and rules["vague"]["hundreds"] == 100
    assert rules["vague"]["tens of"] == 10
    assert rules["qualifiers"]["more than"] == "min"


@pytest.mark.parametrize("text", [
    "The village lies 55 miles north of the capital.",
    "The army began a four-day offensive in the hills.",
    "The victim, aged 25, was a local trader.",
    "A 25-year-old man was detained at the scene.",
    "Troops of the 1st brigade moved into the town.",
    "Brigade 5 took over the checkpoint.",
    "Unemployment rose to 12 percent.",
    "The governor pledged $500 for each family.",
    "The curfew starts at 10:30 each night.",
    "Militants carried AK-47 rifles.",
    "The clinic treated COVID-19 patients.",
    "On 6 May 2020, the council met in the town hall.",
    "The blast happened at 3 pm near the port.",
    "Fighting has continued since 2011.",
    "No one was hurt in the fire.",
])
def test_not_counts(text):
    assert numbers(text) == []


def test_year_after_a_count_is_not_a_count():
    found = numbers("Some 44,000 fled in 2010, the agency said.")
    assert [(m.text, m.attrs["value"]) for m in found] == [("Some 44,000", 44000)]


def test_mentions_carry_sentence_and_offsets():
    text = "Police arrested 14 people."
    m = only(text)
    assert text[m.start:m.end] == "14" and m.sentence == 0 and m.kind == "number" and m.key == "14"


@given(st.integers(min_value=0, max_value=999_999))
def test_parse_number_digits_roundtrip(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=1, max_value=99))
def test_parse_number_words(n):
    units = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    word = units[n] if n < 20 else tens[n // 10] + (f"-{units[n % 10]}" if n % 10 else "")
    assert parse_number(word) == n
