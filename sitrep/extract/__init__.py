"""extract stage: AnalyzedDoc -> EventReports with their roles, evidence and claims.

Typing (which sub-event a sentence tells, and whether it is asserted) is in ``typing``; fatality figures in
``fatalities``; attribution in ``claims``.  This module assembles one EventReport per typed trigger:
actor roles (actor1 initiator, actor2 target, associated actors after "including", "backed by", ...), the
candidate places, dates and figures of its sentence, and the claims that speak about it.
"""
from __future__ import annotations

import re

from sitrep.extract.claims import Attributor, SentenceClaim
from sitrep.extract.fatalities import fatality_figures
from sitrep.extract.typing import classify_sentence
from sitrep.model import AnalyzedDoc, EventReport, Mention, PlaceMention, Sentence

# Words that introduce associated actors of the actor just before them.  Hand-written: these are the
# handful of English connectors coders read as "fighting alongside", no library models ACLED roles.
_ASSOC_CUES = re.compile(
    r"\b(including|includes|included|backed by|supported by|affiliated with|allied with|alongside|along with|"
    r"together with|in coordination with|joined by|with the help of|loyal to|aligned with)\b", re.I)
_PASSIVE_BY = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?\w+(?:ed|en|n|t)\s+by\b", re.I)
_BY = re.compile(r"\bby\b", re.I)
_BETWEEN = re.compile(r"\bbetween\b", re.I)
_ANAPHOR_PLACE = re.compile(r"\bthe (city|town|village|area|district|region|province|camp|neighbou?rhood)\b",
                            re.I)
# When a sentence names no actor, the subject words coders read as the usual initiator of the sub-event.
_DEFAULT_ACTOR1_CLASS = {
    "Peaceful protest": "generic:protesters",
    "Protest with intervention": "generic:protesters",
    "Excessive force against protesters": "generic:protesters",
    "Violent demonstration": "generic:rioters",
    "Mob violence": "generic:rioters",
}
_TARGET_CIVILIANS = {"Attack", "Abduction/forced disappearance", "Sexual violence"}
_PROTEST_INTERVENTION = {"Protest with intervention", "Excessive force against protesters"}


class Extractor:
    def __init__(self):
        self.attributor = Attributor()

    def extract(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> list[EventReport]:
        article = doc.article
        place_by_pos = {(p.span.start, p.span.end): p for p in places}
        claims = self.attributor.claims(doc)
        claims_by_sent: dict[int, list[SentenceClaim]] = {}
        for c in claims:
            claims_by_sent.setdefault(c.sentence, []).append(c)

        reports: list[EventReport] = []
        report_sent: list[int] = []
        for sent in doc.sentences:
            if sent.repeated:
                continue
            for tt in classify_sentence(doc, sent):
                if tt.modality not in ("asserted", "background"):
                    continue
                rep = self._report(doc, sent, tt, place_by_pos)
                rep.background = tt.modality == "background"
                reports.append(rep)
                report_sent.append(sent.index)

        # fatality figures and claims in sentences without an event of their own go to the nearest
        # earlier event (the account goes on: "... 1 fatality.", "SOHR said 60 bodies were found")
        by_sent = {}
        for rep, si in zip(reports, report_sent):
            by_sent.setdefault(si, []).append(rep)
        for sent in doc.sentences:
            if sent.repeated:
                continue
            own = by_sent.get(sent.index)
            targets = own if own else self._nearest_before(reports, report_sent, sent.index)
            if not targets:
                continue
            sclaims = claims_by_sent.get(sent.index, [])
            partisan = any(c.partisan for c in sclaims)
            source = sclaims[0].claim.source if sclaims else None
            if own:
                for rep in own:
                    for f in rep.fatality_figures:
                        f.partisan, f.source, f.sentence = partisan, source, sent.index
            else:
                figs = fatality_figures(doc, sent)
                for f in figs:
                    f.partisan, f.source, f.sentence = partisan, source, sent.index
                if figs:
                    targets[0].fatality_figures.extend(figs)
                    targets[0].evidence.append(article.span(sent.start, sent.end))
            for sc in sclaims:
                what = []
                if fatality_figures(doc, sent):
                    what.append("fatalities")
                if any(m.kind == "place" for m in doc.in_sentence(sent.index)):
                    what.append("location")
                if any(m.kind == "actor" for m in doc.in_sentence(sent.index)):
                    what.append("actors")
                if own:
                    what.append("occurrence")
                sc.claim.what = what or ["occurrence"]
                for t in targets[:1] if not own else targets:
                    t.claims.append(sc.claim)
        return reports

    @staticmethod
    def _nearest_before(reports, report_sent, index: int) -> list[EventReport]:
        best = None
        for rep, si in zip(reports, report_sent):
            if si < index and not rep.background and (best is None or si >= best[0]):
                best = (si, rep)
        return [best[1]] if best else []

    def _report(self, doc: AnalyzedDoc, sent: Sentence, tt, place_by_pos) -> EventReport:
        article = doc.article
        trig: Mention = tt.trigger
        rep = EventReport(
            article_id=article.id, document_id=article.document_id or article.id,
            event_type=tt.event_type, sub_event_type=tt.sub_event_type,
            trigger=article.span(trig.start, trig.end), evidence=[article.span(sent.start, sent.end)],
            sentences=[sent.index], confidence=float(getattr(tt, "score", 0.5) or 0.5),
        )
        mentions = doc.in_sentence(sent.index)
        actors = [m for m in mentions if m.kind == "actor"]
        self._roles(doc, sent, trig, actors, rep)
        # places: the event's candidates in order of preference (after the trigger first)
        cands = []
        for m in mentions:
            if m.kind != "place":
                continue
            pm = place_by_pos.get((m.start, m.end))
            if pm is not None and pm.role in ("reference point", "origin"):
                continue
            cands.append(m)
        cands.sort(key=lambda m: (0 if m.start >= trig.start else 1, abs(m.start - trig.end)))
        rep.place_mentions = cands
        if not cands and _ANAPHOR_PLACE.search(sent.text):
            rep.flags.append("place_anaphor")
        rep.date_mentions = [m for m in mentions if m.kind == "date"]
        figs = fatality_figures(doc, sent)
        rep.fatality_figures = list(figs)
        return rep

    def _roles(self, doc: AnalyzedDoc, sent: Sentence, trig: Mention, actors: list[Mention], rep: EventReport):
        text = doc.article.text
        if not actors:
            return
        # associated actors: mentions right after an association cue, tied to the actor before the cue
        assoc: set[int] = set()
        for m in _ASSOC_CUES.finditer(sent.text):
            cue_end = sent.start + m.end()
            following = [a for a in actors if a.start >= cue_end]
            if following:
                first = following[0]
                gap = text[cue_end:first.start]
                if len(gap) <= 40:
                    assoc.add(id(first))
                    # "including X and Y" keeps going
                    for nxt in following[1:]:
                        between = text[first.end:nxt.start]
                        if re.fullmatch(r"\s*(,|and|, and)\s*(the\s+)?", between, re.I):
                            assoc.add(id(nxt))
                            first = nxt
                        else:
                            break
        main = [a for a in actors if id(a) not in assoc]
        before = [a for a in main if a.end <= trig.start]
        after = [a for a in main if a.start >= trig.end]
        head = text[sent.start:trig.start]
        passive = bool(_PASSIVE_BY.search(text[sent.start:min(sent.end, trig.end + 30)]))
        by_agent = None
        for m in _BY.finditer(text, trig.end, sent.end):
            ag = [a for a in after if a.start >= m.end() and a.start - m.end() <= 25]
            if ag:
                by_agent = ag[0]
                break
        if _BETWEEN.search(head[-60:] if len(head) > 60 else head) or (
                _BETWEEN.search(text[trig.end:trig.end + 20]) and len(after) >= 2):
            # "clashes between X and Y"
            pool = after if len(after) >= 2 else before + after
            a1, a2 = pool[0], pool[1] if len(pool) > 1 else None
        elif by_agent is not None and (passive or not before):
            a1 = by_agent
            rest = [a for a in before + after if a is not by_agent]
            a2 = rest[0] if rest else None
        else:
            a1 = before[-1] if before else (after[0] if after else None)
            # the subject of a sentence is usually its first actor, not the one nearest the trigger
            if before:
                a1 = before[0]
                for b in before:
                    if re.search(r"\b(of|from|for|against)\s+(the\s+)?$", text[sent.start:b.start][-20:], re.I):
                        continue
                    a1 = b
                    break
            rest = [a for a in after if a is not a1]
            a2 = rest[0] if rest else None
        rep.actor1_mentions = [a1] if a1 else []
        rep.actor2_mentions = [a2] if a2 else []
        for a in actors:
            if id(a) in assoc:
                # associated with the side whose mention comes before the cue
                if a1 is not None and (a2 is None or abs(a.start - a1.end) <= abs(a.start - a2.end)):
                    rep.assoc1_mentions.append(a)
                else:
                    rep.assoc2_mentions.append(a)
        if rep.sub_event_type in _TARGET_CIVILIANS and rep.actor2_mentions == [] and rep.actor1_mentions:
            if rep.actor1_mentions[0].attrs.get("inter") == 7:
                # "civilians were killed" with no perpetrator named: the civilians are the target
                rep.actor2_mentions, rep.actor1_mentions = rep.actor1_mentions, []


def default_actor_class(sub_event_type: str) -> str | None:
    return _DEFAULT_ACTOR1_CLASS.get(sub_event_type)


def targets_civilians(sub_event_type: str) -> bool:
    return sub_event_type in _TARGET_CIVILIANS


def protest_intervention(sub_event_type: str) -> bool:
    return sub_event_type in _PROTEST_INTERVENTION
