"""merge stage: EventReports -> Events.

Within one article, reports of the same event (same event family, same place, dates within precision)
become one Event holding every report and all their claims.  Rules, in order:
1. reports with the same sub-event family, place and compatible dates are one event;
2. an armed clash told at the same place and date as a change of territory is the fighting of that
   capture, folded into it (the four-day campaign that ends in a town's fall is one event);
3. a report with no place of its own joins an event of the same sub-event type in the article.
Fields are resolved by stated rules: the most specific sub-event type, the most exact date and place,
named actors over generic ones (a coalition over its members, which become associated actors), and
fatalities per DESIGN.md (the lowest credible figure as best, the others as high).
"""
from __future__ import annotations

import hashlib
import re

from sitrep.extract.fatalities import reconcile as reconcile_fatalities
from sitrep.merge.cross import contradictions  # (cross imports build_event from here inside a function)
from sitrep.model import ActorRef, Event, EventReport, Fatalities

# Sub-event types that tell the same kind of happening; reports in one family may be one event.
_FAMILY = {
    "Armed clash": "battle", "Non-state actor overtakes territory": "battle",
    "Government regains territory": "battle",
    # a protest told, then its dispersal told: one event, coded by its gravest turn
    "Peaceful protest": "protest", "Protest with intervention": "protest",
    "Excessive force against protesters": "protest", "Violent demonstration": "protest",
}
# Within a family, the more specific or graver telling names the event.
_SPECIFICITY = {
    "Non-state actor overtakes territory": 2, "Government regains territory": 2, "Armed clash": 1,
    "Excessive force against protesters": 3, "Violent demonstration": 2.5, "Protest with intervention": 2,
    "Peaceful protest": 1,
}


def family(sub_event_type: str) -> str:
    return _FAMILY.get(sub_event_type, sub_event_type)


def _place_key(r: EventReport):
    p = r.location.place if r.location else None
    return p.geonameid if p is not None and p.geonameid is not None else (p.name if p else None)


def _dates_compatible(a: EventReport, b: EventReport) -> bool:
    if a.date is None or b.date is None:
        return True
    a0, a1 = a.date, a.date_end or a.date
    b0, b1 = b.date, b.date_end or b.date
    slack = max(_slack(a.time_precision), _slack(b.time_precision))
    return (a0 - b1).days <= slack and (b0 - a1).days <= slack


def _slack(precision: int) -> int:
    return {1: 0, 2: 3, 3: 31}.get(precision, 3)


# Triggers that only tell a toll; "executed", "shot", "stabbed" tell a deed of their own.
_TOLL_WORD = re.compile(r"\b(?:kill|dead|death|die|died|wound|injur|casualt|bod(?:y|ies)|toll)", re.I)


def _coarse(r: EventReport) -> bool:
    return r.geo_precision >= 3 or (r.location is not None and r.location.level in ("country", "admin1", "region"))


def _inside(fine: EventReport, coarse: EventReport) -> bool:
    """Is the finer report's place within the coarse report's country (and province, when it names one)?"""
    f = fine.location.place if fine.location else None
    c = coarse.location.place if coarse.location else None
    if f is None or c is None or not f.country_code or f.country_code != c.country_code:
        return False
    if coarse.location.level == "admin1" and c.admin1 and f.admin1:
        return c.admin1 == f.admin1
    return True


def _same_event(a: EventReport, b: EventReport) -> bool:
    if a.background != b.background:
        return False
    if family(a.sub_event_type) != family(b.sub_event_type):
        return False
    if _place_key(a) != _place_key(b):
        return False
    return _dates_compatible(a, b)


def _continues(prev: EventReport, r: EventReport) -> bool:
    """Does ``r`` go on telling ``prev``'s incident?  The next sentence of the same paragraph that gives no
    date and no other place of its own and tells the same kind of happening ("Police then dispersed the
    crowd.") is the same event told further."""
    same_para = r.paragraph == prev.paragraph or ("anaphoric" in r.flags and r.paragraph == prev.paragraph + 1)
    if r.background or prev.background or "separate" in r.flags or not same_para:
        return False
    if r.date_mentions:
        return False
    if family(r.sub_event_type) != family(prev.sub_event_type) and not (
            "anaphoric" in r.flags and (_place_key(r) in (None, _place_key(prev)) or "place_from_context" in r.flags)):
        # across families the scorer and coders disagree too often on which telling names the incident;
        # "This was a coward's attack" names the incident just told again
        return False
    return _place_key(r) is None or _place_key(r) == _place_key(prev) or "place_from_context" in r.flags


def merge_reports(reports: list[EventReport]) -> list[Event]:
    if len(reports) <= 1:
        # speed: nothing to group, continue or fold (most articles tell one event): one report is one event,
        # what the passes below make of it
        return [build_event([r]) for r in reports]
    groups: list[list[EventReport]] = []
    unplaced: list[EventReport] = []
    group_of: dict[int, list[EventReport]] = {}
    prev = None
    for r in reports:
        if prev is not None and _continues(prev, r):
            r.flags.append("continuation")
            if "anaphoric" in r.flags and family(r.sub_event_type) != family(prev.sub_event_type):
                r.flags.append("folded")  # a reference back never sets the incident's type
            group_of[id(prev)].append(r)
            group_of[id(r)] = group_of[id(prev)]
            continue
        prev = r
        if _place_key(r) is None or "no_place" in r.flags:
            unplaced.append(r)
            group_of[id(r)] = [r]
            continue
        for g in groups:
            if _same_event(g[0], r):
                g.append(r)
                group_of[id(r)] = g
                break
        else:
            groups.append([r])
            group_of[id(r)] = groups[-1]
    # unplaced reports that others continued carry their followers along
    for chain in [group_of[id(r)] for r in unplaced]:
        r = chain[0]
        home = next((g for g in groups if g[0].sub_event_type == r.sub_event_type
                     and g[0].background == r.background), None)
        if home is None:
            home = next((g for g in groups if family(g[0].sub_event_type) == family(r.sub_event_type)
                         and g[0].background == r.background), None)
        if home is not None:
            home.extend(chain)
        else:
            groups.append(chain)
    return _finish(groups)


def _finish(groups: list[list[EventReport]]) -> list[Event]:
    if len(groups) < 2:
        return [build_event(g) for g in groups]  # speed: no other group to fold into (the passes find no home)
    # a report placed only by its country or province ("Gunmen kill nine in northwest Nigeria") is the same
    # event as a report of the same kind placed more exactly inside that area
    for g in [g for g in groups if _coarse(g[0])]:
        home = next((h for h in groups if h is not g and not _coarse(h[0]) and _inside(h[0], g[0])
                     and family(h[0].sub_event_type) == family(g[0].sub_event_type)
                     and h[0].background == g[0].background and _dates_compatible(h[0], g[0])), None)
        if home is not None:
            home.extend(g)
            groups.remove(g)
    # ACLED codes harm done from afar as the explosion or strike itself: an attack on civilians told at
    # the same place and day as a strike or shelling is that strike's toll ("the missile struck a market,
    # killing a woman and her son")
    for g in [g for g in groups if g[0].event_type == "Violence against civilians"
              and g[0].sub_event_type == "Attack" and all(_TOLL_WORD.search(r.trigger.text) for r in g)]:
        home = next((h for h in groups if h is not g and h[0].event_type == "Explosions/Remote violence"
                     and _place_key(h[0]) == _place_key(g[0]) and h[0].background == g[0].background
                     and _dates_compatible(h[0], g[0])), None)
        if home is not None:
            for r in g:
                r.flags.append("folded")
            home.extend(g)
            groups.remove(g)
    # a headline sums up the story's main event: it joins the body's telling of the same kind of event
    for g in [g for g in groups if all("headline" in r.flags for r in g)]:
        home = next((h for h in groups if h is not g and not h[0].background
                     and (family(h[0].sub_event_type) == family(g[0].sub_event_type)
                          or h[0].event_type == g[0].event_type)), None)
        if home is not None:
            for r in g:
                r.flags.append("folded")
            home.extend(g)
            groups.remove(g)
    return [build_event(g) for g in groups]


def _rank_sub(r: EventReport) -> tuple:
    # a change of territory is more specific than the clash that led to it
    return (_SPECIFICITY.get(r.sub_event_type, 1), r.confidence)


def build_event(reports: list[EventReport]) -> Event:
    # a sentence that only went on telling the incident (or a headline) does not decide what it was
    if len(reports) == 1:
        lead = loc_r = date_r = reports[0]  # speed: the one report leads and gives place and date
    else:
        lead = max([r for r in reports if "folded" not in r.flags] or reports, key=_rank_sub)
        # (nor where and when: a headline folded into the body's event sums it up, its place is often the
        # story's dateline city)
        own = [r for r in reports if "folded" not in r.flags] or reports
        located = [r for r in own if r.location is not None and r.location.place is not None] or [
            r for r in reports if r.location is not None and r.location.place is not None]
        loc_r = min(located, key=lambda r: (r.geo_precision, r is not lead)) if located else lead
        dated = [r for r in own if r.date is not None] or [r for r in reports if r.date is not None]
        date_r = min(dated, key=lambda r: (r.time_precision, r is not lead)) if dated else lead
    # nor who took part in it: "the strike had targeted fighters of X" is the army's account of the strike,
    # and X was not beside the army; "Gangs torch homes; police say 9 killed" names who spoke
    told = [r for r in reports if "folded" not in r.flags and "headline" not in r.flags] or reports
    attributed = [r for r in told if "actor1_attributed" in r.flags]
    actor1, assoc1 = _pick_actor([r.actor1 for r in attributed or told],
                                 [a for r in told for a in r.assoc_actor_1])
    actor2, assoc2 = _pick_actor([r.actor2 for r in told], [a for r in told for a in r.assoc_actor_2])
    claims, seen = [], set()
    for r in reports:
        for c in r.claims:
            key = (c.source, c.stance, c.span.start, c.span.end)
            if key not in seen:
                seen.add(key)
                claims.append(c)
    # a party's claim of its enemy's dead does not lower an independent figure; it widens the range
    known = [r for r in reports if r.fatalities.known]
    fair = [r for r in known if "fatalities_partisan" not in r.flags]
    fat = reconcile([r.fatalities for r in fair or known])
    if fair and len(fair) < len(known):
        claimed_high = max(r.fatalities.high or r.fatalities.best for r in known if r not in fair)
        if claimed_high > (fat.high or fat.best):
            fat.high = claimed_high
    ev = Event(
        event_id=_event_id(lead, loc_r, date_r),
        reports=reports,
        event_type=lead.event_type, sub_event_type=lead.sub_event_type,
        actor1=actor1, assoc_actor_1=assoc1, actor2=actor2, assoc_actor_2=assoc2,
        location=loc_r.location, geo_precision=loc_r.geo_precision,
        date=date_r.date, date_end=date_r.date_end, time_precision=date_r.time_precision,
        fatalities=fat, claims=claims, background=lead.background,
        confidence=max(r.confidence for r in reports),
    )
    ev.contradictions = contradictions(ev)
    ev.notes = summary(ev)
    return ev


def _pick_actor(cands: list[ActorRef | None], assoc: list[ActorRef]) -> tuple[ActorRef | None, list[ActorRef]]:
    """The actor most reports agree on; a registry name wins a tie over a generic one, then the earliest."""
    named = [a for a in cands if a is not None]
    if not named:
        return None, _dedupe(assoc)
    if len(named) == 1:
        best = named[0]  # speed: one candidate wins without a vote
    else:
        votes: dict[str, float] = {}
        for a in named:
            votes[a.name] = votes.get(a.name, 0.0) + 1.0 + (0.25 if a.actor_id else 0.0)
        best = max(named, key=lambda a: votes[a.name])  # max keeps the first of equals
    out_assoc = [a for a in assoc if a.name != best.name]
    return best, _dedupe(out_assoc)


def _dedupe(actors: list[ActorRef]) -> list[ActorRef]:
    seen, out = set(), []
    for a in actors:
        if a.name not in seen:
            seen.add(a.name)
            out.append(a)
    return out


def reconcile(figures: list[Fatalities]) -> Fatalities:
    """Accounts of one event that disagree on the toll: the lowest as best, the range in low/high
    (sitrep.extract.fatalities.reconcile); no high when every account gives the same figure."""
    out = reconcile_fatalities(figures)
    if out.high == out.best:
        out.high = None
    return out


def _event_id(lead: EventReport, loc_r: EventReport, date_r: EventReport) -> str:
    # (speed: one f-string, each field by str() as the join of str(x) made it)
    key = (f"{lead.article_id!s}|{lead.sub_event_type!s}|{_place_key(loc_r)!s}|{date_r.date!s}|"
           f"{lead.trigger.start!s}|{lead.background!s}")
    return "ev-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


_VERB = {
    "Armed clash": "clashed with", "Government regains territory": "regained territory from",
    "Non-state actor overtakes territory": "took territory from", "Chemical weapon": "used chemical weapons against",
    "Air/drone strike": "carried out an air/drone strike on", "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled", "Remote explosive/landmine/IED": "used an explosive against",
    "Grenade": "threw a grenade at", "Sexual violence": "committed sexual violence against",
    "Attack": "attacked", "Abduction/forced disappearance": "abducted", "Peaceful protest": "protested",
    "Protest with intervention": "protested and were met by", "Excessive force against protesters":
    "protested and were met with force by", "Violent demonstration": "demonstrated violently against",
    "Mob violence": "committed mob violence against", "Agreement": "reached an agreement with",
    "Arrests": "arrested", "Change to group/activity": "changed its activity:",
    "Disrupted weapons use": "disrupted weapons use by", "Headquarters or base established": "established a base",
    "Looting/property destruction": "looted or destroyed property of",
    "Non-violent transfer of territory": "transferred territory to", "Other": "was involved in a development with",
}


def summary(ev: Event) -> str:
    """A generated one-sentence note."""
    a1 = ev.actor1.name if ev.actor1 else "An unidentified actor"
    verb = _VERB.get(ev.sub_event_type)
    if verb is None:  # (speed: the lower-cased type only when it is needed)
        verb = ev.sub_event_type.lower()
    a2 = f" {ev.actor2.name}" if ev.actor2 else ""
    if a2 == "" and verb.endswith((" with", " from", " on", " against", " to", " of", " by", " at")):
        verb = verb.rsplit(" ", 1)[0]
    place = ""
    if ev.location and ev.location.place:
        p = ev.location.place
        name = p.name
        place = " in " + ", ".join([x for x in (name, p.admin1, p.country) if x and x != name or x == name])
    when = f"On {ev.date.isoformat()}, " if ev.date else ""
    fat = f" {ev.fatalities.best} fatalities." if ev.fatalities.known else ""
    bg = " (told as background)" if ev.background else ""
    return f"{when}{a1} {verb}{a2}{place}{bg}.{fat}".replace("..", ".")
