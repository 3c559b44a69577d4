"""extract stage: AnalyzedDoc -> EventReports with their roles, evidence and claims.

Typing (which sub-event a sentence tells, and whether it is asserted) is in ``typing``; fatality figures in
``fatalities``; attribution in ``claims``.  This module assembles one EventReport per typed trigger:
actor roles (actor1 initiator, actor2 target, associated actors after "including", "backed by", ...), the
candidate places, dates and figures of its sentence, and the claims that speak about it.
"""
from __future__ import annotations

import functools
import operator
import re
import sys
import types

from sitrep.extract.claims import Attributor, SentenceClaim
from sitrep.extract.fatalities import fatality_figures, twin
from sitrep.extract.fatalities import warm_caches as _warm_fatalities
from sitrep.extract.typing import classify_sentence, in_sentence, object_participles, of_kind
from sitrep.extract.typing import warm_caches as _warm_typing
from sitrep.model import AnalyzedDoc, EventReport, Mention, PlaceMention, Sentence
from sitrep.nlp.numbers import alternatives, case_free, grouped, lowered


def _g(src: str) -> str:
    """The alternatives of ``src`` grouped by their first letters: the same matches, found faster (see
    sitrep.nlp.numbers.grouped)."""
    return grouped(alternatives(src))


# Words that introduce associated actors of the actor just before them.  Hand-written: these are the
# handful of English connectors coders read as "fighting alongside", no library models ACLED roles.
_ASSOC_CUES = re.compile(
    r"\b(" + _g(r"including|includes|included|backed by|supported by|affiliated with|allied with|alongside|along with|"
                r"together with|in coordination with|joined by|with the help of|loyal to|aligned with") + r")\b", re.I)
_PREP_BEFORE = re.compile(r"\b(" + _g(r"of|from|for|against|on|to|with|by|at|in") + r")\s+(the\s+|an?\s+)?[\w’'-]*\s*$",
                          re.I)
# qualifiers a coder reads through between "by" and the agent: "fired by presumed LNA forces"
_BY_QUAL = r"(?:the\s+|an?\s+|suspected\s+|alleged\s+|presumed\s+|reported\s+|apparent\s+|possible\s+|likely\s+|" \
           r"unidentified\s+|unknown\s+|armed\s+)*"
_PASSIVE_BY = re.compile(r"\b(?:was|were|been|being|is|are|got)\s+(?:\w+ly\s+)?(?:\w+(?:ed|en|n|t)\s+)"
                         r"(?:and\s+\w+(?:ed|en|n|t)\s+)?(?:\w+\s+){0,3}?by\s+" + _BY_QUAL + "$", re.I)
_WEAPON_BY = re.compile(r"\b(?:" + _g(
    r"planted|laid|placed|set|fired|launched|carried out|claimed|perpetrated|"
    r"committed|conducted|orchestrated|dropped|thrown|hurled|detonated|triggered|killed|executed|abducted|"
    r"kidnapped|shot|attacked|ambushed|targeted|captured|seized|arrested|detained|wounded|injured|"
    r"murdered|beheaded|burned|burnt|looted|raped|hit|struck|bombed|shelled|stormed|raided|"
    r"overrun|torched|destroyed") + r")\s+by\s+" + _BY_QUAL + "$", re.I)
# "an attack by X", "airstrikes by X" anywhere in the sentence name the side that acted
_ACT_BY = re.compile(r"\b(?:" + _g(r"attacks?|assaults?|ambush(?:es)?|raids?|offensive|incursions?|air\s?strikes?|"
                                    r"air raids?|shelling|bombardment|bombing|fire|gunfire|shots")
                     + r")\s+(?:\w+\s+){0,1}?by\s+" + _BY_QUAL + "$", re.I)
# "repelled a Taliban attack": the name before the attack noun is the attacker
_REPEL_LEAD = re.compile(r"\b(?:" + _g(r"repelled|repulsed|thwarted|foiled|fended\s+off|foiled|resisted|pushed\s+back|"
                                        r"responded\s+to|retaliated\s+against")
                         + r")\s+(?:an?\s+|the\s+|two\s+|several\s+)?$", re.I)
_ATTACK_NOUN = re.compile(r"\s*(?:attacks?|assaults?|offensive|ambush(?:es)?|raids?|incursions?|infiltration)\b", re.I)
# the subject of a passive casualty verb is a victim: "soldiers were killed following an attack by X"
_VICTIM_AFTER = re.compile(r"\s*(?:\w+\s+){0,2}?(?:was|were|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?"
                           r"(?:killed|wounded|injured|kidnapped|abducted|taken|captured|martyred|shot|executed|"
                           r"ambushed|attacked|targeted|hit|struck)\b", re.I)
# "X were killed in a missile strike": the subject is hurt by the event the noun after names
_VICTIMS_OF_NOUN = re.compile(r"(?:\s+(?:and|of)\s+[\w-]+(?:\s+[\w-]+){0,2}?)?\s+(?:was|were|have\s+been|has\s+been|"
                              r"had\s+been)\s+(?:\w+ly\s+)?(?:killed|wounded|injured|hurt|maimed)\s+"
                              r"(?:in|by|during)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,3}?$", re.I)
# the trigger noun followed by its agent: "airstrikes by the coalition", "an attack by LNA forces"
_TRIGGER_BY = re.compile(r"^\s*(?:\w+\s+){0,2}?by\s+" + _BY_QUAL + "$", re.I)
_MADE_BY = re.compile(r"-?(?:planted|laid|placed|fired|led|launched|controlled|run)\b", re.I)
# a clause boundary between a subject candidate and the verb: the candidate belongs to another clause
# a weapon noun as the verb's instrument: "... with explosives", "... using a drone"
_INSTRUMENT_BEFORE = re.compile(r"\b(?:with|using)\s+(?:an?\s+|the\s+|their\s+|its\s+)?(?:[\w-]+\s+){0,2}$", re.I)
# the subject that refers back to a group: "said the group had captured", "said its fighters repelled"
_GROUP_ANAPHOR = re.compile(r"\b(?:the\s+(?:group|movement|rebels|militants|insurgents|organi[sz]ation)|its\s+"
                            r"(?:fighters|forces|men|units)|it|they)\s+(?:had\s+|has\s+|have\s+)?$", re.I)
_SPEAKER_OWN = re.compile(r"\s+(?:said|says|claimed|claims|announced|stated)(?:\s+in\s+a\s+statement)?"
                          r"(?:\s+on\s+\w+)?\s+(?:that\s+)?(?:the\s+group|its\s+(?:fighters|forces|men|units|members)|"
                          r"their\s+(?:fighters|forces|men)|it|they)\b", re.I)
_OWN_MEN = re.compile(r"\b(?:its|their)\s+$", re.I)
_SAID_IT = re.compile(r"\s+(?:said|says|claimed|claims|announced|reported|stated)\s+(?:that\s+)?(?:it|they|its)\b",
                      re.I)
_SUBCLAUSE = re.compile(r"[;:]|\b(?:" + _g(r"when|after|as|while|before|who|which|where|because|since") + r")\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:" + _g(r"when|after|as|while|before|who|which|where|because|since|and then")
                           + r")\b",
                           re.I)
# an actor right before a reporting verb speaks about the event ("the army said"); "claimed to have killed",
# "claimed responsibility" is a group owning its act, which makes it the actor
_SPEECH_AFTER = re.compile(r"^[\s,]*(?:[\w’'-]+\s+){0,3}?(?:said|says|told|tells|reported|reports|announced|announces|"
                           r"stated|states|claimed|claims|confirmed|confirms|denied|denies|added|noted|wrote|posted|"
                           r"published|tweeted|alleged|accused|according|uploaded|shared|released|showed|shows|"
                           r"insisted|warned|quoted)\b", re.I)
_SELF_CLAIM = re.compile(r"^\s*,?\s*(?:\w+ly\s+)?(?:has\s+|have\s+|had\s+)?claim(?:ed|s)\s+(?:to\s+have|"
                         r"responsibility|the\s+attack|(?:that\s+)?(?:it|they)\s+(?:had\s+)?\w+ed)\b", re.I)
_SPEECH_BEFORE = re.compile(r"\b(?:according\s+to|citing|quoting|by|from|told|said|via)\s+(?:the\s+|an?\s+)?$", re.I)
_VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
_ARMED_INTER = {1, 2, 3, 4, 8}
# Openers that tell a new incident rather than go on with the last one.
_SEPARATE = re.compile(r"\W*(?:separately|in (?:a|another) (?:separate |similar |related )?(?:incident|attack|"
                       r"development|case)|elsewhere|meanwhile|in other (?:news|violence)|on the same day|"
                       r"the same day|also on|later(?: that| the same)? (?:day|night|evening)|earlier)\b", re.I)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|at|near|outside|around|inside|into|across|on|towards?|of)\s+(?:the\s+)?(?:(?:\w+\s+){0,2}"
    r"(?:town|city|village|area|district|province|region|county|municipality|neighbou?rhood|camp|vicinity|"
    r"outskirts|countryside|suburbs?|state|governorate|locality|commune|settlement|hamlet|department|"
    r"prefecture|township|zone|sector)\s+(?:of\s+)?)?$", re.I)
_BETWEEN = re.compile(r"\bbetween\b", re.I)
# A generic name for an incident, referred back to: "the attack", "this was a cowardly attack"
_ANAPHORIC_NOUN = re.compile(r"(?i)attacks?|assault|ambush|raid|incident|massacre|killings?|bombing")
_ANAPHOR_BEFORE = re.compile(r"(?i)(?:\b(?:this|that|the|such\s+an?)|\b(?:this|that|it)\s+(?:was|is)\s+an?)\s+"
                             r"(?:(?!(?:of|for|in|on|by|to|with|from|behind|after)\b)[\w'’-]+\s+){0,2}$")
_ANAPHOR_SUBJECT = re.compile(r"(?i)\b(?:the|this|that)\s+(?:air\s*|drone\s+|missile\s+)?(?:strikes?|attacks?|raids?|"
                             r"bombings?|shelling|assault|ambush)\s+(?:had\s+|has\s+|have\s+|was\s+|were\s+)?"
                             r"(?:\w+ly\s+)?$")
# "... repulsed their attack": the side that repelled did not open the fight
_REPELLED_THEIR = re.compile(r"(?:repell?ed|repulsed|foiled|thwarted|fought\s+off|beat\s+back|pushed\s+back)\s+"
                             r"(?:their|its|his|an?|the)\s+(?:\w+\s+)?(?:attacks?|assaults?|offensive|raids?|"
                             r"advance|ambush|infiltration)", re.I)
_ARMED_VICTIMS = re.compile(r"\b(fighters?|soldiers?|troops|militants?|rebels?|insurgents?|militiam[ae]n|"
                            r"gunmen|combatants|servicem[ae]n|personnel|policem[ae]n|officers|terrorists|"
                            r"jihadists?|pro-government|pro-regime|members of the|police|bodyguards?|guards?)\b", re.I)
_ANAPHOR_PLACE = re.compile(r"\bthe (city|town|village|area|district|region|province|camp|neighbou?rhood)\b",
                            re.I)
_START = operator.attrgetter("start")  # a sort key (speed: no Python call per item)
_TARGET_CIVILIANS = {"Attack", "Abduction/forced disappearance", "Sexual violence"}
# "Iraqi and US troops", "including X, Y and Z": what joins the names of one side (compiled once: asked per pair)
_AND_GAP = re.compile(r"\s*(?:,\s*)?and\s*")
_LIST_GAP = re.compile(r"\s*(,|and|, and)\s*(the\s+)?", re.IGNORECASE)


_LOW_TEXT: list = [None, None]  # (text, lowered(text)) of the last article asked for


def _lowered(text: str) -> str | None:
    """sitrep.nlp.numbers.lowered of an article's text, kept for the last article (speed: asked per actor)."""
    if _LOW_TEXT[0] is not text:
        _LOW_TEXT[0], _LOW_TEXT[1] = text, lowered(text)
    return _LOW_TEXT[1]


# Speed: case-sensitive twins of case-insensitive patterns searched many times, for lower-cased text (the same
# matches at the same offsets; see sitrep.nlp.numbers.case_free); only their truth or offsets are read.
_PASSIVE_BY_LOW, _WEAPON_BY_LOW, _ACT_BY_LOW, _REPEL_LEAD_LOW = (
    case_free(_PASSIVE_BY), case_free(_WEAPON_BY), case_free(_ACT_BY), case_free(_REPEL_LEAD))
_LOCATIVE_BEFORE_LOW = case_free(_LOCATIVE_BEFORE)



@functools.cache
def _object_by() -> re.Pattern:
    """"operated by", "owned by" ... at the end of a text: "shot down a drone operated by the GNA" tells who
    ran the object, not who did the act (the participles: triggers.yaml object_participles)."""
    words = "|".join(sorted(object_participles(), key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\s+by\s+(?:the\s+|an?\s+)?$", re.I)


def _find(rx: re.Pattern, text: str, start: int, end: int) -> re.Match | None:
    """``rx.search(text[start:end])`` for an article's text, run on its lower-cased copy with the pattern's
    case-sensitive twin when there are both (speed: the same matches at the same offsets; callers read only
    the offsets)."""
    low_rx = twin(rx)
    low = _lowered(text) if low_rx is not None else None
    return rx.search(text[start:end]) if low is None else low_rx.search(low[start:end])


def _agent(text: str, sent: Sentence, actors: list[Mention], trig: Mention | None = None) -> Mention | None:
    """The agent named in a passive or weapon phrase: "was killed by X", "an IED planted by X",
    "a Taliban-planted landmine", "airstrikes by X"."""
    low = _lowered(text) if None not in (_PASSIVE_BY_LOW, _WEAPON_BY_LOW, _ACT_BY_LOW, _REPEL_LEAD_LOW) else None
    for a in actors:
        if low is not None:  # speed: the same tests on the lower-cased text
            lead = low[max(sent.start, a.start - 60):a.start]
            # (what the three "by" patterns match holds "by")
            passive = "by" in lead and (_PASSIVE_BY_LOW.search(lead) or _WEAPON_BY_LOW.search(lead)
                                        or _ACT_BY_LOW.search(lead))
            repel = _REPEL_LEAD_LOW.search(lead) if not passive else None
        else:
            lead = text[max(sent.start, a.start - 60):a.start]
            passive = _PASSIVE_BY.search(lead) or _WEAPON_BY.search(lead) or _ACT_BY.search(lead)
            repel = _REPEL_LEAD.search(lead) if not passive else None
        if passive:
            return a
        if repel and _ATTACK_NOUN.match(text, a.end):
            return a
        if _MADE_BY.match(text, a.end) and a.end < sent.end:
            return a
        if trig is not None and trig.end <= a.start and a.start - trig.end <= 40 and _TRIGGER_BY.match(
                text[trig.end:a.start]) and not _object_by().search(text, trig.end, a.start):
            return a
    return None


def warm_caches() -> None:
    _warm_typing()
    _warm_fatalities()
    for rx in (_PREP_BEFORE, _BETWEEN, _CLAUSE_BREAK, _INSTRUMENT_BEFORE, _SPEECH_BEFORE, _ASSOC_CUES):
        twin(rx)  # the lower-case twins _find and _associated use


def _tells_own_act(text: str, start: int, end: int) -> bool:
    """The words after a speaker (``text[start:end]``, up to the trigger) say the speaker's own men did it:
    "Hezbollah said in a statement that its fighters had targeted an army position ... with guided missiles"."""
    return end - start <= 120 and ";" not in text[start:end] and _SPEAKER_OWN.match(text, start) is not None


def _done_by_speaker(rep: EventReport) -> bool:
    """Events a group tells of itself having done ("M23 said it had captured ...", "the air force said it had
    shot down 23 drones"): fighting, strikes, violence, and weapons stopped."""
    return rep.event_type in _VIOLENT_TYPES or rep.sub_event_type == "Disrupted weapons use"


def _other_country_told(named: Mention, generic: Mention) -> bool:
    """A generic actor whose country the text tells ("the military forces of Azerbaijan", "Azerbaijani
    soldiers") reads as a force other than the named one when the names differ."""
    return bool(generic.attrs.get("demonym")) and generic.attrs.get("name") != named.attrs.get("name")


class Extractor:
    def __init__(self):
        self.attributor = Attributor()
        warm_caches()  # registries and patterns are built when the pipeline loads, not on the first article

    def extract(self, doc: AnalyzedDoc, places: list[PlaceMention]) -> list[EventReport]:
        article = doc.article
        if not of_kind(doc, "trigger"):
            return []  # no trigger, no event (speed: the claims and figures would go to none)
        place_by_pos = {(p.span.start, p.span.end): p for p in places}
        claims_by_sent: dict[int, list[SentenceClaim]] = {}
        for c in self.attributor.claims(doc):
            claims_by_sent.setdefault(c.sentence, []).append(c)

        reports: list[EventReport] = []
        by_sent: dict[int, list[EventReport]] = {}
        unreal: set[int] = set()
        for sent in doc.sentences:
            if sent.repeated:
                continue
            sclaims = claims_by_sent.get(sent.index, ())
            # "the army said it redeployed", "the ministry denied the town fell": a counter-account of an event
            # told elsewhere, not an event of its own; but a trigger outside what is denied ("blocked the road
            # ... over a shooting the authorities have denied") is the sentence's own event
            counter = [c.claim.span for c in sclaims] if sclaims and all(
                c.claim.stance != "asserts" for c in sclaims) else ()
            speakers = [c.speaker for c in sclaims if c.speaker is not None] if sclaims else []
            for tt in classify_sentence(doc, sent):
                if counter and any(sp.start <= tt.trigger.start < sp.end for sp in counter):
                    continue
                if tt.modality not in ("asserted", "background"):
                    # "could attack the city", "denied that ...": says nothing about a current event
                    unreal.add(sent.index)
                    continue
                rep = self._report(doc, sent, tt, place_by_pos, speakers)
                rep.background = tt.modality == "background"
                reports.append(rep)
                by_sent.setdefault(sent.index, []).append(rep)

        # the account goes on in sentences without an event of their own ("SOHR said 60 bodies were found",
        # "... 1 fatality."): their figures and claims go to the nearest earlier event they speak about
        # (speed: a sentence up to the first current event has none to speak about, see _related_event)
        first = min((r.sentences[0] for r in reports if r.sentences and not r.background), default=None)
        for sent in doc.sentences:
            if sent.repeated:
                continue
            own = by_sent.get(sent.index, [])
            if not own and (first is None or sent.index <= first):
                continue
            sclaims = claims_by_sent.get(sent.index, ())
            partisan = bool(sclaims) and any(c.partisan for c in sclaims)  # (speed: most sentences have none)
            source = sclaims[0].claim.source if sclaims else None
            figs = [f for r in own for f in r.fatality_figures] if own else fatality_figures(doc, sent)
            for f in figs:
                f.partisan, f.source, f.sentence = partisan, source, sent.index
            if own:
                targets = own
            elif sent.index in unreal and not sclaims and not figs:
                continue
            else:
                target = self._related_event(doc, sent, reports, figs)
                if target is None:
                    continue
                targets = [target]
                if figs:
                    target.fatality_figures.extend(figs)
                    if target.sub_event_type == "Attack" and not target.background and any(
                            _ARMED_VICTIMS.search(getattr(f, "victims", "") or "") for f in figs):
                        # "gunmen shot the mayor dead. His bodyguards, two policemen, were also killed": armed
                        # men fell on the other side, so the attack was a clash
                        target.event_type, target.sub_event_type = "Battles", "Armed clash"
                target.evidence.append(article.span(sent.start, sent.end))
            for sc in sclaims:
                sc.claim.what = list(dict.fromkeys(sc.claim.what + self._claim_fields(doc, sent, bool(figs),
                                                                                     bool(own))))
                for t in targets:
                    t.claims.append(sc.claim)
        return reports

    @staticmethod
    def _claim_fields(doc: AnalyzedDoc, sent: Sentence, has_figures: bool, has_event: bool) -> list[str]:
        kinds = {m.kind for m in in_sentence(doc, sent.index)}
        what = []
        if has_event:
            what.append("occurrence")
        if has_figures:
            what.append("fatalities")
        if "place" in kinds:
            what.append("location")
        if "actor" in kinds:
            what.append("actors")
        return what or ["occurrence"]

    def _related_event(self, doc: AnalyzedDoc, sent: Sentence, reports: list[EventReport],
                       figs: list) -> EventReport | None:
        """The earlier current event a sentence without its own trigger speaks about, if any: it must give
        a figure, name one of the event's places or actors, or refer back to "the city"/"the town"."""
        earlier = [r for r in reports if r.sentences and r.sentences[0] < sent.index and not r.background]
        if not earlier:
            return None
        mentions = in_sentence(doc, sent.index)
        keys = {(m.kind, m.key) for m in mentions if m.kind in ("place", "actor")}
        anaphor = bool(_ANAPHOR_PLACE.search(sent.text))
        if figs:
            armed = any(_ARMED_VICTIMS.search(getattr(f, "victims", "") or "") for f in figs)
            if armed:
                fighting = [r for r in earlier if r.event_type in ("Battles", "Explosions/Remote violence")]
                if fighting:
                    last = fighting[-1]
                    if last.paragraph == sent.paragraph and last.event_type == "Battles":
                        return last  # "... seized the town. 23 fighters died in the battle for the town"
                    return last if not anaphor else fighting[0]
            return earlier[-1]
        for r in reversed(earlier):
            rkeys = {("place", m.key) for m in r.place_mentions} | {
                ("actor", m.key) for m in r.actor1_mentions + r.actor2_mentions if not m.attrs.get("generic")}
            if keys & rkeys:
                return r
        if anaphor:
            # "the city" is the article's main place: the first event told
            return earlier[0]
        return None

    def _report(self, doc: AnalyzedDoc, sent: Sentence, tt, place_by_pos, speakers) -> EventReport:
        article = doc.article
        trig: Mention = tt.trigger
        rep = EventReport(
            article_id=article.id, document_id=article.document_id or article.id,
            event_type=tt.event_type, sub_event_type=tt.sub_event_type,
            trigger=article.span(trig.start, trig.end), evidence=[article.span(sent.start, sent.end)],
            sentences=[sent.index], paragraph=sent.paragraph,
            confidence=float(getattr(tt, "score", 0.5) or 0.5),
        )
        if _SEPARATE.match(sent.text):
            rep.flags.append("separate")  # "Separately, ...", "In another incident, ..."
        if sent.index == 0 and article.title and sent.text.strip() == article.title.strip():
            rep.flags.append("headline")
        if _ANAPHORIC_NOUN.fullmatch(trig.text) and _ANAPHOR_BEFORE.search(article.text[sent.start:trig.start]) \
                or _ANAPHOR_SUBJECT.search(article.text[max(sent.start, trig.start - 40):trig.start]):
            # "This was a coward's attack", "the strike had targeted fighters": the incident just told, named
            # again (as a noun, or as the subject of the verb that tells it further)
            rep.flags.append("anaphoric")
        mentions = in_sentence(doc, sent.index)
        # the speaker of a claim and words of the trigger itself are not parties to the event
        blocked = [(sp.start, sp.end) for sp in speakers] + [(trig.start, trig.end)] + [
            (m.start, m.end) for m in mentions if m.kind == "source"]
        actors = [m for m in mentions if m.kind == "actor"
                  and not any(m.start < e and s < m.end for s, e in blocked)]
        # "M23 fighters", "Taliban militants": a generic noun right after a named group is that group
        named_ends = {m.end for m in actors if not m.attrs.get("generic")}
        actors = [m for m in actors if not (m.attrs.get("generic") and any(
            0 <= m.start - e <= 1 for e in named_ends))]
        self._roles(doc, sent, trig, actors, rep)
        # places: the event's candidates in order of preference (after the trigger first)
        cands = []
        for m in mentions:
            if m.kind != "place":
                continue
            pm = place_by_pos.get((m.start, m.end))
            if (pm is not None and pm.role in ("reference point", "origin", "speaker")) or m.attrs.get("dateline"):
                continue
            cands.append(m)
        text = article.text
        low = _lowered(text) if _LOCATIVE_BEFORE_LOW is not None and len(cands) > 1 else None

        def preference(m: Mention) -> tuple:
            # "in X", "near X", "in the town of X" name where something happened; a bare name is
            # more often a school, a road or a description ("Adventista Americana school")
            locative = bool(_LOCATIVE_BEFORE.search(text[max(sent.start, m.start - 40):m.start]) if low is None
                            else _LOCATIVE_BEFORE_LOW.search(low[max(sent.start, m.start - 40):m.start])) or (
                0 <= m.start - trig.end <= 5)  # the verb's object: "overran Idlib", "shelled Marinka"
            return (not locative, m.start < trig.start, abs(m.start - trig.end))

        if len(cands) > 1:  # (speed: one candidate needs no ranking)
            cands.sort(key=preference)
        rep.place_mentions = cands
        if not cands and _ANAPHOR_PLACE.search(sent.text):
            rep.flags.append("place_anaphor")
        dates = [m for m in mentions if m.kind == "date" and not m.attrs.get("dateline")]
        if dates and tt.modality == "asserted":
            # a past date told after another event word dates that one, not this event: "landowners began a
            # hunger strike to demand the return of property seized by the army in the 1970s"
            later = [m.start for m in mentions if m.kind == "trigger" and m.start >= trig.end]
            if later:
                dates = [m for m in dates if not (m.attrs.get("past_context") and m.start > trig.end
                                                  and any(s < m.start for s in later))]
        rep.date_mentions = dates
        figs = fatality_figures(doc, sent)
        rep.fatality_figures = list(figs)
        return rep

    def _roles(self, doc: AnalyzedDoc, sent: Sentence, trig: Mention, actors: list[Mention], rep: EventReport):
        text = doc.article.text
        actors = self._readmit(doc, sent, trig, actors)
        if not actors:
            # "The Military Police raided the X community. A shoot-out broke out ...": the sentence before
            # names who went in; "the air force said it had shot down 23 drones": the speaker did it
            carried = self._speaking_group(doc, sent, trig) if _done_by_speaker(rep) else None
            carried = carried or self._carried_agent(doc, sent, rep)
            rep.actor1_mentions = [carried] if carried else []
            return
        assoc = self._associated(text, sent, actors)
        main = [a for a in actors if id(a) not in assoc]
        before = [a for a in main if a.end <= trig.start]
        after = [a for a in main if a.start >= trig.end]
        head = text[sent.start:trig.start]
        agent = _agent(text, sent, main, trig)

        def subject(cands: list[Mention]) -> Mention | None:
            # the subject is not the object of a preposition ("the page of the Nusra Front")
            for c in cands:
                if not _find(_PREP_BEFORE, text, max(sent.start, c.start - 25), c.start):
                    return c
            return None

        if _find(_BETWEEN, text, max(sent.start, trig.start - 60), trig.start) or (
                _find(_BETWEEN, text, trig.end, trig.end + 20) and len(after) >= 2):
            # "clashes between X and Y"
            pool = after if len(after) >= 2 else before + after
            a1, a2 = pool[0], pool[1] if len(pool) > 1 else None
        elif (spoken := self._speaking_group(doc, sent, trig)) is not None and (
                agent is None or agent.start > trig.end):
            # "M23's spokesman said the group had captured Rubaya ... attacks by the army": the speaker's
            # group did it; a "by X" after the verb belongs to another noun
            a1 = spoken
            rest = [a for a in main if a.key != spoken.key]
            # (the other side of a battle; the object after the verb of a strike: "an air strike against X")
            # ("its fighters", "their men": the speaking group's own, not the other side)
            rest = [a for a in rest
                    if not (a.attrs.get("generic") and _OWN_MEN.search(text, max(0, a.start - 8), a.start))]
            a2 = rest[0] if rest and rep.event_type in _VIOLENT_TYPES else None
        elif agent is not None:
            # "was killed by X", "an IED planted by X", "a Taliban-planted landmine"
            a1 = agent
            rest = [a for a in main if a is not agent]
            a2 = rest[0] if rest else None
        elif rep.event_type == "Battles" and before:
            # "X attacked Y, and Y responded, killing ...": the side that opened the fight leads the sentence
            a1 = subject(before) or before[0]
            rest = [a for a in main if a is not a1 and a.key != a1.key] or [a for a in main if a is not a1]
            # a battle is fought between armed sides: "a Syrian man flashing the victory sign" is no party
            rest = [a for a in rest if a.attrs.get("inter") in _ARMED_INTER] or [
                a for a in rest if a.attrs.get("inter") != 7]
            a2 = rest[0] if rest else None
            if a2 is not None and a2.attrs.get("inter") in _ARMED_INTER and _VICTIM_AFTER.match(text, a1.end) \
                    and not (_REPELLED_THEIR.match(text, trig.start) and a2.start < trig.start):
                # "2 soldiers were killed when Taliban militants attacked": the victims' side did not open fire
                # (but in "9 Taliban were killed when Afghan forces repulsed their attack" the Taliban attacked)
                a1, a2 = a2, a1
        else:
            # the subject opens the verb's clause: "LNA forces destroyed a GNA depot with artillery fire"
            # (the nearest name before a noun trigger is often the verb's object)
            clause = [a for a in before if not _find(_CLAUSE_BREAK, text, a.end, trig.start)]
            if _find(_INSTRUMENT_BEFORE, text, max(sent.start, trig.start - 40), trig.start):
                # "X attacked a base in Y, Z, with explosives": the weapon belongs to the verb's subject,
                # which opens the sentence, not to the object nearest the weapon
                opens = [m.end() for m in _SUBCLAUSE.finditer(head)]
                lo = sent.start + (opens[-1] if opens else 0)
                clause = [a for a in before if a.start >= lo and not _find(
                    _PREP_BEFORE, text, max(sent.start, a.start - 25), a.start) and not (
                    ";" in text[a.end:trig.start] or ":" in text[a.end:trig.start])]
            a1 = subject(clause) or subject(list(reversed(before)))
            if a1 is None and before:
                a1 = before[-1]
            victim = next((a for a in before if _VICTIMS_OF_NOUN.match(text, a.end, trig.start)), None) \
                if a1 is not None else None
            if victim is not None:
                # "Ukrainian soldiers and civilians were killed in a missile strike": the subject of the
                # passive is the victim of the strike, whose author the sentence does not name
                rep.actor1_mentions, rep.actor2_mentions = [], [victim]
                return
            # with no actor before the verb ("airstrikes hit the city after the government's withdrawal")
            # actor1 stays unknown: an actor after the verb is its object, not its agent
            rest = [a for a in after if a is not a1]
            if not rest and a1 is not None:
                # the object stands between the subject and a noun trigger: "X targeted Y positions with fire"
                rest = [a for a in before if a.start > a1.end]
            a2 = rest[0] if rest else None
        if a1 is not None and a1.attrs.get("inter") == 7:
            # "two civilians were injured after armed men opened fire": the armed side acted
            armed = [a for a in main if a.attrs.get("inter") in _ARMED_INTER]
            if armed:
                a1, a2 = armed[0], a1
        if a1 is not None and a1.attrs.get("inter") == 7 and rep.event_type in _VIOLENT_TYPES:
            # civilians are never the side that acts in political violence ("two men shot at people in a
            # store"): the perpetrator is unknown and the civilians are the target
            a1, a2 = None, a2 if a2 is not None and a2.attrs.get("inter") == 7 else a1
        if a1 is None and _done_by_speaker(rep):
            # "the air force said it had shot down 23 drones": the speaker did it
            a1 = self._speaking_group(doc, sent, trig)
            if a1 is not None and a2 is not None and a2.key == a1.key:
                a2 = None
        if a1 is None and rep.event_type in _VIOLENT_TYPES:
            a1 = self._carried_agent(doc, sent, rep)
            if a1 is not None and a2 is not None and a2.key == a1.key:
                a2 = None
        rep.actor1_mentions = [a1] if a1 else []
        rep.actor2_mentions = [a2] if a2 else []
        for a in actors:
            if id(a) in assoc:
                # associated with the side whose mention comes before the cue
                if a1 is not None and (a2 is None or abs(a.start - a1.end) <= abs(a.start - a2.end)):
                    rep.assoc1_mentions.append(a)
                else:
                    rep.assoc2_mentions.append(a)
        if (rep.event_type == "Battles" and rep.actor1_mentions and rep.actor2_mentions
                and rep.actor2_mentions[0].attrs.get("generic") and not rep.actor1_mentions[0].attrs.get("generic")
                and rep.actor2_mentions[0].attrs.get("inter") == rep.actor1_mentions[0].attrs.get("inter")
                and not _other_country_told(rep.actor1_mentions[0], rep.actor2_mentions[0])):
            # "X overran Idlib ... the second city to fall into rebel hands": the same side, not the enemy
            # (but "Artsakh forces fired on the military forces of Azerbaijan" names the other side's country)
            rep.actor2_mentions = []
        if rep.sub_event_type in _TARGET_CIVILIANS and rep.actor2_mentions == [] and rep.actor1_mentions:
            if rep.actor1_mentions[0].attrs.get("inter") == 7:
                # "civilians were killed" with no perpetrator named: the civilians are the target
                rep.actor2_mentions, rep.actor1_mentions = rep.actor1_mentions, []

    @staticmethod
    def _readmit(doc: AnalyzedDoc, sent: Sentence, trig: Mention, actors: list[Mention]) -> list[Mention]:
        """Actor mentions the assembler set aside as speakers that do not speak: "Saudi-led coalition air
        raids were reported", "Taliban militants attacked ... (as reported)", and a group that "claimed to
        have killed" soldiers, which owns the act."""
        text = doc.article.text
        have = {(a.start, a.end) for a in actors}
        sources = [(m.start, m.end) for m in in_sentence(doc, sent.index, "source")]
        out = list(actors)
        for m in in_sentence(doc, sent.index, "actor"):
            if (m.start, m.end) in have or (m.start < trig.end and trig.start < m.end):
                continue
            if any(m.start < e and s < m.end for s, e in sources):
                continue  # "the Twitter page of the Nusra Front": a channel, not a party
            if any(0 <= m.start - a.end <= 1 for a in actors if not a.attrs.get("generic")) and m.attrs.get("generic"):
                continue  # "M23 fighters": the generic noun is the named group
            tail = text[m.end:min(sent.end, m.end + 60)]
            speech = _SPEECH_AFTER.match(tail)
            if speech and m.end <= trig.start < m.end + speech.end():
                speech = None  # "coalition air raids were reported": the verb's subject is the raid
            if _SELF_CLAIM.match(tail) and m.attrs.get("inter") in _ARMED_INTER:
                out.append(m)
            elif not speech and not _find(_SPEECH_BEFORE, text, max(sent.start, m.start - 30), m.start):
                out.append(m)
        out.sort(key=_START)
        return out

    @staticmethod
    def _associated(text: str, sent: Sentence, actors: list[Mention]) -> set[int]:
        """ids of the mentions right after an association cue ("backed by X", "including X and Y")."""
        assoc: set[int] = set()
        for a, b in zip(actors, actors[1:]):
            if a.attrs.get("shared_head") and _AND_GAP.fullmatch(text[a.end:b.start]):
                assoc.add(id(b))  # "Iraqi and US troops": one side, led by the first named
        low = _lowered(text)
        low_rx = twin(_ASSOC_CUES)
        # speed: on the lower-cased copy with the case-sensitive twin (same matches) when there are both
        cues = _ASSOC_CUES.finditer(sent.text) if low is None or low_rx is None else \
            low_rx.finditer(low[sent.start:sent.end])
        for m in cues:
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
                        if _LIST_GAP.fullmatch(between):
                            assoc.add(id(nxt))
                            first = nxt
                        else:
                            break
        return assoc

    @staticmethod
    def _speaking_group(doc: AnalyzedDoc, sent: Sentence, trig: Mention) -> Mention | None:
        """A group's own spokesman telling what "the group" did: "M23 spokesman X said the group had
        captured Rubaya".  The group named in the speaker's title is the agent."""
        text = doc.article.text
        actors = in_sentence(doc, sent.index, "actor")
        for src in in_sentence(doc, sent.index, "source"):
            key = src.attrs.get("actor")
            if not key or src.end > trig.start:
                continue
            if not _GROUP_ANAPHOR.search(text[src.end:trig.start]) and not _tells_own_act(text, src.end, trig.start):
                continue
            own = [a for a in actors if a.key == key and a.start < trig.start]
            if own:
                return own[0]
        # an armed actor that is itself the speaker: "Ukraine's air force said it had shot down 23 drones"
        for a in actors:
            if a.end > trig.start or a.attrs.get("inter") not in _ARMED_INTER:
                continue
            if (_SAID_IT.match(text, a.end) and trig.start - a.end <= 40
                    and not re.search(r"[,;:]", text[a.end:trig.start])) or _tells_own_act(text, a.end, trig.start):
                return a
        return None

    @staticmethod
    def _carried_agent(doc: AnalyzedDoc, sent: Sentence, rep: EventReport) -> Mention | None:
        """An armed actor that opens the sentence just before, in the same paragraph, when the event's own
        sentence names no one who acted: "Police raided the X neighbourhood. A shoot-out broke out ..." """
        if rep.event_type not in _VIOLENT_TYPES or sent.index == 0:
            return None
        prev = doc.sentences[sent.index - 1]
        if prev.paragraph != sent.paragraph:
            return None
        text = doc.article.text
        for m in in_sentence(doc, prev.index, "actor"):
            if m.attrs.get("inter") not in _ARMED_INTER:
                continue
            if _find(_PREP_BEFORE, text, max(prev.start, m.start - 25), m.start):
                continue
            return m
        return None


class _CallableStage(types.ModuleType):
    """``sitrep.extract`` is both this stage's package and DESIGN.md's API function: importing the package
    binds the name ``extract`` on ``sitrep`` to this module, so the module itself answers the API call."""

    def __call__(self, text: str, published=None, **meta):
        import sitrep

        return sitrep._pipeline().extract(text, published=published, **meta)


sys.modules[__name__].__class__ = _CallableStage
