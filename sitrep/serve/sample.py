"""A small hand-written store for trying the web view and for its tests (no pipeline needed).

  python -m sitrep.serve.sample demo.db      then: sitrep serve --db demo.db

The reports are invented, written in news style for this module; places and coordinates are real.
:func:`make_event` builds an Event from phrases of an article, so tests can add their own cases.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from sitrep.ingest import make_article
from sitrep.model import (
    ActorRef,
    Article,
    Claim,
    Contradiction,
    Event,
    EventReport,
    Fatalities,
    Place,
    PlaceMention,
    Span,
)
from sitrep.store import open_store


@dataclass
class Where:
    name: str
    country: str
    country_code: str
    admin1: str
    lat: float
    lon: float


def find(article: Article, phrase: str) -> Span:
    """The span of the first occurrence of ``phrase`` in the article text (ValueError when absent)."""
    start = article.text.find(phrase)
    if start < 0:
        raise ValueError(f"{phrase!r} is not in article {article.title!r}")
    return article.span(start, start + len(phrase))


def make_event(article: Article, n: int, event_type: str, sub_event_type: str, trigger: str,
               evidence: Sequence[str], where: Where | None, date: dt.date | None,
               fatalities: tuple[int, int | None, int | None] = (0, None, None),
               actor1: tuple[str, int] | None = None, actor2: tuple[str, int] | None = None,
               claims: Sequence[tuple[str, str, str, str, str]] = (),
               contradictions: Sequence[Contradiction] = (), notes: str = "",
               more_reports: Sequence[tuple[Article, str, Sequence[str]]] = (),
               more_claims: Sequence[tuple[Article, str, str, str, str, str]] = (),
               background: bool = False, confidence: float = 0.8) -> Event:
    """An Event whose spans are phrases of the article(s).

    claims: (source, source_kind, stance, phrase, cue) in ``article``; more_claims: the same with the
    article first; more_reports: (article, trigger phrase, evidence phrases) of other articles.
    """
    def report(art: Article, trig: str, ev: Sequence[str]) -> EventReport:
        return EventReport(article_id=art.id, document_id=art.document_id, event_type=event_type,
                           sub_event_type=sub_event_type, trigger=find(art, trig),
                           evidence=[find(art, e) for e in ev])

    place = None
    if where is not None:
        p = Place(geonameid=None, name=where.name, country_code=where.country_code, lat=where.lat, lon=where.lon,
                  country=where.country, admin1=where.admin1, feature_code="PPL")
        mention = find(article, where.name) if where.name in article.text else article.span(0, 0)
        place = PlaceMention(span=mention, place=p, role="event location", level="populated place")
    all_claims = [Claim(source=s, source_kind=k, stance=st, span=find(article, ph), cue=cue)  # type: ignore[arg-type]
                  for s, k, st, ph, cue in claims]
    all_claims += [Claim(source=s, source_kind=k, stance=st, span=find(art, ph), cue=cue)  # type: ignore[arg-type]
                   for art, s, k, st, ph, cue in more_claims]
    best, low, high = fatalities
    return Event(
        event_id=f"{article.id[:12]}-{n}",
        reports=[report(article, trigger, evidence)] + [report(a, t, e) for a, t, e in more_reports],
        event_type=event_type, sub_event_type=sub_event_type,
        actor1=ActorRef(*actor1) if actor1 else None, assoc_actor_1=[],
        actor2=ActorRef(*actor2) if actor2 else None, assoc_actor_2=[],
        location=place, geo_precision=1 if place else 3, date=date, date_end=None, time_precision=1,
        fatalities=Fatalities(best=best, low=low, high=high, known=best > 0 or low is not None),
        claims=all_claims, background=background, confidence=confidence,
        contradictions=list(contradictions), notes=notes)


def sample_articles() -> list[tuple[Article, list[Event]]]:
    """Hand-written reports and their events, in the order to store them."""
    d = dt.date
    out: list[tuple[Article, list[Event]]] = []

    gwoza = make_article(
        "Insurgents attacked a military base in Gwoza on Tuesday, killing four soldiers, the army said in a "
        "statement. A spokesman for the group claimed its fighters had killed more than 20 troops, a figure "
        "the army denied. Residents said the fighting lasted several hours before the attackers withdrew "
        "towards the hills.", title="Four soldiers killed as insurgents attack base in Gwoza",
        published="2026-03-11", outlet="Lake Chad Monitor", url="https://example.org/gwoza-base",
        document_id="sample-gwoza")
    out.append((gwoza, [make_event(
        gwoza, 1, "Battles", "Armed clash", "attacked",
        ["Insurgents attacked a military base in Gwoza on Tuesday, killing four soldiers",
         "the fighting lasted several hours"],
        Where("Gwoza", "Nigeria", "NG", "Borno", 11.0833, 13.6917), d(2026, 3, 10), (4, 4, 20),
        ("Islamic State West Africa Province (ISWAP)", 2), ("Military Forces of Nigeria (2023-)", 1),
        claims=[("Military Forces of Nigeria (2023-)", "official", "asserts", "the army said in a statement", "said"),
                ("ISWAP spokesman", "armed group channel", "disputes",
                 "A spokesman for the group claimed its fighters had killed more than 20 troops", "claimed"),
                ("Military Forces of Nigeria (2023-)", "official", "denies", "a figure the army denied", "denied"),
                ("residents", "witness", "asserts", "Residents said the fighting lasted several hours", "said")],
        contradictions=[Contradiction("fatalities", [
            {"value": 4, "source": "Military Forces of Nigeria (2023-)", "stance": "asserts"},
            {"value": 20, "source": "ISWAP spokesman", "stance": "disputes"}])],
        notes="On 10 March 2026, ISWAP fighters attacked a military base in Gwoza (Borno); the army reported "
              "4 soldiers killed, the group claimed more than 20.")]))

    kharkiv2 = make_article(
        "The death toll from the overnight missile strike on Kharkiv has risen to five, the city's mayor said on "
        "Saturday, after rescuers pulled two more bodies from the rubble of an apartment block.",
        title="Kharkiv strike toll rises to five", published="2026-03-14", outlet="Eastern Wire",
        document_id="sample-kharkiv-2")
    kharkiv = make_article(
        "A missile strike hit a residential district of Kharkiv overnight, killing three civilians and wounding "
        "12, the regional governor said. Russia's defence ministry said it had struck a military depot and "
        "denied hitting civilian buildings. Separately, shelling damaged power lines in Kupiansk, officials "
        "said, but no one was hurt.", title="Missile strike on Kharkiv kills three", published="2026-03-13",
        outlet="Eastern Wire", url="https://example.org/kharkiv", document_id="sample-kharkiv-1")
    out.append((kharkiv2, []))
    out.append((kharkiv, [
        make_event(kharkiv, 1, "Explosions/Remote violence", "Shelling/artillery/missile attack", "missile strike",
                   ["A missile strike hit a residential district of Kharkiv overnight, killing three civilians"],
                   Where("Kharkiv", "Ukraine", "UA", "Kharkivska", 49.9935, 36.2304), d(2026, 3, 12), (3, 3, 5),
                   ("Military Forces of Russia (2000-)", 8), ("Civilians (Ukraine)", 7),
                   claims=[("Kharkiv regional governor", "official", "asserts", "the regional governor said", "said"),
                           ("Russian Ministry of Defence", "official", "denies",
                            "denied hitting civilian buildings", "denied")],
                   more_reports=[(kharkiv2, "missile strike",
                                  ["The death toll from the overnight missile strike on Kharkiv has risen to five"])],
                   more_claims=[(kharkiv2, "Kharkiv mayor", "official", "asserts", "the city's mayor said", "said")],
                   contradictions=[Contradiction("fatalities", [
                       {"value": 3, "source": "Kharkiv regional governor", "stance": "asserts"},
                       {"value": 5, "source": "Kharkiv mayor", "stance": "asserts"}])],
                   notes="On 12 March 2026, a Russian missile strike on a residential district of Kharkiv killed "
                         "3 to 5 civilians."),
        make_event(kharkiv, 2, "Explosions/Remote violence", "Shelling/artillery/missile attack", "shelling",
                   ["shelling damaged power lines in Kupiansk"],
                   Where("Kupiansk", "Ukraine", "UA", "Kharkivska", 49.7106, 37.6157), d(2026, 3, 12), (0, None, None),
                   ("Military Forces of Russia (2000-)", 8), None,
                   claims=[("officials", "official", "asserts", "officials said", "said")],
                   notes="On 12 March 2026, shelling damaged power lines in Kupiansk; no casualties."),
    ]))

    fasher = make_article(
        "Fighters of the Rapid Support Forces shelled the Abu Shouk camp near El Fasher on Friday, killing at "
        "least 15 people, according to a local monitoring group. The RSF said in a statement posted on "
        "Telegram that reports of civilian deaths were fabricated.", title="Shelling of Abu Shouk camp kills 15",
        published="2026-03-08", outlet="Darfur Network", document_id="sample-fasher")
    out.append((fasher, [make_event(
        fasher, 1, "Explosions/Remote violence", "Shelling/artillery/missile attack", "shelled",
        [("Fighters of the Rapid Support Forces shelled the Abu Shouk camp near El Fasher on Friday, killing at "
         "least 15 people")],
        Where("El Fasher", "Sudan", "SD", "North Darfur", 13.6279, 25.3494), d(2026, 3, 6), (15, 15, None),
        ("Rapid Support Forces", 2), ("Civilians (Sudan)", 7),
        claims=[("local monitoring group", "monitor", "asserts", "according to a local monitoring group",
                 "according to"),
                ("Rapid Support Forces", "armed group channel", "denies",
                 "reports of civilian deaths were fabricated", "said")],
        notes="On 6 March 2026, RSF shelling of Abu Shouk camp near El Fasher killed at least 15 people.")]))

    nairobi = make_article(
        "Police fired tear gas at hundreds of protesters in central Nairobi on Thursday as demonstrators marched "
        "against a proposed finance bill, witnesses said. No deaths were reported.",
        title="Police tear-gas finance bill protesters in Nairobi", published="2026-03-13", outlet="Coast Herald",
        document_id="sample-nairobi")
    out.append((nairobi, [make_event(
        nairobi, 1, "Protests", "Protest with intervention", "marched",
        ["Police fired tear gas at hundreds of protesters in central Nairobi on Thursday"],
        Where("Nairobi", "Kenya", "KE", "Nairobi Area", -1.2864, 36.8172), d(2026, 3, 12), (0, None, None),
        ("Protesters (Kenya)", 6), ("Police Forces of Kenya (2022-)", 1),
        claims=[("witnesses", "witness", "asserts", "witnesses said", "said")],
        notes="On 12 March 2026, police fired tear gas at protesters against the finance bill in Nairobi.")]))

    ansongo = make_article(
        "Suspected jihadists abducted a village chief and two teachers near Ansongo on Monday, a local official "
        "said. The kidnappers left on motorcycles towards the border with Niger.",
        title="Village chief and teachers abducted near Ansongo", published="2026-03-04", outlet="Sahel Daily",
        document_id="sample-ansongo")
    out.append((ansongo, [make_event(
        ansongo, 1, "Violence against civilians", "Abduction/forced disappearance", "abducted",
        ["Suspected jihadists abducted a village chief and two teachers near Ansongo on Monday"],
        Where("Ansongo", "Mali", "ML", "Gao", 15.6597, 0.5022), d(2026, 3, 2), (0, None, None),
        ("Unidentified Armed Group (Mali)", 2), ("Civilians (Mali)", 7),
        claims=[("a local official", "official", "asserts", "a local official said", "said")],
        notes="On 2 March 2026, suspected jihadists abducted three civilians near Ansongo.")]))

    cauca = make_article(
        "Dissident FARC fighters clashed with the army near Argelia in Cauca on Saturday. The army said two "
        "guerrillas were killed, while local radio reported that one soldier had also died.",
        title="Army and FARC dissidents clash near Argelia", published="2026-03-09", outlet="Andes Report",
        document_id="sample-cauca")
    out.append((cauca, [make_event(
        cauca, 1, "Battles", "Armed clash", "clashed",
        ["Dissident FARC fighters clashed with the army near Argelia in Cauca on Saturday"],
        Where("Argelia", "Colombia", "CO", "Cauca", 2.2575, -77.2489), d(2026, 3, 7), (2, 2, 3),
        ("FARC Dissidents", 2), ("Military Forces of Colombia (2022-)", 1),
        claims=[("Military Forces of Colombia (2022-)", "official", "asserts",
                 "The army said two guerrillas were killed", "said"),
                ("local radio", "news agency", "asserts", "local radio reported that one soldier had also died",
                 "reported")],
        notes="On 7 March 2026, FARC dissidents and the army clashed near Argelia (Cauca); 2-3 killed.")]))
    return out


XSS_SCRIPT = '<script>window.__xss = 1; alert("xss")</script>'
XSS_IMG = '"><img src=x onerror="window.__xss=1;alert(1)">'


def hostile_sample() -> tuple[Article, list[Event]]:
    """A report whose text, title, outlet, source, actor, place and notes carry HTML/script payloads:
    the web view and the report must show them as text and run nothing."""
    art = make_article(
        f"Gunmen attacked a checkpoint in Mogadishu on Monday, killing two soldiers, police said. {XSS_SCRIPT} "
        f"A post shared online read {XSS_IMG} before it was deleted.",
        title=f"Checkpoint attack {XSS_IMG}", published="2026-03-05", outlet=XSS_SCRIPT,
        url="javascript:alert(1)", document_id=f"hostile-{XSS_IMG}")
    return art, [make_event(
        art, 1, "Battles", "Armed clash", "attacked",
        ["Gunmen attacked a checkpoint in Mogadishu on Monday, killing two soldiers", XSS_SCRIPT, XSS_IMG],
        Where("Mogadishu", f"Somalia{XSS_IMG}", "SO", XSS_SCRIPT, 2.0371, 45.3438), dt.date(2026, 3, 2), (2, 2, None),
        (f"Gunmen {XSS_IMG}", 2), ("Military Forces of Somalia (2022-)", 1),
        claims=[(f"police {XSS_SCRIPT}", "official", "asserts", "police said", "said"),
                (f"online post {XSS_IMG}", "unnamed", "disputes", XSS_IMG, "read")],
        notes=f"Hostile sample {XSS_SCRIPT} {XSS_IMG}")]


def build_sample_store(path: str | os.PathLike,
                       extra: Sequence[tuple[Article, list[Event]]] = ()) -> dict[str, int]:
    """Write the sample reports (and any extra ones) into a store at ``path``; returns its stats."""
    with open_store(path) as store:
        for article, events in [*sample_articles(), *extra]:
            store.add(article, events)
        return store.stats()


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) != 2:
        sys.exit("usage: python -m sitrep.serve.sample STORE.db")
    print(build_sample_store(sys.argv[1]))
