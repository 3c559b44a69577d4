"""resolve stage: normalizes an EventReport's raw mentions into places, actors, dates and fatalities.

Place candidates come from the gazetteer (``places``), actors from the registries (``actors``), dates
from ``dates``, fatality figures are combined by the written rules (``sitrep.extract.fatalities``).
"""
from __future__ import annotations

from collections import Counter

from sitrep.extract import default_actor_class, targets_civilians
from sitrep.extract.fatalities import combine_figures
from sitrep.model import ActorRef, AnalyzedDoc, EventReport, Fatalities, Mention, PlaceMention
from sitrep.resolve.actors import ActorResolver
from sitrep.resolve.dates import event_date, resolve_date
from sitrep.resolve.places import doc_country_focus, resolve_places

# Qualifiers that put an event near a place rather than in it (geo_precision 2).
_NEAR_QUALIFIERS = {"outskirts", "near", "countryside", "vicinity", "around", "outside", "area", "environs",
                    "northern", "southern", "eastern", "western", "north", "south", "east", "west",
                    "northeast", "northwest", "southeast", "southwest", "suburbs", "rural"}
_LEVEL_RANK = {"populated place": 0, "admin2": 1, "admin1": 2, "region": 3, "country": 4, "water": 9}
# A report dated this long before publication is told as past context (background), not news.
BACKGROUND_AFTER_DAYS = 14


class Resolver:
    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        self.actors = ActorResolver()

    # -- places -----------------------------------------------------------------------------------
    def places(self, doc: AnalyzedDoc) -> list[PlaceMention]:
        return resolve_places(doc, self.gazetteer)

    def _focus_country(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> str | None:
        cache = getattr(doc, "_focus", None)
        if cache is None:
            focus = doc_country_focus(doc, [m for m in doc.mentions if m.kind == "place"])
            cache = focus[0][0] if focus else None
            if cache is None:
                counts = Counter(p.place.country_code for p in places if p.place and p.place.country_code)
                cache = counts.most_common(1)[0][0] if counts else ""
            doc._focus = cache  # type: ignore[attr-defined]
        return cache or None

    def _main_place(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> PlaceMention | None:
        """The place the article is mostly about: the most-mentioned resolved town, earliest first."""
        towns = [p for p in places if p.place and p.level == "populated place"
                 and p.role not in ("reference point", "origin")]
        if not towns:
            return None
        counts = Counter(p.place.geonameid for p in towns)
        best = max(counts.values())
        for p in towns:
            if counts[p.place.geonameid] == best:
                return p
        return None

    def _locate(self, report: EventReport, doc: AnalyzedDoc, places: list[PlaceMention]):
        by_pos = {(p.span.start, p.span.end): p for p in places}
        cands = [by_pos.get((m.start, m.end)) for m in report.place_mentions]
        cands = [c for c in cands if c is not None and c.place is not None and c.level != "water"]
        if cands:
            # the most specific of the first few candidates ("in Jisr, Idlib province, Syria" -> Jisr)
            cands = sorted(cands[:4], key=lambda c: _LEVEL_RANK.get(c.level, 5))
            pm = cands[0]
            pm.role = "event location"
            prec = 1
            if pm.level == "admin2":
                prec = 2
            elif pm.level in ("admin1", "region", "country"):
                prec = 3
            elif pm.qualifier and pm.qualifier.lower() in _NEAR_QUALIFIERS:
                prec = 2
            return pm, prec
        main = self._main_place(doc, places)
        if main is not None:
            # "the city" / no place named in the sentence: the article's main town, known less exactly
            prec = 1 if "place_anaphor" in report.flags else 2
            return main, prec
        admins = [p for p in places if p.place and p.level in ("admin1", "admin2")
                  and p.role not in ("reference point", "origin")]
        if admins:
            return admins[0], 3
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
        report.location, report.geo_precision = loc, prec
        cc = loc.place.country_code if loc and loc.place else self._focus_country(doc, places)

        # date
        published = article.published
        dv = event_date(report.date_mentions, published) if report.date_mentions else None
        if (dv is None or dv.start is None) and report.sentences:
            dv = self._context_date(report, doc, published)
        if dv is not None and dv.start is not None:
            report.date, report.date_end, report.time_precision = dv.start, dv.end, dv.precision
        else:
            report.date, report.date_end, report.time_precision = published, None, 2
        if (published and report.date and (published - (report.date_end or report.date)).days
                > BACKGROUND_AFTER_DAYS):
            report.background = True

        # actors
        report.actor1 = self._actor(report.actor1_mentions, cc, report.date)
        report.actor2 = self._actor(report.actor2_mentions, cc, report.date)
        report.assoc_actor_1 = [a for a in (self._actor([m], cc, report.date) for m in report.assoc1_mentions) if a]
        report.assoc_actor_2 = [a for a in (self._actor([m], cc, report.date) for m in report.assoc2_mentions) if a]
        self._upgrade_generic(report, doc, cc)
        self._defaults(report, cc)
        self._coalition(report, doc)

        # fatalities: per sentence, victim groups add up; across sentences a later figure restates or
        # updates the toll, so the largest non-partisan sentence total counts (partisan ones only as high)
        report.fatalities = self._fatalities(report)

    def _context_date(self, report: EventReport, doc: AnalyzedDoc, published):
        """No date in the event's sentence: the nearest earlier date in the same paragraph, else the title's."""
        si = report.sentences[0]
        sents = doc.sentences
        para = sents[si].paragraph
        for m in reversed([m for m in doc.mentions if m.kind == "date" and m.sentence < si]):
            if sents[m.sentence].paragraph != para:
                break
            dv = resolve_date(m, published)
            if dv.start is not None and not m.attrs.get("past_context"):
                # a date carried over from an earlier sentence is less certain
                return type(dv)(dv.start, dv.end, max(dv.precision, 1))
        return None

    def _actor(self, mentions: list[Mention], cc: str | None, date) -> ActorRef | None:
        if not mentions:
            return None
        m = mentions[0]
        ref = self.actors.resolve(m, cc, date)
        if ref is not None:
            ref.spans = [self._span(m)] if not ref.spans else ref.spans
        return ref

    def _span(self, m: Mention):
        from sitrep.model import Span

        return Span("", m.start, m.end, m.text)

    def _upgrade_generic(self, report: EventReport, doc: AnalyzedDoc, cc) -> None:
        """A generic actor1 ("rebels") takes the name of the group the article names nearby as leading it."""
        if not report.actor1_mentions:
            return
        m = report.actor1_mentions[0]
        if not m.attrs.get("generic") or m.attrs.get("inter") not in (2, 3):
            return
        si = report.sentences[0]
        named = [a for a in doc.mentions if a.kind == "actor" and not a.attrs.get("generic")
                 and a.attrs.get("inter") in (2, 3) and abs(a.sentence - si) <= 2]
        if not named:
            return
        # prefer the following sentences ("The operation was spearheaded by X"), then the same sentence
        named.sort(key=lambda a: (a.sentence < si, abs(a.sentence - si), a.start))
        ref = self.actors.resolve(named[0], cc, report.date)
        if ref is not None:
            report.actor1 = ref
            report.actor1_mentions = [named[0]]

    def _defaults(self, report: EventReport, cc) -> None:
        if report.actor1 is None:
            cls = default_actor_class(report.sub_event_type)
            if cls is None and report.sub_event_type == "Air/drone strike":
                cls = "generic:military"
            if cls is not None:
                report.actor1 = self.actors.resolve(
                    Mention(kind="actor", start=0, end=0, text="", sentence=-1, key=cls,
                            attrs={"generic": True}), cc, report.date)
        if report.actor2 is None and targets_civilians(report.sub_event_type):
            report.actor2 = self.actors.resolve(
                Mention(kind="actor", start=0, end=0, text="", sentence=-1, key="generic:civilians",
                        attrs={"generic": True, "inter": 7}), cc, report.date)

    def _coalition(self, report: EventReport, doc: AnalyzedDoc) -> None:
        """Named groups the registry says belong to actor1's coalition become its associated actors."""
        a1 = report.actor1
        if a1 is None or not a1.actor_id:
            return
        have = {a.actor_id for a in report.assoc_actor_1}
        for m in doc.mentions:
            if m.kind != "actor" or m.attrs.get("generic") or m.key == a1.actor_id or m.key in have:
                continue
            if self.actors.is_member(m.key, a1.actor_id, report.date):
                ref = self.actors.resolve(m, a1.country, report.date)
                if ref is not None:
                    report.assoc_actor_1.append(ref)
                    have.add(m.key)

    @staticmethod
    def _fatalities(report: EventReport) -> Fatalities:
        by_sent: dict[int, list] = {}
        partisan: dict[int, list] = {}
        for f in report.fatality_figures:
            target = partisan if getattr(f, "partisan", False) else by_sent
            target.setdefault(getattr(f, "sentence", -1), []).append(f)
        totals = [combine_figures(figs) for figs in by_sent.values()]
        claimed = [combine_figures(figs) for figs in partisan.values()]
        if totals:
            best = max(totals, key=lambda t: t.best)
            out = Fatalities(best=best.best, low=best.low, high=best.high, known=True, spans=list(best.spans))
            hi = max([t.high or t.best for t in totals] + [c.high or c.best for c in claimed])
            if hi > out.best:
                out.high = hi
            return out
        if claimed:
            hi = max(c.high or c.best for c in claimed)
            return Fatalities(best=0, low=0, high=hi or None, known=False,
                              spans=[s for c in claimed for s in c.spans])
        return Fatalities()
