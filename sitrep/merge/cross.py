"""Cross-article merging: reports of one real-world event from different articles become one Event.

Two events (each from one or more reports) are the same real-world event when
- their sub-event types are of the same family (an armed clash and a capture of the same town are one
  battle; see ``sitrep.merge.family``);
  an armed clash and a bombing of one base are one event only with both sides the same, on the same day,
  within 10 km and at a place both name (:func:`_bridged_families`);
- their places are close enough for the coarser of their two geo precisions: 1 -> 10 km, 2 -> 30 km,
  3 -> the same admin1 (and country); or an admin-area account names the other's town in the same admin1
  (one place told at two levels); or one is placed only at the country, the same named armed group acts
  in both, and it names no place (after a locative) that only it mentions;
- their dates overlap within the coarser time precision (1: the same day, 2: three days either side,
  3: the month their range covers);
- their actors are compatible: on each side the same actor, a generic name ("gunmen", "rebels") against a
  named actor of a compatible inter code, a coalition against one of its members, or one side unknown
  (the sides may be told in either order).
Background mentions ("last month Idlib fell") merge like any other report, so they attach to the earlier
event when it is in the index; an event stays background only while all its reports are background.

Close in type, place, date and actors is not enough where many events share all four (two protests in one
city on one day, shelling of two villages of one district): two accounts are kept apart when
- each names a place (after a locative: "in X", "near the village of X", "shelled X", "on X", "north of X",
  "including X"; or before its noun: "the X road", "X neighbourhood") that the other never mentions, or
  they are located at differently named towns (precision 1-2, 2 km or more apart) neither of which the
  other mentions (:func:`distinct_places`);
- one says nobody died and the other gives deaths (:func:`fatalities_irreconcilable`); or each tells one
  victim, a man in one and a woman in the other (:func:`different_victims`);
- both are protests or riots naming who protested (the noun before the verb, or the head of "X of/from Y"),
  and neither names the other's group or a near-synonym, or each names its own organisation (acronyms, none
  shared) (:func:`different_participants`);
- one tells events spread over a district or province ("across", "throughout", "in different villages of")
  and the other one town's (:func:`spread_against_town`);
- either account's own sentences name no place at all: it is placed only by its article's context
  (:func:`names_a_place`).

:class:`EventIndex` is incremental and blocked: events are filed under (family, 7-day date bucket, geo cell)
keys, and a new event is compared only with events filed under the blocks its own time window and
neighbourhood touch, so adding one report costs about the same whatever the index size (see
bench/merge_scale.py).  Hand-written: record-linkage libraries (dedupe, recordlinkage) block and score
flat records, but our rules need the precision-dependent distance and date windows and the actor
hierarchy, and an index that grows one event at a time.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import math
import re
from collections.abc import Iterable
from typing import Any

from sitrep.resolve.gazetteer import _translit_rules
from sitrep.model import (
    ActorRef,
    Claim,
    Contradiction,
    Event,
    EventReport,
    Fatalities,
    Place,
    PlaceMention,
    Span,
)

MIN_CONTENT_OVERLAP = 0.0  # a gate at 0.2 cost half the corpus recall and barely moved the notes (see report)
KM_BY_GEO_PRECISION = {1: 10.0, 2: 30.0}
SLACK_DAYS = {1: 0, 2: 3, 3: 0}  # precision 3 dates are whole months already (date..date_end)
DATE_BUCKET_DAYS = 7
CELL_DEG = 0.5
_MAX_SLACK = max(SLACK_DAYS.values())
_STATE_PREFIXES = ("Military Forces of ", "Police Forces of ", "Government of ")
_GENERIC_PREFIXES = ("Unidentified ", "Civilians", "Protesters", "Rioters", "Rebels", "Labou?r Group")
_ARMED_NON_STATE = {2, 3, 4}
_TERRITORY = {"Non-state actor overtakes territory", "Government regains territory",
              "Non-violent transfer of territory"}


# Across outlets one happening is often told with a different sub-event type of the same event type (a
# "suicide car bomb" in one article is a "blast" or "IED" in the next; a strike is "shelling" in another), so
# the cross-article family is the event type for these; other sub-events keep their own family.
_TYPE_FAMILY = {"Battles": "battle", "Explosions/Remote violence": "explosion", "Protests": "protest",
                "Riots": "riot"}
_SUB_TYPE = {
    "Armed clash": "Battles", "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles", "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence", "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence", "Grenade": "Explosions/Remote violence",
    "Peaceful protest": "Protests", "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests", "Violent demonstration": "Riots", "Mob violence": "Riots",
}


def _family(sub_event_type: str) -> str:
    etype = _SUB_TYPE.get(sub_event_type)
    return _TYPE_FAMILY.get(etype, sub_event_type) if etype else sub_event_type


# ------------------------------------------------------------------------------------------ matching
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def _place(ev: Event) -> Place | None:
    return ev.location.place if ev.location is not None else None


def _located(ev: Event) -> bool:
    p = _place(ev)
    return p is not None and p.lat is not None and p.lon is not None


def places_match(a: Event, b: Event) -> float | None:
    """Distance in km when the two places are close enough for their precisions, else None."""
    pa, pb = _place(a), _place(b)
    if pa is None or pb is None or pa.lat is None or pb.lat is None:
        return None
    km = haversine_km(pa.lat, pa.lon, pb.lat, pb.lon)
    prec = max(a.geo_precision or 3, b.geo_precision or 3)
    if prec >= 3:
        same_area = (pa.country_code == pb.country_code and pa.admin1 is not None
                     and _norm(pa.admin1) == _norm(pb.admin1 or ""))
        return km if same_area else None
    return km if km <= KM_BY_GEO_PRECISION[prec] else None


def _window(ev: Event) -> tuple[dt.date, dt.date] | None:
    if ev.date is None:
        return None
    start, end = ev.date, ev.date_end or ev.date
    if ev.time_precision == 3 and ev.date_end is None:
        start = start.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


def dates_match(a: Event, b: Event) -> int | None:
    """Days between the two date windows (0 when they overlap) if within the coarser precision, else None."""
    wa, wb = _window(a), _window(b)
    if wa is None or wb is None:
        return None
    slack = max(SLACK_DAYS.get(a.time_precision, 3), SLACK_DAYS.get(b.time_precision, 3))
    gap = max((wa[0] - wb[1]).days, (wb[0] - wa[1]).days, 0)
    return gap if gap <= slack else None


def _norm(s: str) -> str:
    return s.casefold().replace("governorate", "").replace("province", "").strip()


@functools.cache
def _name_ids() -> dict[str, str]:
    """Registry actor names (as the resolver writes them) -> ids, for events rebuilt from records."""
    from sitrep.nlp.actors import registry

    reg = registry()
    out: dict[str, str] = {}
    for e in reg.actors.values():
        if e.name:
            out.setdefault(e.name, e.id)
    return out


def _actor_id(a: ActorRef) -> str | None:
    return a.actor_id or _name_ids().get(a.name)


def _is_state(a: ActorRef) -> bool:
    return a.name.startswith(_STATE_PREFIXES)


def _is_generic(a: ActorRef) -> bool:
    import re

    return _actor_id(a) is None and not _is_state(a) and bool(re.match("|".join(_GENERIC_PREFIXES), a.name))


def _state_country(a: ActorRef) -> str:
    name = a.name
    for p in _STATE_PREFIXES:
        name = name.removeprefix(p)
    return name.split(" (")[0]


@functools.cache
def _members(actor_id: str) -> frozenset[str]:
    from sitrep.resolve.actors import ActorResolver

    try:
        return frozenset(ActorResolver().members(actor_id))
    except KeyError:
        return frozenset()


def actors_compatible(a: ActorRef | None, b: ActorRef | None, assoc_a: Iterable[ActorRef] = (),
                      assoc_b: Iterable[ActorRef] = ()) -> bool:
    """One side of two events: the same actor, generic vs named of a compatible inter, a coalition vs one
    of its members (or associated actors), the same state's forces, or one unknown."""
    if a is None or b is None or a.name == b.name:
        return True
    if b.name in {x.name for x in assoc_a} or a.name in {x.name for x in assoc_b}:
        return True
    if _is_state(a) and _is_state(b):
        return _state_country(a) == _state_country(b)
    ga, gb = _is_generic(a), _is_generic(b)
    if ga or gb:
        if a.inter == b.inter:
            return True
        return a.inter in _ARMED_NON_STATE and b.inter in _ARMED_NON_STATE
    ia, ib = _actor_id(a), _actor_id(b)
    if ia and ib:
        return ia in _members(ib) or ib in _members(ia)
    return False


def _specific(a: ActorRef | None) -> bool:
    """A named armed group or a state's forces (not "gunmen", "civilians", "protesters")."""
    return a is not None and not _is_generic(a) and a.inter not in (5, 6, 7)


def actors_conflict(a: ActorRef | None, b: ActorRef | None, assoc_a: Iterable[ActorRef] = (),
                    assoc_b: Iterable[ActorRef] = ()) -> bool:
    """Two specific actors that cannot be the same side (Al Shabaab vs the Islamic State; Russia's forces
    vs Ukraine's).  Generic names never conflict: outlets differ on who the victims or the gunmen were."""
    return _specific(a) and _specific(b) and not actors_compatible(a, b, assoc_a, assoc_b)


def _sides(a: Event, b: Event, swap: bool) -> tuple[tuple, tuple]:
    if swap:
        return ((a.actor1, b.actor2, a.assoc_actor_1, b.assoc_actor_2),
                (a.actor2, b.actor1, a.assoc_actor_2, b.assoc_actor_1))
    return ((a.actor1, b.actor1, a.assoc_actor_1, b.assoc_actor_1),
            (a.actor2, b.actor2, a.assoc_actor_2, b.assoc_actor_2))


def actor_agreement(a: Event, b: Event) -> int | None:
    """None when the actors conflict in both orders; else how many sides name the same actor."""
    best = None
    for swap in (False, True):
        sides = _sides(a, b, swap)
        if any(actors_conflict(*side) for side in sides):
            continue
        same = sum(1 for x, y, _, _ in sides if x is not None and y is not None and x.name == y.name)
        if swap and not same:
            continue  # the sides are read the other way round only when that makes an actor agree
        if swap and same == 2 and a.event_type == b.event_type != "Battles" and a.actor1 is not None \
                and a.actor2 is not None and not _is_generic(a.actor1) and not _is_generic(a.actor2) \
                and a.actor1.name != a.actor2.name:
            continue  # "A shelled B" and "B shelled A": in one-sided violence, two events
        if swap and a.event_type == b.event_type != "Battles" and _specific(a.actor1) and _specific(b.actor1) \
                and actors_conflict(a.actor1, b.actor1):
            continue  # ("A fired at B's areas" and "B shelled A": each side's own fire, two events)
        best = same if best is None else max(best, same)
    return best


def events_actors_compatible(a: Event, b: Event) -> bool:
    return actor_agreement(a, b) is not None


def _big_city(ev: Event) -> bool:
    p = _place(ev)
    return p is not None and (ev.geo_precision or 3) == 1 and (p.population or 0) >= 500_000


def _shared_named(a: Event, b: Event) -> bool:
    """A named actor (a group or a state's forces, not "gunmen" or "protesters") on both accounts."""
    names = {x.name for x in (a.actor1, a.actor2) if _specific(x)}
    return any(x.name in names for x in (b.actor1, b.actor2) if _specific(x))


def _shared_specific(a: Event, b: Event) -> bool:
    names = {x.name for x in (a.actor1, a.actor2) if _specific(x) and not _is_state(x)}
    return any(x.name in names for x in (b.actor1, b.actor2) if _specific(x))


def match_score(a: Event, b: Event) -> float | None:
    """None when a and b cannot be one event; else a score (higher: a closer match)."""
    same_family = _family(a.sub_event_type) == _family(b.sub_event_type)
    if not same_family and not _bridged_families(a, b):
        return None
    gap = dates_match(a, b)
    if gap is None:
        return None
    agree = actor_agreement(a, b)
    if agree is None:
        return None
    if not same_family and (agree < 2 or gap > 0):
        return None  # a clash told as a bombing: only with both sides the same, on the same day
    km = places_match(a, b)
    if km is None:
        km = _two_level_km(a, b)
    if km is None:
        # a place known only as the country: the same named armed group on the same dates
        if not ((_country_level(a) or _country_level(b)) and _same_country(a, b) and _shared_specific(a, b)):
            return None
        if _names_elsewhere(a, b) or _names_elsewhere(b, a):
            return None
        km = 30.0
    if not same_family and (km > KM_BY_GEO_PRECISION[1] or not _shared_locatives(a, b)):
        return None
    if (distinct_places(a, b) or fatalities_irreconcilable(a, b) or different_participants(a, b)
            or spread_against_town(a, b) or different_victims(a, b) or different_weapons(a, b)
            or different_grievances(a, b)):
        return None
    if not (names_a_place(a) and names_a_place(b)):
        return None  # an account whose sentences name no place is placed only by its article's context
    if gap > 0 and not _shared_named(a, b) and _big_city(a) and _big_city(b):
        return None  # in a city of half a million, unnamed killers or crowds on different days are many events
    ga, gb = a.geo_precision or 3, b.geo_precision or 3
    if max(ga, gb) >= 3 and ga != gb and not _shared_named(a, b) and not _shared_locatives(a, b):
        return None  # a province-wide account joins a town's only on a named actor or a shared place name
    score = 3.0 - gap - km / 30.0 + 0.5 * agree
    score += 1.0 if a.sub_event_type == b.sub_event_type else 0.0
    score += 0.5 if (a.actor1 and b.actor1 and a.actor1.name == b.actor1.name) else 0.0
    score += 0.5 if a.background == b.background else 0.0
    return score


# An armed attack on a base "with explosives" is an IED in one outlet and a clash in the next.
_BRIDGED = frozenset([frozenset(["battle", "explosion"])])


def _bridged_families(a: Event, b: Event) -> bool:
    return frozenset([_family(a.sub_event_type), _family(b.sub_event_type)]) in _BRIDGED


def _shared_locatives(a: Event, b: Event) -> bool:
    """Both accounts name one place after a locative (the village or base the event happened at)."""
    la, lb = {n.casefold() for n in locative_names(a)}, {n.casefold() for n in locative_names(b)}
    return bool(la & lb)


def _names_elsewhere(vague: Event, other: Event) -> bool:
    """A country-level account whose places (named after a locative) the other account never mentions: it was
    placed at the country only because its province or town is not in the gazetteer."""
    names = locative_names(vague)
    return _country_level(vague) and bool(names) and _unshared(names, _evidence_text(other)) == names


def _two_level_km(a: Event, b: Event) -> float | None:
    """One place told at two levels: an admin-area account (a district, a province) whose own text names
    the other account's town, in the same admin1."""
    for coarse, fine in ((a, b), (b, a)):
        pc, pf = _place(coarse), _place(fine)
        if pc is None or pf is None or not pc.admin1 or not pf.admin1:
            continue
        if (coarse.geo_precision or 3) <= (fine.geo_precision or 3):
            continue
        if pc.country_code != pf.country_code or _norm(pc.admin1) != _norm(pf.admin1):
            continue
        if _named_in(fine, _evidence_text(coarse)):
            return KM_BY_GEO_PRECISION[2]
    return None


# ------------------------------------------------------------------------------------------ distinct places
# A named place after a locative ("in Kafr Takharim", "near the village of Vesele", "in the area of Sakhanka").
# Regular expressions rather than the place matcher: events rebuilt from stored records keep only their evidence
# text, and the names that tell two events apart are often villages or neighbourhoods no gazetteer holds.
_PLACE_NOUN = (r"(?:village|town|city|area|district|locality|neighbou?rhood|community|camp|region|province|"
               r"township|suburbs?|outskirts|vicinity|countryside|colonia|fraccionamiento|barrio|bairro|"
               r"libramiento|comunidad)")
# Places named before their noun ("the Qasqas road", "in Al Falah neighborhood", "Rathedaung Township"): the
# streets and quarters that tell two protests or strikes in one city apart.
_NOUN_AFTER = (r"(?:neighbou?rhood|quarter|district|area|village|township|camp|road|street|avenue|highway|"
               r"intersection|junction|roundabout|square|bridge|market|airport|base|checkpoint|complex|factory)")
# a name after a locative, from a capital ("Aleppo") or a lower-case article glued to it ("al-Shamsani"; the
# article forms are the transliteration registry's)
_NAME = (r"((?:(?:" + "|".join(sorted(_translit_rules()[0], key=len, reverse=True)) + r")-)?"
         r"(?:[A-Z][\w'\u2019-]+)(?:\s+(?:(?:del|de|da|do|al|el|las|los)\b|[A-Z][\w'\u2019-]+))*)")
_DIRECTION = r"(?:north|south|east|west)(?:-?(?:east|west))?"
_LOCATIVE = re.compile(
    rf"\b(?:(?:in|near|at|on|outside(?:\s+of)?|around|from|including|control\s+of|{_DIRECTION}\s+of|shelled|"
    rf"bombed|struck|raided|stormed|overran|seized|captured|attacked)"
    rf"\s+(?:the\s+)?(?:{_PLACE_NOUN}\s+(?:of\s+)?)?|{_PLACE_NOUN}\s+of\s+){_NAME}"
    rf"|\b{_NAME}\s+{_NOUN_AFTER}\b")
_NOT_PLACE = frozenset([
    "On", "In", "At", "The", "A", "An", "After", "Before", "During", "Around", "As", "Some", "Several",
    "According", "Police", "Military", "Government", "Forces", "Army", "Saturday", "Sunday", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December", "Protesters", "Civilians"])


def _located_name(m: re.Match) -> str:
    return m.group(1) or m.group(2) or ""


def _evidence_text(ev: Event) -> str:
    return " ".join(s.text for s in ev.evidence)


def _words(*names: str | None) -> set[str]:
    return {w for n in names if n for w in re.findall(r"\w+", n.casefold())}


def _area_words(ev: Event) -> set[str]:
    """The words of the areas an event's place lies in (admin1, admin2, country), not of the place itself:
    "Dantewada district of Chhattisgarh" and "near Aranpur in Dantewada" are one place told at two levels."""
    p = _place(ev)
    if p is None:
        return set()
    own = _words(p.name, ev.location.span.text if ev.location is not None else None)
    return _words(p.admin1, p.country) | (_words(p.admin2) - own)


def locative_names(ev: Event) -> set[str]:
    """Places named after a locative in the evidence ("in X", "near the village of X"), other than the areas
    the event's place lies in."""
    own = _area_words(ev)
    out: set[str] = set()
    for m in _LOCATIVE.finditer(_evidence_text(ev)):
        words = [w for w in _located_name(m).split() if w not in _NOT_PLACE]
        if words and not all(w.casefold() in own for w in words):
            out.add(" ".join(words))
    return out


def _unshared(names: set[str], other_text: str) -> set[str]:
    low = other_text.casefold()
    return {n for n in names if n.casefold() not in low}


def distinct_places(a: Event, b: Event) -> bool:
    """Evidence that two nearby accounts tell events at different places: each names a place (a village, a
    neighbourhood) the other never mentions, or both are located at differently named towns (geo precision 1
    or 2, 2 km or more apart), neither of which the other account mentions.  Retellings of one event name its place; two protests in one city or
    shelling of two villages in one district name theirs."""
    ta, tb = _evidence_text(a), _evidence_text(b)
    if _unshared(locative_names(a), tb) and _unshared(locative_names(b), ta):
        return True
    pa, pb = _place(a), _place(b)
    if pa is None or pb is None:
        return False
    if pa.geonameid is not None and pa.geonameid == pb.geonameid:
        return False
    if _norm(pa.name) == _norm(pb.name) or pa.lat is None or pb.lat is None:
        return False
    if haversine_km(pa.lat, pa.lon, pb.lat, pb.lon) < 2.0:  # one place under two gazetteer entries
        return False
    if max(a.geo_precision or 3, b.geo_precision or 3) >= 3:
        return False  # an admin-area (or country) account may tell the event at a town without naming it
    return not _named_in(a, tb) and not _named_in(b, ta)


def _named_in(ev: Event, text: str) -> bool:
    """Whether ``text`` names the event's place (its gazetteer name or the words its own text used)."""
    low = text.casefold()
    p = _place(ev)
    names = [p.name] if p is not None and p.name else []
    if ev.location is not None and ev.location.span.text:
        names.append(ev.location.span.text)
    return any(n.casefold() in low for n in names)


# Who protested: the noun before the protest verb ("traders protested", "residents held a sit-in").  Two
# protests at one place and day are told apart by their participants far more often than by anything else;
# retellings name the same group, or a near-synonym from this short list (hand-written: no thesaurus ships with
# the project's dependencies).
_PROTEST_SUBJECT = re.compile(
    r"\b([A-Za-z][a-z'-]+)\s+(?:also\s+|have\s+|had\s+|were\s+)?"
    r"(?:protested|staged|held|demonstrated|gathered|rallied|marched|took\s+to\s+the\s+streets|went\s+on\s+strike|"
    r"blocked|chanted|picketed)\b")
_NOT_SUBJECT = frozenset(["who", "they", "which", "that", "also", "have", "had", "were", "was", "then", "and",
                          "people", "hundreds", "thousands", "dozens", "several", "many", "some", "others",
                          "group", "groups", "crowd", "protesters", "demonstrators", "protestors", "members"])
_SAME_GROUP = [frozenset(g.split()) for g in (
    "trader shopkeeper merchant vendor businessman businessmen shop-owner",
    "worker employee staff labourer laborer",
    "resident local villager inhabitant citizen neighbour neighbor",
    "student pupil",
    "farmer peasant grower",
    "doctor physician nurse medic",
    "teacher lecturer",
    "driver motorist",
)]


def _stem(word: str) -> str:
    """A plural's singular, roughly (traders -> trader, militias -> militia, marches -> march)."""
    w = word.casefold()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def protest_subjects(ev: Event) -> set[str]:
    """The participants' nouns of a protest or riot account (stemmed), e.g. {"trader"}."""
    if _family(ev.sub_event_type) not in ("protest", "riot"):
        return set()
    out = set()
    text = _evidence_text(ev)
    for m in _PROTEST_SUBJECT.finditer(text):
        w = m.group(1).casefold()
        proper = m.group(1)[0].isupper() and text[:m.start(1)].strip()[-1:] not in ("", ".", "|")
        if w not in _NOT_SUBJECT and len(w) > 3 and not proper:  # "in Zapopan demonstrated": a place
            out.add(_stem(w))
    for m in _PROTEST_VERB.finditer(text):
        head = _subject_head(text[:m.start()])
        if head:
            out.add(head)
    return out


_PROTEST_VERB = re.compile(r"\b(?:protested|staged|held|demonstrated|gathered|rallied|marched|took\s+to\s+the\s+streets|"
                           r"went\s+on\s+strike|blocked|picketed)\b")


_QUANTIFIER = re.compile(r"^\s*(?:(?:a|an|the|some|several|many|hundreds|thousands|dozens|scores|number|group|"
                         r"members|crowd|couple|handful)\s+(?:of\s+)?)+", re.IGNORECASE)
_CLAUSE_CUT = re.compile(r"\s+(?:of|from|in|at|with|outside|near|who|under)\s+")


def _subject_head(before_verb: str) -> str | None:
    """The head noun of a protest's subject told with a qualifier: "neighbors of Colonia Miramar" -> neighbor,
    "market traders from the city" -> trader (the word before the first preposition of the clause)."""
    for _ in range(2):  # "(SUCI(C))": nested asides
        before_verb = re.sub(r"\([^()]*\)", "", before_verb)
    clause = _QUANTIFIER.sub("", re.split(r"[,;.\[\]()]", before_verb[-200:])[-1])
    parts = _CLAUSE_CUT.split(clause, maxsplit=1)
    if len(parts) < 2:
        return None
    words = re.findall(r"[A-Za-z][a-z'-]+", parts[0])
    if not words:
        return None
    w = words[-1].casefold()
    return _stem(w) if w not in _NOT_SUBJECT and len(w) > 3 else None


_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")


def _organisations(ev: Event) -> set[str]:
    """Acronyms of organisations an account names (BJP, UNRWA), for telling two groups' protests apart."""
    return set(_ACRONYM.findall(_evidence_text(ev)))


def _group_of(word: str) -> frozenset[str]:
    for g in _SAME_GROUP:
        if word in g:
            return g
    return frozenset([word])


def different_participants(a: Event, b: Event) -> bool:
    """Two protest accounts each naming who protested, and neither group named (or a near-synonym of it) in
    the other account."""
    if _family(a.sub_event_type) not in ("protest", "riot") or _family(b.sub_event_type) not in ("protest", "riot"):
        return False
    oa, ob = _organisations(a), _organisations(b)
    if oa and ob and not (oa & ob):
        return True  # each names its own organisation (one party's workers, another union's members)
    ra, rb = _organisers(a), _organisers(b)
    if ra and rb and not (ra & rb):
        return True  # "organized by Civic Resistance" and "initiated by Don't Let Belgrade Drown"
    sa, sb = protest_subjects(a), protest_subjects(b)
    if not sa or not sb:
        return False
    words_a = {_stem(w) for w in re.findall(r"[a-z][a-z'-]+", _evidence_text(a).casefold())}
    words_b = {_stem(w) for w in re.findall(r"[a-z][a-z'-]+", _evidence_text(b).casefold())}
    in_b = any(_group_of(w) & words_b for w in sa)
    in_a = any(_group_of(w) & words_a for w in sb)
    return not in_a and not in_b

# What a crowd protested against or demanded: "against the government", "demanding unpaid wages".
_GRIEVANCE = re.compile(r"\b(?:against|over|demanding|to\s+demand|in\s+protest\s+(?:of|against)|calling\s+for|"
                        r"to\s+protest)\s+((?:[\w'-]+\s+){0,7}[\w'-]+)", re.IGNORECASE)


def _grievance_words(ev: Event) -> set[str]:
    return {_stem(w) for m in _GRIEVANCE.finditer(_evidence_text(ev))
            for w in re.findall(r"[a-z][a-z'-]{3,}", m.group(1).casefold()) if w not in _STOP}


def different_grievances(a: Event, b: Event) -> bool:
    """Two protest accounts placed at two differently named places (a city and one of its districts) that each
    say what was protested against or demanded, with no word of it shared ("against the government" and
    "against construction work on a trolleybus line"): two crowds."""
    if _family(a.sub_event_type) not in ("protest", "riot") or _family(b.sub_event_type) not in ("protest", "riot"):
        return False
    pa, pb = _place(a), _place(b)
    if pa is None or pb is None or pa.name == pb.name:
        return False  # (retellings of one protest word its grievance differently: only at two places told)
    ga, gb = _grievance_words(a), _grievance_words(b)
    return bool(ga) and bool(gb) and not (ga & gb)


# Weapon kinds of remote fire, one word per kind (what outlets retelling one barrage share at least one of).
_WEAPON_KIND = {"mortar": "mortar", "mortars": "mortar", "artillery": "artillery", "howitzer": "artillery",
                "howitzers": "artillery", "rocket": "rocket", "rockets": "rocket", "grad": "rocket",
                "katyusha": "rocket", "missile": "missile", "missiles": "missile", "machine": "machine gun",
                "machineguns": "machine gun", "rpg": "rpg", "rpgs": "rpg", "b-10": "recoilless",
                "recoilless": "recoilless", "tank": "tank", "drone": "drone", "drones": "drone", "sniper": "sniper"}


def _weapon_kinds(ev: Event) -> set[str]:
    return {_WEAPON_KIND[w] for w in re.findall(r"[a-z][a-z0-9-]*", _evidence_text(ev).casefold()) if w in _WEAPON_KIND}


def different_weapons(a: Event, b: Event) -> bool:
    """Two shelling accounts each naming the weapons fired, with no kind in common (machine guns in one,
    mortars and RPGs in the other): two barrages, each its own event."""
    if a.sub_event_type != "Shelling/artillery/missile attack" or b.sub_event_type != a.sub_event_type:
        return False
    wa, wb = _weapon_kinds(a), _weapon_kinds(b)
    return len(wa) >= 1 and len(wb) >= 1 and not (wa & wb) and len(wa | wb) >= 3


_ORGANISER = re.compile(r"\b(?:organi[sz]ed|initiated|called|convened|led)\s+by\s+(?:the\s+)?"
                        r"((?:[A-Z][\w'()-]*\s+){0,5}[A-Z][\w'()-]*)")


def _organisers(ev: Event) -> set[str]:
    """Capitalised words of who organised a protest ("organized by Civic Resistance")."""
    return {w.casefold() for m in _ORGANISER.finditer(_evidence_text(ev)) for w in m.group(1).split()
            if len(w) > 2}


def names_a_place(ev: Event) -> bool:
    """Whether the event's own sentences name a place: its location, or any place after a locative."""
    text = _evidence_text(ev)
    if _named_in(ev, text):
        return True
    return any(w not in _NOT_PLACE for m in _LOCATIVE.finditer(text) for w in _located_name(m).split())

# An account of many places at once ("staged protests across Punjab", "in different villages of the district").
_SPREAD = re.compile(
    r"\b(?:(?:all\s+)?across|throughout|all\s+over|nationwide|statewide|countrywide|province-wide|"
    r"in\s+(?:several|different|various|many|multiple)\s+(?:areas|parts|villages|towns|cities|districts|places|"
    r"locations))\b", re.IGNORECASE)


def spread_against_town(a: Event, b: Event) -> bool:
    """One account tells events spread over an area (a district, a province: geo precision 2-3), the other
    one town's (precision 1) without such words: the town's event is one of many, not the whole."""
    for wide, town in ((a, b), (b, a)):
        if ((wide.geo_precision or 3) >= 2 and (town.geo_precision or 3) == 1
                and _SPREAD.search(_evidence_text(wide)) and not _SPREAD.search(_evidence_text(town))):
            return True
    return False


# A lone victim told by sex ("a man was shot dead", "the body of a woman was found").
_VICTIM = re.compile(r"\b(?:a|an|one)\s+(?:young\s+|elderly\s+|\d+-year-old\s+)?"
                     r"(man|boy|policeman|woman|girl|policewoman)\b", re.IGNORECASE)
_FEMALE = frozenset(["woman", "girl", "policewoman"])


def _victim_sexes(ev: Event) -> set[str]:
    return {"f" if m.group(1).casefold() in _FEMALE else "m" for m in _VICTIM.finditer(_evidence_text(ev))}


def different_victims(a: Event, b: Event) -> bool:
    """Two accounts of one death each telling a lone victim, one a man and the other a woman."""
    if a.fatalities.best != 1 or b.fatalities.best != 1:
        return False
    va, vb = _victim_sexes(a), _victim_sexes(b)
    return len(va) == 1 and len(vb) == 1 and va != vb


def fatalities_irreconcilable(a: Event, b: Event) -> bool:
    """One account says explicitly that nobody died, the other gives deaths."""
    fa, fb = a.fatalities, b.fatalities
    if not (fa.known and fb.known):
        return False
    return (fa.best == 0 and not fa.high and fb.best > 0) or (fb.best == 0 and not fb.high and fa.best > 0)


_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_STOP = frozenset(["about", "after", "against", "also", "among", "around", "been", "before", "being", "between", "both", "could", "days", "during", "each", "from", "have", "having", "into", "more", "most", "near", "night", "other", "over", "said", "says", "since", "some", "such", "than", "that", "their", "them", "then", "there", "these", "they", "this", "those", "through", "told", "under", "until", "were", "what", "when", "where", "which", "while", "with", "would", "according", "reported", "people", "killed", "least", "saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december", "local", "officials", "official", "sources", "source", "police", "report", "reports", "statement"])


def content_tokens(ev: Event) -> set[str]:
    """Content words of an event's evidence (lower case, 4+ letters), without stop words and the names of its
    place, for comparing retellings."""
    text = " ".join(s.text for s in ev.evidence).lower()
    place = _place(ev)
    drop = set(_WORD.findall(place.name.lower())) if place is not None and place.name else set()
    if ev.location is not None:
        drop |= set(_WORD.findall(ev.location.span.text.lower()))
    return {t.rstrip("s") for t in _WORD.findall(text) if t not in _STOP and t not in drop}


# ------------------------------------------------------------------------------------------ blocking
def _bucket(d: dt.date) -> int:
    return d.toordinal() // DATE_BUCKET_DAYS


def _buckets(start: dt.date, end: dt.date) -> range:
    return range(_bucket(start), _bucket(end) + 1)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


def _neighbour_cells(lat: float, lon: float) -> list[tuple[int, int]]:
    cy, cx = _cell(lat, lon)
    reach_km = KM_BY_GEO_PRECISION[2]
    ny = max(1, math.ceil(reach_km / (111.0 * CELL_DEG)))
    nx = max(1, math.ceil(reach_km / (111.0 * CELL_DEG * max(0.05, math.cos(math.radians(lat))))))
    return [(cy + dy, cx + dx) for dy in range(-ny, ny + 1) for dx in range(-nx, nx + 1)]


def _country_level(ev: Event) -> bool:
    p = _place(ev)
    return p is not None and (p.admin1 is None or (p.feature_code or "").startswith("PCL"))


def _country_key(ev: Event) -> str | None:
    p = _place(ev)
    if p is None:
        return None
    return p.country_code or (_country_code(p.country) if p.country else None)


def _same_country(a: Event, b: Event) -> bool:
    ca, cb = _country_key(a), _country_key(b)
    return ca is not None and ca == cb


def _area(ev: Event) -> tuple[str, str] | None:
    p = _place(ev)
    if p is None or not p.admin1 or _country_level(ev):
        return None
    cc = _country_key(ev)
    return (cc, _norm(p.admin1)) if cc else None


def _store_keys(ev: Event) -> set[tuple]:
    """The blocks an event is filed under."""
    win = _window(ev)
    if win is None or _place(ev) is None:
        return set()
    fam = _family(ev.sub_event_type)
    p = _place(ev)
    keys: set[tuple] = set()
    area = _area(ev)
    country = _country_key(ev)
    for b in _buckets(*win):
        if country:
            keys.add((fam, b, "country", country))
            if _country_level(ev):
                keys.add((fam, b, "country0", country))
                continue
        if not _located(ev):
            continue
        if (ev.geo_precision or 3) < 3:
            keys.add((fam, b, "cell", _cell(p.lat, p.lon)))
        if area and ((ev.geo_precision or 3) >= 3 or (p.feature_code or "").startswith("ADM")):
            keys.add((fam, b, "area3", area))  # admin-area places (a province, a district), found by precise ones
        if area:
            keys.add((fam, b, "area", area))
    return keys


def _query_families(fam: str) -> set[str]:
    """The family and those bridged to it (a clash told as an IED)."""
    return {fam} | {f for pair in _BRIDGED if fam in pair for f in pair}


def _query_keys(ev: Event) -> set[tuple]:
    """The blocks that can hold a match for ``ev``."""
    win = _window(ev)
    if win is None or _place(ev) is None:
        return set()
    p = _place(ev)
    area = _area(ev)
    country = _country_key(ev)
    start, end = win[0] - dt.timedelta(days=_MAX_SLACK), win[1] + dt.timedelta(days=_MAX_SLACK)
    keys: set[tuple] = set()
    for fam, b in itertools.product(_query_families(_family(ev.sub_event_type)), _buckets(start, end)):
        if country:
            if _country_level(ev):
                keys.add((fam, b, "country", country))
                continue
            keys.add((fam, b, "country0", country))
        if not _located(ev):
            continue
        if (ev.geo_precision or 3) < 3:
            for c in _neighbour_cells(p.lat, p.lon):
                keys.add((fam, b, "cell", c))
            if area:
                keys.add((fam, b, "area3", area))
        elif area:
            keys.add((fam, b, "area", area))
    return keys


# ------------------------------------------------------------------------------------------ the index
class EventIndex:
    """Events merged across articles, incrementally: ``add`` files a new event or merges it into a stored one."""

    def __init__(self) -> None:
        self.events: dict[str, Event] = {}
        self._blocks: dict[tuple, set[str]] = {}
        self._keys: dict[str, set[tuple]] = {}
        self._tokens: dict[str, set[str]] = {}
        self._df: dict[str, int] = {}
        self._ndocs = 0
        self.comparisons = 0  # candidate pairs scored (for the scale bench)

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self):
        return iter(self.events.values())

    # ---- content: retellings of one event share its particular words (the market, the checkpoint, the
    # budget tax); distinct events at one place and day share only the formula ("protested in Belgrade")
    def _doc_tokens(self, ev: Event) -> set[str]:
        return content_tokens(ev)

    def _count(self, toks: set[str], sign: int) -> None:
        self._ndocs += sign
        for t in toks:
            self._df[t] = self._df.get(t, 0) + sign

    def content_overlap(self, a: set[str], b: set[str]) -> float:
        """IDF-weighted share of the smaller token set found in the other (0..1)."""
        if not a or not b:
            return 1.0  # nothing to compare: no evidence against
        n = max(self._ndocs, 1) + 1
        idf = {t: math.log(n / (1 + self._df.get(t, 0))) + 0.1 for t in a | b}
        shared = sum(idf[t] for t in a & b)
        return shared / min(sum(idf[t] for t in a), sum(idf[t] for t in b))

    def candidates(self, event: Event) -> list[Event]:
        ids: set[str] = set()
        for k in _query_keys(event):
            ids |= self._blocks.get(k, set())
        ids.discard(event.event_id)
        return [self.events[i] for i in sorted(ids)]

    def best_match(self, event: Event) -> Event | None:
        best, best_score = None, -math.inf
        toks = None
        for cand in self.candidates(event):
            self.comparisons += 1
            s = match_score(cand, event)
            if s is None:
                continue
            if toks is None:
                toks = self._doc_tokens(event)
            overlap = self.content_overlap(toks, self._tokens.get(cand.event_id, set()))
            if overlap < MIN_CONTENT_OVERLAP:
                continue
            s += overlap
            if s > best_score:
                best, best_score = cand, s
        return best

    def add(self, event: Event) -> Event:
        """Merge ``event`` into the stored event it tells (returned), or store it and return it."""
        target = self.best_match(event)
        if target is None:
            eid, k = event.event_id, 1
            while eid in self.events:  # two articles can give the same id only by accident
                k += 1
                eid = f"{event.event_id}-{k}"
            if eid != event.event_id:
                event = dataclasses.replace(event, event_id=eid)
            self._file(event)
            return event
        merged = combine(target, event)
        self._unfile(target.event_id)
        self._file(merged)
        return merged

    def replace(self, event: Event) -> None:
        """Put ``event`` in the place of the stored event with its id (the store files events in their
        record form)."""
        self._unfile(event.event_id)
        self._file(event)

    def _file(self, ev: Event) -> None:
        self.events[ev.event_id] = ev
        toks = self._doc_tokens(ev)
        self._tokens[ev.event_id] = toks
        self._count(toks, 1)
        keys = _store_keys(ev)
        self._keys[ev.event_id] = keys
        for k in keys:
            self._blocks.setdefault(k, set()).add(ev.event_id)

    def _unfile(self, event_id: str) -> None:
        toks = self._tokens.pop(event_id, None)
        if toks is not None:
            self._count(toks, -1)
        for k in self._keys.pop(event_id, set()):
            ids = self._blocks.get(k)
            if ids is not None:
                ids.discard(event_id)
                if not ids:
                    del self._blocks[k]
        self.events.pop(event_id, None)

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> EventIndex:
        """Rebuild an index from stored event records (``sitrep.export.event_record`` dicts).

        The records are filed as they are (they were merged when stored); later ``add`` calls merge new
        events into them."""
        idx = cls()
        for rec in records:
            idx._file(event_from_record(rec))
        return idx


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge a batch of events (from many articles) into real-world events, in input order."""
    idx = EventIndex()
    order: list[str] = []
    for ev in events:
        before = set(idx.events)
        out = idx.add(ev)
        if out.event_id not in before:
            order.append(out.event_id)
    return [idx.events[i] for i in order if i in idx.events]


# ------------------------------------------------------------------------------------------ combining
def combine(stored: Event, new: Event) -> Event:
    """One Event from two: every report kept, fields recomputed by the merge rules, the stored id kept."""
    from sitrep.merge import build_event, summary

    reports = list(stored.reports) + [r for r in new.reports if r not in stored.reports]
    ev = build_event(reports)
    ev.event_id = stored.event_id
    ev.background = all(r.background for r in reports)
    if not ev.background and ev.sub_event_type != stored.sub_event_type:
        # the sub-event type comes from a current report when there is one
        current = [r for r in reports if not r.background]
        if current and all(r.sub_event_type != ev.sub_event_type for r in current):
            lead = max(current, key=lambda r: (r.sub_event_type in _TERRITORY, r.confidence))
            ev.event_type, ev.sub_event_type = lead.event_type, lead.sub_event_type
    _keep_two_sides(ev, stored, new)
    ev.contradictions = _with_stored(stored, contradictions(ev))
    ev.notes = summary(ev)
    return ev


def _keep_two_sides(ev: Event, *sources: Event) -> None:
    """Reports that tell the sides in opposite orders ("the ELN attacked the army" / "troops clashed with the
    ELN") can leave one actor on both sides; the sides are then taken from a source event that keeps two."""
    if not (ev.actor1 and ev.actor2 and ev.actor1.name == ev.actor2.name):
        return
    for src in sources:
        if src.actor1 and src.actor2 and src.actor1.name != src.actor2.name:
            ev.actor1, ev.actor2 = src.actor1, src.actor2
            ev.assoc_actor_1, ev.assoc_actor_2 = list(src.assoc_actor_1), list(src.assoc_actor_2)
            return


def _with_stored(stored: Event, found: list[Contradiction]) -> list[Contradiction]:
    """The contradictions found now, with those a stored event (rebuilt from its record, so its reports are
    one summary) already held: the summary's own values stand for the stored ones where those are kept."""
    summaries = {r.article_id for r in stored.reports if "from_record" in r.flags}
    if not summaries or not stored.contradictions:
        return found
    out = {c.field: Contradiction(field=c.field, values=list(c.values)) for c in stored.contradictions}
    for c in found:
        if c.field not in out:
            out[c.field] = c
            continue
        kept = out[c.field].values
        seen = {_value_key(v) for v in kept}
        for v in c.values:
            if v.get("article_id") in summaries or _value_key(v) in seen:
                continue
            seen.add(_value_key(v))
            kept.append(v)
        if c.field == "fatalities":
            kept.sort(key=lambda v: v["value"])
    return list(out.values())


def _value_key(v: dict[str, Any]) -> tuple:
    return (str(v.get("value")), v.get("article_id"), v.get("source"), v.get("start"), v.get("end"))


# ------------------------------------------------------------------------------------------ contradictions
def _source_of(r: EventReport) -> str:
    for c in r.claims:
        if c.stance == "asserts":
            return c.source
    return r.document_id or r.article_id


def _claim_value(c: Claim, value: Any) -> dict[str, Any]:
    return {"value": value, "source": c.source, "source_kind": c.source_kind, "stance": c.stance,
            "via": c.via, "article_id": c.span.article_id, "text": c.span.text, "start": c.span.start,
            "end": c.span.end}


def _report_value(r: EventReport, value: Any, spans: list[Span]) -> dict[str, Any]:
    s = spans[0] if spans else r.trigger
    return {"value": value, "source": _source_of(r), "stance": "asserts", "article_id": r.article_id,
            "document_id": r.document_id, "text": s.text, "start": s.start, "end": s.end}


def contradictions(event: Event) -> list[Contradiction]:
    """Claims and reports about one event that disagree, side by side.

    - fatalities: reports (within one article or across articles) that give different tolls, and partisan
      figures kept only as high;
    - territory (for changes of territory) or occurrence (other events): sources that assert the event
      beside sources that dispute ("redeployed") or deny it;
    - actor1: reports that name different, incompatible perpetrators ("who is responsible").
    """
    out: list[Contradiction] = []
    fat = _fatality_contradiction(event)
    if fat is not None:
        out.append(fat)
    stance = _stance_contradiction(event)
    if stance is not None:
        out.append(stance)
    blame = _actor_contradiction(event)
    if blame is not None:
        out.append(blame)
    return out


def _fatality_contradiction(event: Event) -> Contradiction | None:
    values: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for r in event.reports:
        f = r.fatalities
        if f.known:
            key = (r.article_id, f.best)
            if key not in seen:
                seen.add(key)
                values.append(_report_value(r, f.best, f.spans))
        elif f.high:  # only a partisan figure: kept as a high
            key = (r.article_id, f.high)
            if key not in seen:
                seen.add(key)
                v = _report_value(r, f.high, f.spans)
                v["partisan"] = True
                values.append(v)
    if len({v["value"] for v in values}) < 2:
        return None
    return Contradiction(field="fatalities", values=sorted(values, key=lambda v: v["value"]))


def _stance_contradiction(event: Event) -> Contradiction | None:
    claims = event.claims or [c for r in event.reports for c in r.claims]
    stances = {c.stance for c in claims}
    if not (stances & {"disputes", "denies"}):
        return None
    field = "territory" if event.sub_event_type in _TERRITORY else "occurrence"
    values = [_claim_value(c, c.stance) for c in claims]
    if "asserts" not in stances:
        # every source disputes: the event itself is what the article (its own voice) asserts
        values.insert(0, _report_value(event.reports[0], "asserts", event.reports[0].evidence))
    return Contradiction(field=field, values=values)


def _actor_contradiction(event: Event) -> Contradiction | None:
    named = [(r, r.actor1) for r in event.reports if r.actor1 is not None and not _is_generic(r.actor1)]
    if len({a.name for _, a in named}) < 2:
        return None
    clash = any(not actors_compatible(a, b, ra.assoc_actor_1, rb.assoc_actor_1)
                for (ra, a), (rb, b) in itertools.combinations(named, 2))
    if not clash:
        return None
    values, seen = [], set()
    for r, a in named:
        if (r.article_id, a.name) not in seen:
            seen.add((r.article_id, a.name))
            values.append(_report_value(r, a.name, a.spans))
    return Contradiction(field="actor1", values=values)


# ------------------------------------------------------------------------------------------ records
def _actor_from(name: str | None, inter: int | None) -> ActorRef | None:
    if not name:
        return None
    return ActorRef(name=name, inter=int(inter or 0), actor_id=_name_ids().get(name))


def _date(v: str | None) -> dt.date | None:
    return dt.date.fromisoformat(v[:10]) if v else None


def event_from_record(rec: dict[str, Any]) -> Event:
    """An Event (with one summary report standing for the stored ones) from an ``event_record`` dict."""
    aid = str(rec.get("document_id") or rec.get("event_id"))
    loc = None
    if rec.get("location") or rec.get("latitude") is not None:
        place = Place(geonameid=None, name=rec.get("location") or "", country_code=rec.get("country_code"),
                      lat=rec.get("latitude"), lon=rec.get("longitude"), country=rec.get("country"),
                      admin1=rec.get("admin1"), admin2=rec.get("admin2"))
        if place.country_code is None and rec.get("country"):
            place.country_code = _country_code(rec["country"])
        loc = PlaceMention(span=Span(aid, 0, 0, rec.get("location") or ""), place=place, role="event location")
    fat = Fatalities(best=int(rec.get("fatalities") or 0), low=rec.get("fatalities_low"),
                     high=rec.get("fatalities_high"),
                     known=bool(rec.get("fatalities")) or rec.get("fatalities_low") is not None)
    claims = [Claim(source=c.get("source") or "unnamed", source_kind=c.get("source_kind") or "unnamed",
                    stance=c.get("stance") or "asserts", span=Span(aid, c.get("start", 0), c.get("end", 0),
                                                                   c.get("text", "")),
                    cue=c.get("cue", ""), what=list(c.get("what") or []), via=c.get("via"))
              for c in rec.get("claims") or []]
    evidence = [Span(aid, e.get("start", 0), e.get("end", 0), e.get("text", "")) for e in rec.get("evidence") or []]
    a1, a2 = _actor_from(rec.get("actor1"), rec.get("inter1")), _actor_from(rec.get("actor2"), rec.get("inter2"))
    assoc1 = [a for a in (_actor_from(n, 0) for n in rec.get("assoc_actor_1") or []) if a]
    assoc2 = [a for a in (_actor_from(n, 0) for n in rec.get("assoc_actor_2") or []) if a]
    trigger = evidence[0] if evidence else Span(aid, 0, 0, "")
    report = EventReport(
        article_id=aid, document_id=rec.get("document_id"), event_type=rec.get("event_type") or "",
        sub_event_type=rec.get("sub_event_type") or "", trigger=trigger, evidence=evidence,
        actor1=a1, assoc_actor_1=assoc1, actor2=a2, assoc_actor_2=assoc2, location=loc,
        geo_precision=int(rec.get("geo_precision") or 3), date=_date(rec.get("event_date")),
        date_end=_date(rec.get("event_date_end")), time_precision=int(rec.get("time_precision") or 2),
        fatalities=fat, claims=claims, background=bool(rec.get("background")),
        confidence=float(rec.get("confidence") or 0.5), flags=["from_record"],
    )
    contra = [Contradiction(field=c["field"], values=list(c.get("values") or []))
              for c in rec.get("contradictions") or []]
    return Event(
        event_id=rec["event_id"], reports=[report], event_type=report.event_type,
        sub_event_type=report.sub_event_type, actor1=a1, assoc_actor_1=assoc1, actor2=a2, assoc_actor_2=assoc2,
        location=loc, geo_precision=report.geo_precision, date=report.date, date_end=report.date_end,
        time_precision=report.time_precision, fatalities=fat, claims=claims, background=report.background,
        confidence=report.confidence, contradictions=contra, notes=rec.get("notes") or "",
    )


def _country_code(name: str) -> str | None:
    from sitrep.nlp.actors import registry

    return registry().country_lookup.get(name.lower())
