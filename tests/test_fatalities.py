"""Fatality figures (deaths only), their combination per report and reconciliation across reports."""
from __future__ import annotations

import datetime as dt

import pytest

from sitrep.extract.fatalities import FatalityFigure, combine_figures, fatality_figures, reconcile
from sitrep.model import Article, Fatalities, Span
from sitrep.nlp import Analyzer
from sitrep.nlp.dates import DateMatcher
from sitrep.nlp.numbers import NumberMatcher

_ANALYZER = Analyzer([DateMatcher(), NumberMatcher()])


def figures(text: str) -> list[FatalityFigure]:
    doc = _ANALYZER.analyze(Article(id="t", text=text, published=dt.date(2020, 5, 10)))
    return [f for s in doc.sentences for f in fatality_figures(doc, s)]


def total(text: str) -> Fatalities:
    return combine_figures(figures(text))


@pytest.mark.parametrize("text, best", [
    ("Three soldiers were killed when their patrol hit a mine.", 3),
    ("The blast left 12 dead and dozens more wounded.", 12),
    ("Five people died after the bus was set on fire.", 5),
    ("Rescuers recovered the bodies of 7 miners on Sunday.", 7),
    ("The death toll rose to 23, the health ministry said.", 23),
    ("Four family members lost their lives in the air raid.", 4),
    ("Two traders were shot dead at the market.", 2),
    ("An airstrike hit the convoy, killing 9 fighters.", 9),
    ("Security forces said they killed at least 15 militants in the operation.", 15),
    ("Militants claimed to have killed two soldiers and injured five others.", 2),
    ("Clashes erupted near the border. 3 fatalities.", 3),
    ("Dozens of fighters were killed in the assault on the base.", 12),
])
def test_death_figures(text, best):
    assert total(text).best == best


@pytest.mark.parametrize("text", [
    "Eight policemen were injured in the stone-throwing.",
    "Police arrested 40 demonstrators after the march.",
    "Some 3,000 families were displaced by the fighting.",
    "Gunmen abducted 17 students from their dormitory.",
    "Hundreds of fighters entered the town on Friday.",
    "Twelve fishermen remain missing after the attack.",
    "The clashes wounded 6 guards, officials said.",
])
def test_other_harm_is_not_a_death(text):
    f = total(text)
    assert f.best == 0 and not f.known


def test_killed_and_injured_split():
    f = total("Two people were killed and 5 injured in the explosion.")
    assert (f.best, f.known) == (2, True)
    f = total("Seven were wounded and one was killed by the stray shell.")
    assert f.best == 1


def test_victim_groups_sum_with_ranges():
    f = total("At least 5-6 policemen and 9-11 militants were killed in the clashes.")
    assert (f.best, f.low, f.high) == (14, 14, 17)


def test_parts_are_not_added():
    f = total("The raid killed 10 civilians, including 4 children.")
    assert f.best == 10
    f = total("Two militants and five security personnel including one policeman and four army personnel "
              "were killed in the encounter.")
    assert f.best == 7


def test_a_group_told_as_among_the_dead_is_a_part():
    f = total("Gunmen opened fire on the bar, killing eleven people. Two women were among the dead.")
    assert f.best == 11
    assert [x.part for x in figures("Two women were among the dead.")] == [True]


def test_agent_count_is_not_a_victim_count():
    f = total("Three gunmen killed a policeman at the checkpoint.")
    assert f.best == 1


@pytest.mark.parametrize("text", [
    "No casualties were reported.",
    "No one was killed in the fire, police said.",
    "Neither injuries nor fatalities were reported.",
    "The rocket landed in a field without casualties.",
    "There were no injuries or fatalities.",
])
def test_zero_statements(text):
    f = total(text)
    assert (f.best, f.known) == (0, True)


@pytest.mark.parametrize("text", [
    "A man was found dead on a road outside the town.",
    "Gunmen shot and killed a police officer in Kano.",
    "The patrol killed a civilian who failed to stop at the checkpoint.",
    "The body of a woman was found in a ditch near the highway.",
    "A shopkeeper was beaten to death by a mob.",
])
def test_implicit_single_death(text):
    assert total(text).best == 1


def test_implicit_pair():
    assert total("Soldiers reportedly killed a suspected commander and his son in the village.").best == 2


def test_background_killing_is_not_counted():
    f = total("Hundreds protested over the killing of 3 students last month.")
    assert f.best == 0


def test_repeated_figure_counts_once_and_additional_adds():
    assert total("Four soldiers were killed in the ambush. The four soldiers were killed near the bridge.").best == 4
    assert total("Two policemen were killed in the attack. Two militants were also killed.").best == 4
    assert total("A man died in the blast. Another three people died in hospital.").best == 4


def test_later_total_is_not_added_to_earlier_figures():
    f = total("Two soldiers were killed in the first blast. In all, 6 people were killed in the attacks.")
    assert f.best == 6


def test_coded_line_wins_and_split_divides():
    assert total("Militants killed 6 soldiers. Fatalities coded as 3.").best == 3
    assert total("Unknown fatalities coded as 10 and spread across 2 events.").best == 5
    assert total("Two members were killed across two days of clashes. Fatalities coded across 2 events.").best == 1


def test_mixed_outcome_is_not_a_death_count():
    assert total("Five rebels were killed, injured or captured during the operation.").best == 0


def test_figure_span_and_victims():
    figs = figures("Rebels said 14 government soldiers were killed near the airport.")
    assert len(figs) == 1
    f = figs[0]
    assert f.span.text.startswith("14 government soldiers") and f.victims == "government soldiers"


def _fat(best, low=None, high=None):
    return Fatalities(best=best, low=low, high=high, known=True)


def test_reconcile_lowest_best_and_range():
    r = reconcile([_fat(60, 60, 60), _fat(20, 20, 20), Fatalities(), _fat(35, 30, 40)])
    assert (r.best, r.low, r.high, r.known) == (20, 20, 60, True)
    assert reconcile([Fatalities(), Fatalities()]).known is False


def test_combine_empty_is_unknown():
    assert combine_figures([]) == Fatalities()


def test_combine_same_figure_in_one_sentence_once():
    span = Span("a", 0, 1, "x")
    f1 = FatalityFigure(3, 3, 3, span, "soldiers", sentence=0)
    f2 = FatalityFigure(3, 3, 3, span, "soldiers", sentence=0)
    assert combine_figures([f1, f2]).best == 3


def test_two_implicit_deaths_in_one_sentence():
    assert total("A woman died at the scene and the man died later in hospital.").best == 2


@pytest.mark.parametrize("text,best", [
    ("Troops killed all ten attackers in a gunfight that followed.", 10),
    ("Gunmen stormed a clinic on Monday night, killing two women health workers and a child, police said.", 3),
    ("One man and one officer died in the exchange of fire.", 2),
    ("Bandits killed three farmers and a herder was wounded near the river.", 3),
])
def test_all_n_and_one_more_coordinated_victim(text, best):
    assert total(text).best == best


def test_vague_amount_is_a_floor_a_precise_figure_refines():
    dozens = Fatalities(best=12, low=12, high=12, known=True, vague=True)
    precise = Fatalities(best=53, low=53, high=53, known=True)
    media = Fatalities(best=100, low=100, high=100, known=True)
    got = reconcile([dozens, precise, media])
    assert (got.best, got.low, got.high) == (53, 53, 100)
    # a vague amount above the precise figure still widens the range; two precise figures keep the lowest
    hundreds = Fatalities(best=100, low=100, high=100, known=True, vague=True)
    got = reconcile([precise, hundreds, Fatalities(best=40, low=40, high=40, known=True)])
    assert (got.best, got.low, got.high) == (40, 40, 100)


def test_vague_only_report_is_marked():
    assert total("Dozens of people were killed in the raid.").vague
    assert not total("At least 53 people were killed in the raid.").vague


def test_a_sides_claim_about_other_victims_adds_to_the_independent_figure():
    import sitrep

    text = ("Troops repelled an attack by ISWAP fighters on a base in Gwoza late Tuesday, killing 20 of the "
            "attackers, the army said. Seven soldiers died in the fighting.")
    events = [e for e in sitrep.extract(text, published="2023-03-08") if not e.background]
    assert events and events[0].fatalities.best == 27
    same = ("Troops repelled an attack on a base in Gwoza late Tuesday, killing 20 soldiers, the army said. "
            "Local officials said 12 soldiers died.")
    events = [e for e in sitrep.extract(same, published="2023-03-08") if not e.background]
    assert events and events[0].fatalities.best == 12  # the same victims: the independent figure, claim as high


def test_partisan_claims_of_two_sides_give_the_lowest_with_the_range():
    import sitrep

    text = ("A car bomb exploded near a military base in Afgoye on Thursday, killing at least seven soldiers, a "
            "local police officer said. Al Shabaab claimed responsibility through its Andalus radio, saying 27 "
            "soldiers had died.")
    events = [e for e in sitrep.extract(text, published="2023-06-10") if not e.background]
    assert events
    f = events[0].fatalities
    assert (f.best, f.low, f.high) == (7, 7, 27)
