"""resolve stage: normalizes an EventReport's raw mentions into places, actors, dates and fatalities.

Place candidates come from the gazetteer (``places``), actors from the registries (``actors``), dates
from ``dates``, fatality figures are combined by the written rules (``sitrep.extract.fatalities``).
"""
from __future__ import annotations

import dataclasses
import re
from collections import Counter

from sitrep.data import load_yaml
from sitrep.extract.fatalities import combine_figures
from sitrep.extract.typing import in_sentence, of_kind
from sitrep.model import ActorRef, AnalyzedDoc, EventReport, Fatalities, Mention, PlaceMention
from sitrep.nlp.actors import registry as actor_registry
from sitrep.nlp.numbers import case_free, lowered
from sitrep.resolve.actors import ActorResolver
from sitrep.resolve.dates import event_date, is_same_day, resolve_date
from sitrep.resolve.fronts import holder, near_line
from sitrep.resolve.places import (
    active_theatres,
    containment_roles,
    doc_country_focus,
    names_facility,
    names_part,
    resolve_places,
)

# Qualifiers that put an event near a place rather than in it (geo_precision 2).
_NEAR_QUALIFIERS = {"outskirts", "near", "countryside", "vicinity", "around", "outside", "area", "environs",
                    "northern", "southern", "eastern", "western", "north", "south", "east", "west",
                    "northeast", "northwest", "southeast", "southwest", "suburbs", "rural"}
# "in Tlalcopan, " before a province's name: a place the gazetteer does not know, told by its province
_UNKNOWN_NAME_BEFORE = re.compile(r"\b(?:in|at|near)\s+[A-Z][\w'’-]+(?:\s+(?:de|del|la|el|al|[A-Z][\w'’-]+)){0,3}"
                                  r"\s*,\s*$")
_LEVEL_RANK = {"populated place": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4, "water": 9}
# an area word right after a name: the text itself says it is a district
_DISTRICT_AFTER = re.compile(r"\s+(?:district|lga|local government area|county|tehsil|upazila|municipality|"
                             r"territory|woreda|sub-?district|taluka|mandal|circle|cercle|commune|department|"
                             r"municipio|raion|rayon|hromada|nahiya)\b", re.I)
# "in the Municipality of Gomez Palacio", "in the district of Majzar": the same, told before the name
_DISTRICT_BEFORE = re.compile(r"\b(?:district|municipality|county|municipio|commune|department|territory|"
                              r"sub-?district|tehsil|taluka|woreda|raion|rayon|hromada|nahiya)\s+of\s+$", re.I)
# "spearheaded by X", "carried out by X": who led an operation told in a nearby sentence
_OPERATION_BY = re.compile(r"\b(?:spearheaded|led|carried out|launched|conducted|orchestrated|masterminded|"
                           r"claimed|organi[sz]ed) by\b", re.I)
_OPERATION_BY_LOW = case_free(_OPERATION_BY)
# "Al Shabaab claimed responsibility for the attack": the group owns an act told nearby
_CLAIMED_BY_GROUP = re.compile(r"\s*(?:\w+ly\s+|also\s+|later\s+|has\s+|have\s+|had\s+)*claim(?:ed|s)\s+"
                               r"(?:responsibility|the\s+(?:attack|bombing|killing|ambush|abduction|kidnapping|strike)|"
                               r"(?:that\s+)?(?:it|they|its\s+fighters)\s+(?:had\s+)?\w+ed|to\s+have)\b", re.I)
# a name after a preposition is not who acted: "a collaborator of Hezbollah", "the arrest of a CJNG leader"
_PREP_LEAD = re.compile(r"\b(?:of|from|for|against|on|to|with|at|in|by|about|toward|towards)\s+(?:the\s+|an?\s+)?"
                        r"(?:[\w’'-]+\s+)?$", re.I)
# "unidentified gunmen": the text says who acted is unknown; a group named nearby is not them
_UNKNOWN_WORDS = re.compile(r"\b(?:unidentified|unknown|suspected|unnamed)\b", re.I)
# "Al Qaeda-linked Nusra Front": the first name only qualifies the second
_MODIFIER_AFTER = re.compile(r"[-\s]?(?:linked|affiliated|backed|allied|aligned|inspired|led|supported)\b", re.I)
# "Idlib market town", "Darfur city", "border town": a name that only qualifies an unnamed place
_PLACE_NOUN_AFTER = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,2}(?:town|city|village|hamlet|district|region|"
                               r"province|area|camp|suburb)s?\b")
# A report dated this long before publication is told as past context (background), not news.
BACKGROUND_AFTER_DAYS = 14


class Resolver:
    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        self.actors = ActorResolver()
        self._generic_refs: dict[tuple, tuple] = {}  # (see _generic)

    # -- places -----------------------------------------------------------------------------------
    def places(self, doc: AnalyzedDoc) -> list[PlaceMention]:
        """Every place mention resolved, plus demonyms ("Syrian", "European") as mentions of their country
        or region with level "demonym": they tell where a report is about, never where an event was."""
        out = resolve_places(doc, self.gazetteer)
        self._short_country_names(doc, out)
        for m in doc.of_kind("demonym"):
            region = m.attrs.get("region")
            place = self.gazetteer.country(m.key) if m.key else None
            if place is None and region:
                found = self.gazetteer.lookup(region)
                place = found[0] if found else None
            if place is not None:
                out.append(PlaceMention(span=doc.article.span(m.start, m.end), place=place, role="other",
                                        level="demonym"))
        out.sort(key=lambda p: p.span.start)
        return out

    def _short_country_names(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> None:
        """A short country name ("Congo", "Korea", "Sudan") in a story about the country whose full name
        holds it ("Democratic Republic of Congo") is that country."""
        if not any(pm.place is not None and (pm.level == "country" or (pm.place.feature_code or "").startswith("PCL"))
                   for pm in places):
            return  # speed: no country named, nothing to change (most reports)
        focus = self._focus_country(doc, places)
        if not focus:
            return
        full = {n.lower() for n in (self.gazetteer.country_name(focus), actor_registry().country_name(focus)) if n}
        country = None
        for pm in places:
            if pm.place is None or pm.place.country_code == focus or not (
                    pm.level == "country" or (pm.place.feature_code or "").startswith("PCL")):
                continue
            word = re.compile(r"\b" + re.escape(pm.span.text.lower()) + r"\b")
            if any(word.search(n) for n in full):
                country = country or self.gazetteer.country(focus)
                if country is not None:
                    pm.place = country

    def _focus_country(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> str | None:
        cache = getattr(doc, "_focus", None)
        if cache is None:
            focus = doc_country_focus(doc, [m for m in doc.mentions if m.kind == "place"], self.gazetteer)
            cache = focus[0][0] if focus else None
            if cache is None:
                counts = Counter(p.place.country_code for p in places
                                 if p.place and p.place.country_code and p.role != "speaker")
                cache = counts.most_common(1)[0][0] if counts else ""
            doc._focus = cache  # type: ignore[attr-defined]
        return cache or None

    def _where_told(self, doc: AnalyzedDoc, p: PlaceMention, dl: tuple[int, int]) -> bool:
        """A place told as where things are: no reference point or origin, not the dateline's, not inside a
        group's name."""
        return (p.role not in ("reference point", "origin", "speaker") and not dl[0] <= p.span.start < dl[1]
                and not self._in_actor(doc, p))

    def _place_told_before(self, report: EventReport, doc: AnalyzedDoc,
                           places: list[PlaceMention]) -> PlaceMention | None:
        """The most specific place of the sentence just before the report's (the one before it when that
        names none), within the same paragraph."""
        if not report.sentences or not doc.sentences:
            return None
        si = report.sentences[0]
        if not 0 < si < len(doc.sentences):
            return None
        para = doc.sentences[si].paragraph
        dl = doc.dateline or (0, 0)
        for k in (si - 1, si - 2):
            if k < 0 or doc.sentences[k].paragraph != para:
                return None
            sent = doc.sentences[k]
            cands = [p for p in places if p.place is not None and sent.start <= p.span.start < sent.end
                     and p.level not in ("water", "demonym", "country") and self._where_told(doc, p, dl)]
            if cands:
                return self._most_specific(doc, cands[:4], places)
        return None

    def _main_place(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> PlaceMention | None:
        """The place the article is mostly about: the most-mentioned resolved town, earliest first."""
        dl = doc.dateline or (0, 0)
        parts = self._roles(doc, places)[3]  # "in Jaro, Iloilo City": a part of the city, read elsewhere
        towns = [p for p in places if p.place and p.level == "populated place" and self._where_told(doc, p, dl)
                 and p.span.start not in parts]
        if not towns:
            return None
        counts = Counter(p.place.geonameid for p in towns)
        best = max(counts.values())
        for p in towns:
            if counts[p.place.geonameid] == best:
                return p
        return None

    def _locate(self, report: EventReport, doc: AnalyzedDoc, places: list[PlaceMention]):
        pm, prec = self._locate_mention(report, doc, places)
        if pm is not None and pm.place is not None and (
                (pm.level in ("admin1", "admin2") and prec >= 2) or pm.place.feature_code in ("ADM1", "ADM2")):
            # an event known only to its province or district, or a town read as the area named after it
            # ("Ar-Raqqa city" found only as the province): ACLED puts it at the area's capital
            i = self.gazetteer.index_of(pm.place.geonameid)
            if i is not None:
                seat = self.gazetteer.seat_place(i)
                if seat.geonameid == pm.place.geonameid:
                    # the area itself, at its seat's point, under the name the text gave it ("Starohnativka"
                    # for the village council named after it, see resolve_places)
                    seat = dataclasses.replace(seat, name=pm.place.name)
                pm = dataclasses.replace(pm, place=seat)
        elif pm is not None and pm.place is not None and pm.level == "country":
            # an event known only to its country: ACLED codes it at the capital
            place = self.gazetteer.capital_place(pm.place.country_code or "")
            if place is not None:
                pm = dataclasses.replace(pm, place=place)
        return pm, prec

    @staticmethod
    def _in_actor(doc: AnalyzedDoc, p: PlaceMention) -> bool:
        """A place inside a group's name ("Donbass People's Militia") is not where anything happened."""
        s, e = p.span.start, p.span.end
        actors = doc._mention_index()[1].get("actor", ())  # (speed: the document's actors, not every mention)
        return any(m.start <= s and e <= m.end and (m.start, m.end) != (s, e) for m in actors)

    def _lead_place(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> PlaceMention | None:
        """The first town named in the lead (the first two body sentences), outside the dateline."""
        if len(doc.sentences) < 2:
            return None
        dl = doc.dateline or (0, 0)
        lo, hi = doc.sentences[1].start, doc.sentences[min(2, len(doc.sentences) - 1)].end
        for p in places:
            if p.place and p.level == "populated place" and lo <= p.span.start < hi and self._where_told(doc, p, dl):
                return p
        return None

    @staticmethod
    def _is_headline(report: EventReport, doc: AnalyzedDoc) -> bool:
        """The report comes from the title: flagged so, or a first line of its own with no closing stop."""
        if "headline" in report.flags:
            return True
        if not report.sentences or report.sentences[0] != 0 or len(doc.sentences) < 2:
            return False
        first, second = doc.sentences[0], doc.sentences[1]
        return first.paragraph != second.paragraph and not first.text.rstrip().endswith((".", "!", "?", '"', "”"))

    def _headline_yields(self, doc: AnalyzedDoc, cands: list[PlaceMention], places: list[PlaceMention]):
        """A headline names its place vaguely ("in Idlib market town", "in besieged Darfur city", "in
        Colombian border town"); the lead it sums up names the town, which is where the event was."""
        lead = self._lead_place(doc, places)
        if lead is None:
            return None
        if not cands:
            return lead
        best = min(cands[:4], key=lambda c: _LEVEL_RANK.get(c.level, 5))
        if best.place.geonameid == lead.place.geonameid:
            return None
        vague = best.level != "populated place" or _PLACE_NOUN_AFTER.match(doc.article.text, best.span.end)
        if vague and best.place.country_code == lead.place.country_code:
            return lead
        return None

    @staticmethod
    def _roles(doc: AnalyzedDoc, places: list[PlaceMention]) -> tuple[set[int], set[int], set[int], set[int]]:
        cache = getattr(doc, "_place_roles", None)
        if cache is None or cache[0] is not places:
            cache = (places, containment_roles(doc.article.text, places))
            doc._place_roles = cache  # type: ignore[attr-defined]
        return cache[1]

    def _most_specific(self, doc: AnalyzedDoc, cands: list[PlaceMention],
                       places: list[PlaceMention]) -> PlaceMention:
        """The most specific of the sentence's first few places ("in Jisr, Idlib province, Syria" -> Jisr).

        A name that only says where another lies ("Al Bab in Aleppo", "Majzar district (Marib)") counts as
        a province; among places of one level, one confirmed by its province ("in Celaya, Guanajuato")
        comes before one that is not, and a town that only names a road or square comes last.
        """
        containers, contained, _, parts = self._roles(doc, places)
        text = doc.article.text
        # "Al Sham Corps", "Dubai Police": a place inside a name, which is no place of the event
        embedded = {(m.start, m.end) for m in doc.mentions if m.kind == "place" and m.attrs.get("embedded")}

        first = cands[0]

        def key(c: PlaceMention) -> tuple[int, int, int, int]:
            rank = _LEVEL_RANK.get(c.level, 5)
            if c.span.start in containers:
                rank = max(rank, _LEVEL_RANK["admin1"])
            elif c is first and c.level == "admin2" and (
                    _DISTRICT_AFTER.match(text, c.span.end)
                    or _DISTRICT_BEFORE.search(text, max(0, c.span.start - 40), c.span.start)):
                # "in Majzar district, west of Marib city": the district told first is where it happened; a
                # town named after it is a reference point
                rank = _LEVEL_RANK["populated place"]
            # a neighbourhood's name read as a village elsewhere is last of all
            stray = 1 if c.span.start in parts or names_part(text, c) or (c.span.start, c.span.end) in embedded else 0
            minor = names_facility(text, c)
            return stray, rank, 0 if c.span.start in contained else 1, 1 if minor else 0

        return min(cands, key=key)

    def _inside_stated_province(self, doc: AnalyzedDoc, pm: PlaceMention, cands: list[PlaceMention],
                                places: list[PlaceMention]) -> PlaceMention:
        """"X village in Nalanda district (Bihar)": a town chosen in another province of the same country
        than the one the sentence states as container is a namesake; the most specific place inside the
        stated province is taken instead."""
        if pm.level != "populated place" or pm.place is None or not pm.place.admin1:
            return pm
        containers, contained = self._roles(doc, places)[:2]
        if pm.span.start in contained:
            return pm  # the text itself puts the town in its district and province
        stated = [c for c in cands if c.span.start in containers and c.level == "admin1"
                  and c.place.country_code == pm.place.country_code]
        if not stated or any(_norm_admin(c.place.admin1 or c.place.name) == _norm_admin(pm.place.admin1)
                             for c in stated):
            return pm
        want = {_norm_admin(c.place.admin1 or c.place.name) for c in stated}
        inside = [c for c in cands if c.place is not None and c.place.admin1
                  and _norm_admin(c.place.admin1) in want and c.level in ("populated place", "admin2")]
        return self._most_specific(doc, inside, places) if inside else pm

    def _locate_mention(self, report: EventReport, doc: AnalyzedDoc, places: list[PlaceMention]):
        by_pos = {(p.span.start, p.span.end): p for p in places}
        cands = [by_pos.get((m.start, m.end)) for m in report.place_mentions]
        cands = [c for c in cands if c is not None and c.place is not None and c.level != "water"
                 and not self._in_actor(doc, c)]
        if self._is_headline(report, doc):
            lead = self._headline_yields(doc, cands, places)
            if lead is not None:
                report.flags.append("place_from_lead")
                return lead, 1
        if cands:
            pm = self._most_specific(doc, cands[:4], places)
            pm = self._inside_stated_province(doc, pm, cands[:6], places)
            if pm.level == "country":
                # "... by supporters of the President of Brazil": a country named in passing; the report's
                # own town in that country is where it happened, known less exactly
                main = self._main_place(doc, places)
                if main is not None and main.place.country_code == pm.place.country_code:
                    report.flags.append("place_from_context")
                    return main, 2
            pm.role = "event location"
            prec = 1
            if pm.level == "admin2":
                prec = 2
            elif pm.level in ("admin1", "region", "country"):
                prec = 3
            elif pm.qualifier and pm.qualifier.lower() in _NEAR_QUALIFIERS:
                prec = 2
            elif pm.span.start in self._roles(doc, places)[2]:
                prec = 2  # "in Takalout (Kidal)": the village is unknown, the town it is told by stands in
            elif pm.place is not None and _norm_admin(pm.place.admin1) == _norm_admin(pm.span.text) and (
                    pm.span.start in self._roles(doc, places)[0]
                    or _UNKNOWN_NAME_BEFORE.search(doc.article.text[max(0, pm.span.start - 60):pm.span.start])):
                # "in Tlalcopan, Veracruz": the unknown village's state, at its capital
                prec = 3
            return pm, prec
        report.flags.append("place_from_context")  # the sentence names no usable place of its own
        before = self._place_told_before(report, doc, places)
        if before is not None:
            # "... a demonstration in Jaghuri district in Ghazni. Demonstrators clashed with police": the
            # place the story just told is where it goes on
            return before, 1 if "place_anaphor" in report.flags and before.level == "populated place" else 2
        main = self._main_place(doc, places)
        if main is not None:
            # "the city" / no place named in the sentence: the article's main town, known less exactly
            prec = 1 if "place_anaphor" in report.flags else 2
            return main, prec
        admins = [p for p in places if p.place and p.level in ("admin1", "admin2")
                  and p.role not in ("reference point", "origin", "speaker") and not self._in_actor(doc, p)]
        if admins:
            return admins[0], 3
        for t in active_theatres(doc):
            # "the SMM recorded explosions near Starohnativka" (a village the gazetteer lacks): the report is
            # from the theatre, so its main province, not the country's capital far away
            area = next((a for a in (self.gazetteer.admin1(t.country, n) for n in t.admin1_names) if a), None)
            if area is not None:
                span = doc.article.span(0, 0)
                return PlaceMention(span=span, place=area, role="event location", level="admin1"), 3
        cc = self._focus_country(doc, places)
        if cc:
            country = self.gazetteer.country(cc)
            if country is not None:
                span = doc.article.span(0, 0)
                return PlaceMention(span=span, place=country, role="event location", level="country"), 3
        return None, 3

    # -- the report ---------------------------------------------------------------------------------
    def resolve_report(self, report: EventReport, doc: AnalyzedDoc, places: list[PlaceMention]) -> None:
        article = doc.article
        loc, prec = self._locate(report, doc, places)
        if loc is not None and loc.place is not None and loc.place.country_code:
            # countries by ACLED's names ("Democratic Republic of Congo"), from the registry
            acled = actor_registry().country_name(loc.place.country_code)
            if acled and acled != loc.place.country:
                loc = dataclasses.replace(loc, place=dataclasses.replace(loc.place, country=acled))
        report.location, report.geo_precision = loc, prec
        cc = loc.place.country_code if loc and loc.place else self._focus_country(doc, places)

        # date
        published = article.published
        # speed: each mention asked once; "any says the same day" is "some were left out"
        dated = [m for m in report.date_mentions if not is_same_day(m)]
        same_day = len(dated) != len(report.date_mentions)
        dv = event_date(dated, published) if dated else None
        if same_day and dv is not None and dv.start is not None and dv.precision > 1:
            dv = None  # "hours earlier ... for the second time this month": the day told before, not the month
        if (dv is None or dv.start is None) and report.sentences:
            dv = self._context_date(report, doc, published, same_day)
        if dv is not None and dv.start is not None:
            report.date, report.date_end, report.time_precision = dv.start, dv.end, dv.precision
        else:
            report.date, report.date_end, report.time_precision = published, None, 2
        if (published and report.date and (published - (report.date_end or report.date)).days
                > BACKGROUND_AFTER_DAYS):
            report.background = True

        # actors
        aid = report.article_id
        report.actor1 = self._actor(report.actor1_mentions, cc, report.date, aid)
        report.actor2 = self._actor(report.actor2_mentions, cc, report.date, aid)
        report.assoc_actor_1 = [a for a in (self._actor([m], cc, report.date, aid) for m in report.assoc1_mentions)
                                if a]
        report.assoc_actor_2 = [a for a in (self._actor([m], cc, report.date, aid) for m in report.assoc2_mentions)
                                if a]
        self._upgrade_generic(report, doc, cc)
        self._defaults(report, cc)
        self._gang_style(report, doc, cc)
        self._armed_government(report, cc)
        self._foreign_capture(report)
        self._front_line(report, cc)
        self._coalition(report, doc)

        # fatalities: per sentence, victim groups add up; across sentences a later figure restates or
        # updates the toll, so the largest non-partisan sentence total counts (partisan ones only as high)
        report.fatalities = self._fatalities(report)

    def _context_date(self, report: EventReport, doc: AnalyzedDoc, published, same_day: bool = False):
        """No date in the event's sentence: the nearest earlier date of the same paragraph; else, in a story
        told over several paragraphs, the date of the lead's event, known less exactly (precision 2), or as
        exactly when the sentence says "hours earlier" / "the same day"."""
        si = report.sentences[0]
        sents = doc.sentences
        para = sents[si].paragraph
        earlier = [m for m in of_kind(doc, "date") if m.sentence < si
                   and not m.attrs.get("dateline") and not m.attrs.get("past_context")]
        for m in reversed(earlier):
            if sents[m.sentence].paragraph != para:
                break
            dv = resolve_date(m, published)
            if dv.start is not None:
                return dv
        if report.background:
            return None
        for m in earlier:  # the first current date of the story
            dv = resolve_date(m, published)
            if dv.start is not None and dv.precision <= 2 and published is not None and \
                    0 <= (published - dv.start).days <= BACKGROUND_AFTER_DAYS:
                return dv if same_day else type(dv)(dv.start, dv.end, 2)
        return None

    def _actor(self, mentions: list[Mention], cc: str | None, date, article_id: str) -> ActorRef | None:
        """The registry's reading of the role's first mention, with its span in the article."""
        if not mentions:
            return None
        return self.actors.resolve(mentions[0], cc, date, article_id=article_id)

    @staticmethod
    def _doc_actors(doc: AnalyzedDoc) -> dict:
        """Speed: what _upgrade_generic asks of the document's actor mentions that does not depend on the
        report (the same for every report of the document), worked out once per document: per sentence, the
        first named actor after each "led by" ("ops", filled lazily); the named groups a claim of
        responsibility follows ("claimed"); the named actors that neither qualify the next name nor follow a
        preposition ("plain"); the named non-state armed groups ("armed").  Each keeps the document's mention order, so the first one a report accepts
        is the one the scan over every actor found.  Rebuilt when the mention list is replaced or resized."""
        mentions = doc.mentions
        cached = doc.__dict__.get("_upgrade_actors")
        if cached is not None and cached[0] is mentions and cached[1] == len(mentions):
            return cached[2]
        info: dict = {"ops": {}, "claimed": None, "plain": None, "armed": None}  # (each made when first asked)
        doc.__dict__["_upgrade_actors"] = (mentions, len(mentions), info)
        return info

    @staticmethod
    def _operation_leads(doc: AnalyzedDoc, k: int) -> list[Mention]:
        """The first named actor within 60 characters after each "spearheaded by", "led by" ... of sentence
        ``k``, in the order of the matches (kept per document by _upgrade_generic, see _doc_actors)."""
        got: list[Mention] = []
        sent = doc.sentences[k]
        low = lowered(sent.text)
        if low is not None and " by" not in low:
            return got  # speed: every match holds " by" (the lower-cased copy keeps the matches, see lowered)
        text = doc.article.text
        # speed: on the lower-cased copy, the case-sensitive twin finds the same matches at the same offsets
        for m in (_OPERATION_BY.finditer(sent.text) if low is None or _OPERATION_BY_LOW is None
                  else _OPERATION_BY_LOW.finditer(low)):
            pos = sent.start + m.end()
            # (the sentence's actors, in the document's order: of_kind's filtered to the sentence)
            named = [a for a in in_sentence(doc, sent.index, "actor")
                     if not a.attrs.get("generic") and 0 <= a.start - pos <= 60
                     and not _MODIFIER_AFTER.match(text, a.end)]
            if named:
                got.append(named[0])
        return got

    def _upgrade_generic(self, report: EventReport, doc: AnalyzedDoc, cc) -> None:
        """Who led the operation, when the article says so nearby ("The operation ... was spearheaded by the
        alliance that calls itself the Army of Conquest"), is actor1 over a generic "rebels"; else a generic
        actor1 takes the name of the group the article names as its side in the same or next sentences."""
        si = report.sentences[0]
        current = report.actor1_mentions[0] if report.actor1_mentions else None
        text = doc.article.text
        info = self._doc_actors(doc)
        ops = info["ops"]
        for k in range(max(0, si - 1), min(si + 4, len(doc.sentences))):
            leads = ops.get(k)
            if leads is None:
                leads = ops[k] = self._operation_leads(doc, k)
            for a in leads:
                ref = self.actors.resolve(a, cc, report.date)
                if ref is not None:
                    report.actor1, report.actor1_mentions = ref, [a]
                    report.flags.append("actor1_attributed")
                    return
        if (current is None or current.attrs.get("generic")) and report.event_type in (
                "Battles", "Explosions/Remote violence", "Violence against civilians"):
            # "Militants stormed the base ... Al Shabaab claimed responsibility"
            if info["claimed"] is None:
                info["claimed"] = [a for a in of_kind(doc, "actor") if not a.attrs.get("generic")
                                   and a.attrs.get("inter") in (2, 3, 4) and _CLAIMED_BY_GROUP.match(text, a.end)]
            for a in info["claimed"]:
                if 0 <= a.sentence - si <= 2:
                    ref = self.actors.resolve(a, cc, report.date)
                    if ref is not None:
                        report.actor1, report.actor1_mentions = ref, [a]
                        report.flags.append("actor1_claimed")
                        return
        if current is None or not current.attrs.get("generic") or current.attrs.get("inter") not in (2, 3):
            return
        if current.sentence == si and text[max(0, current.start - 4):current.start].lower() == "the " \
                and not _UNKNOWN_WORDS.search(
                text[max(0, current.start - 25):current.end]):
            # "an attack by the militants": the one armed group the article named before (only when it
            # named one)
            if info["armed"] is None:
                info["armed"] = [a for a in of_kind(doc, "actor") if not a.attrs.get("generic")
                                 and a.attrs.get("inter") in (2, 3, 4)]
            earlier = [a for a in info["armed"] if a.sentence < si]
            if len({a.key for a in earlier}) == 1:
                ref = self.actors.resolve(earlier[0], cc, report.date)
                if ref is not None:
                    report.actor1, report.actor1_mentions = ref, [earlier[0]]
                    return
        if current.attrs.get("class") == "gunmen" or _UNKNOWN_WORDS.search(
                text[max(0, current.start - 25):current.end]):
            return
        if info["plain"] is None:
            info["plain"] = [a for a in of_kind(doc, "actor") if not a.attrs.get("generic")
                             and not _MODIFIER_AFTER.match(text, a.end)
                             and not _PREP_LEAD.search(text[max(0, a.start - 30):a.start])]
        inter = current.attrs.get("inter")
        named = [a for a in info["plain"] if a.attrs.get("inter") == inter and 0 <= a.sentence - si <= 1]
        if not named:
            return
        named.sort(key=lambda a: (a.sentence - si, a.start))
        ref = self.actors.resolve(named[0], cc, report.date)
        if ref is not None:
            report.actor1 = ref
            report.actor1_mentions = [named[0]]

    def _generic(self, cls: str, cc, date) -> ActorRef | None:
        # speed: the generic actor of a class, country and year read once (the registry's answer depends on
        # nothing else), a new ActorRef each time (callers set its spans)
        memo = (cls, cc, date.year if date else None)
        got = self._generic_refs.get(memo)
        if got is None:
            ref = self._generic_ref(cls, cc, date)
            got = self._generic_refs[memo] = (ref.name, ref.inter, ref.country, ref.actor_id, ref.spans[0])
        return ActorRef(name=got[0], inter=got[1], country=got[2], actor_id=got[3], spans=[got[4]])

    def _generic_ref(self, cls: str, cc, date) -> ActorRef:
        inter = 7 if cls == "generic:civilians" else None
        attrs = {"generic": True, **({"inter": inter} if inter else {})}
        return self.actors.resolve(Mention(kind="actor", start=0, end=0, text="", sentence=-1, key=cls,
                                           attrs=attrs), cc, date)

    def _defaults(self, report: EventReport, cc) -> None:
        """ACLED's coding conventions (sitrep/data/coding_rules.yaml): the crowd is actor1 of protests and
        riots, and the usual party fills a role the report leaves empty."""
        rules = load_yaml("coding_rules.yaml")
        sub = report.sub_event_type
        crowd = rules["crowd_actor1"].get(sub)
        if crowd is not None:
            a1 = report.actor1
            if a1 is not None and a1.inter == 1 and report.actor2 is None:
                report.actor2 = a1  # "police dispersed the protesters": the police stepped in
            elif a1 is not None and a1.actor_id and a1.inter not in (5, 6, 7):
                report.assoc_actor_1.insert(0, a1)  # a union or party that led the crowd
            if a1 is None or a1.inter != (5 if crowd == "generic:rioters" else 6):
                report.actor1 = self._generic(crowd, cc, report.date)
            if report.actor2 is not None and report.actor2.inter in (6, 7) and sub != "Mob violence":
                report.actor2 = None
        if report.actor1 is None:
            by_country = (rules.get("default_actor1_by_country") or {}).get(cc or "", {})
            cls = by_country.get(sub) or rules["default_actor1"].get(sub)
            if cls:
                report.actor1 = self._generic(cls, cc, report.date)
                if sub == "Armed clash" and report.actor2 is None and sub in rules["default_actor2"]:
                    # "a shoot-out took place": neither side is known
                    report.actor2 = self._generic(rules["default_actor2"][sub], cc, report.date)
        if report.actor2 is None and sub in rules["default_actor2"] and sub != "Armed clash":
            report.actor2 = self._generic(rules["default_actor2"][sub], cc, report.date)
        if sub in (rules.get("one_sided") or ()):
            report.actor2 = None  # "protested against the government": the crowd is the only party

    def _gang_style(self, report: EventReport, doc: AnalyzedDoc, cc) -> None:
        """Unnamed armed men carrying out a drive-by shooting or a gang-related killing are a gang
        (data/coding_rules.yaml, ``gang_style``)."""
        a1 = report.actor1
        if a1 is None or a1.actor_id is not None or not a1.name.startswith("Unidentified Armed Group"):
            return
        words = load_yaml("coding_rules.yaml").get("gang_style") or []
        told = " ".join(doc.sentences[i].text.lower() for i in report.sentences if 0 <= i < len(doc.sentences))
        if any(w in told for w in words):
            gang = self._generic("generic:gang", cc, report.date)
            if gang is not None:
                gang.spans = a1.spans
                report.actor1 = gang

    def _front_line(self, report: EventReport, cc) -> None:
        """Fire or fighting near a front line with no named perpetrator (data/front_lines.yaml): the side that
        did not hold the place fired (actor1); in a clash the holder is actor2."""
        if report.event_type not in ("Battles", "Explosions/Remote violence") or report.sub_event_type in (
                "Non-state actor overtakes territory", "Government regains territory"):
            return
        place = report.location.place if report.location else None
        if place is None or place.feature_code in ("PCLI", "RGN", "CONT", "H"):
            return
        if not (_unknown_actor(report.actor1) and (report.actor2 is None or _unknown_actor(report.actor2)
                                                   or report.actor2.inter == 7)):
            return

        def ref(actor_id: str) -> ActorRef:
            return self.actors.resolve(Mention(kind="actor", start=0, end=0, text="", sentence=-1, key=actor_id,
                                               attrs={}), cc, report.date)
        found = holder(place.country_code, place.lat, place.lon, report.date) \
            if place.feature_code not in ("ADM1", "ADM2") else None
        if found is None:
            # a province, or a place near the line but too far from every listed settlement to tell who held
            # it (a village the gazetteer lacks falls back to its town or province): the fire is still between
            # the line's two sides, coded with the government's side first
            line = near_line(place.country_code, place.lat, place.lon, report.date)
            if line is None:
                return
            gov = "government" if "government" in line.sides else next(iter(line.sides))
            report.actor1 = ref(line.sides[gov])
            if report.sub_event_type == "Armed clash":
                report.actor2 = ref(line.sides[line.opponent(gov)])
            return
        line, side = found
        report.actor1 = ref(line.sides[line.opponent(side)])
        if report.sub_event_type == "Armed clash":
            report.actor2 = ref(line.sides[side])

    @staticmethod
    def _foreign_capture(report: EventReport) -> None:
        """Ground taken by a foreign state's forces (inter 8 where they fight: "Russian troops captured the
        village near Bakhmut") is not the government of the country regaining it: ACLED codes a foreign force's
        capture as a non-state actor overtaking territory."""
        if report.sub_event_type == "Government regains territory" and report.actor1 is not None \
                and report.actor1.inter == 8:
            report.sub_event_type = "Non-state actor overtakes territory"

    def _armed_government(self, report: EventReport, cc) -> None:
        """In fighting and strikes a state takes part through its armed forces: "Syrian government
        strongholds", "the government's positions" are coded as the Military Forces of that state."""
        if report.event_type not in ("Battles", "Explosions/Remote violence"):
            return
        for role in ("actor1", "actor2"):
            ref = getattr(report, role)
            if ref is not None and ref.name.startswith("Government of"):
                forces = self._generic("generic:military", ref.country or cc, report.date)
                if forces is not None:
                    forces.spans = ref.spans
                    setattr(report, role, forces)
        if (report.event_type == "Explosions/Remote violence" and report.actor1 and report.actor2
                and report.actor1.name == report.actor2.name):
            report.actor2 = None  # no one shells or bombs their own side ("after the government's withdrawal")

    def _coalition(self, report: EventReport, doc: AnalyzedDoc) -> None:
        """Named groups the registry says belong to actor1's coalition become its associated actors."""
        a1 = report.actor1
        if a1 is None or not a1.actor_id:
            return
        have = {a.actor_id for a in report.assoc_actor_1}
        members = None  # speed: the coalition's members walked once per report, not once per mention
        for m in of_kind(doc, "actor"):
            if m.attrs.get("generic") or m.key == a1.actor_id or m.key in have:
                continue
            if members is None:
                members = self.actors.members(a1.actor_id, report.date)
            if m.key in members:  # (is_member)
                ref = self.actors.resolve(m, a1.country, report.date)
                if ref is not None:
                    report.assoc_actor_1.append(ref)
                    have.add(m.key)

    @staticmethod
    def _fatalities(report: EventReport) -> Fatalities:
        """Deaths per the written rules (sitrep.extract.fatalities.combine_figures): victim groups in one
        sentence add up, a later sentence restates or updates the toll unless it says "another".  When an
        independent source gives a figure, figures from partisan sources (state media, a group's own
        channel) count only toward the high end; when a partisan claim is all there is, it is the figure
        (ACLED codes "militants claimed to have killed two soldiers" as 2)."""
        if not report.fatality_figures:
            return Fatalities()  # speed: no figure (most reports), what the rules below give for none
        fair = [f for f in report.fatality_figures if not getattr(f, "partisan", False)]
        claimed = [f for f in report.fatality_figures if getattr(f, "partisan", False)]
        if not fair:
            if not claimed:
                return Fatalities()
            report.flags.append("fatalities_partisan")
            by_source: dict[str, list] = {}
            for f in claimed:
                by_source.setdefault(str(getattr(f, "source", None)), []).append(f)
            if len(by_source) < 2:
                return combine_figures(claimed)
            # partisan claims only, from sides that disagree ("seven soldiers, a police officer said"; "27,
            # the group said"): the lowest is the figure, the others its range (DESIGN.md)
            each = [combine_figures(fs) for fs in by_source.values()]
            low = min(each, key=lambda c: c.best)
            top = max((c.high or c.best) for c in each)
            return Fatalities(best=low.best, low=min((c.low if c.low is not None else c.best) for c in each),
                              high=top if top > low.best else low.high, known=True,
                              spans=[sp for c in each for sp in c.spans])
        out = combine_figures(fair)
        if claimed and _victim_heads(claimed) and _victim_heads(fair) and \
                not (_victim_heads(claimed) & _victim_heads(fair)):
            # "killing 20 of the attackers, the army said. Seven soldiers died": a side's claim about other
            # victims than the independent figure adds to it rather than competing with it
            c = combine_figures(claimed)
            return Fatalities(best=out.best + c.best, low=(out.low if out.low is not None else out.best) + (
                c.low if c.low is not None else c.best), high=None if out.high is None or c.high is None
                else out.high + c.high, known=True, spans=out.spans + c.spans)
        if claimed:
            c = combine_figures(claimed)
            hi = c.high or c.best
            if hi and hi > (out.high or out.best):
                out.high = hi
                if out.low is None:
                    out.low = out.best
        return out


def _victim_heads(figures) -> set[str]:
    """The head nouns of the victims the figures count ("attackers", "soldiers"), singular."""
    heads = set()
    for f in figures:
        words = re.findall(r"[a-z]+", (getattr(f, "victims", "") or "").lower())
        words = [w for w in words if w not in ("of", "the", "their", "its", "were", "was", "and")]
        if f.best > 0 and words:
            heads.add(words[-1].rstrip("s"))
    return heads


def _norm_admin(name: str | None) -> str:
    return re.sub(r"[^a-z]", "", (name or "").lower())


def _unknown_actor(ref: ActorRef | None) -> bool:
    """No actor, or only an unnamed armed one ("Unidentified Armed Group (Ukraine)")."""
    return ref is None or (ref.actor_id is None and ref.name.startswith("Unidentified Armed Group"))
