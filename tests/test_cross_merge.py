"""Cross-article merging (sitrep.merge.cross): match rules, contradictions, records, and the multi-outlet corpus."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import pathlib

import pytest
import yaml

from sitrep.export import event_record
from sitrep.merge import build_event
from sitrep.merge.cross import EventIndex, contradictions, merge_events
from sitrep.model import ActorRef, Claim, EventReport, Fatalities, Place, PlaceMention, Span

CORPUS = pathlib.Path(__file__).parent / "data" / "multi_outlet" / "corpus.yaml"
KHARKIV = (49.9935, 36.2304)


def report(aid, sub="Shelling/artillery/missile attack", etype="Explosions/Remote violence", where=KHARKIV,
           name="Kharkiv", day=dt.date(2024, 5, 19), tp=1, gp=1, a1="Military Forces of Russia (2000-)", inter1=8,
           a1_id="ru_military", a2=None, fat=None, claims=(), background=False, admin1="Kharkiv", cc="UA", text=None):
    place = Place(geonameid=None, name=name, country_code=cc, lat=where[0], lon=where[1], country="Ukraine",
                  admin1=admin1)
    trig = Span(aid, 0, 6, "struck")
    return EventReport(
        article_id=aid, document_id=aid, event_type=etype, sub_event_type=sub, trigger=trig,
        evidence=[Span(aid, 0, 40, text or f"Shells hit {name} on Sunday ({aid})")], location=PlaceMention(Span(aid, 10, 17, name), place),
        geo_precision=gp, date=day, time_precision=tp, background=background,
        actor1=ActorRef(a1, inter1, actor_id=a1_id) if a1 else None,
        actor2=ActorRef(a2, 7) if a2 else None,
        fatalities=Fatalities(best=fat, known=True, spans=[Span(aid, 20, 22, str(fat))]) if fat is not None
        else Fatalities(),
        claims=list(claims))


def ev(*args, **kw):
    return build_event([report(*args, **kw)])


def test_retellings_merge_and_keep_every_report():
    idx = EventIndex()
    first = idx.add(ev("a", fat=6))
    merged = idx.add(ev("b", fat=7, where=(49.99, 36.25), a1=None))  # 1.5 km away, no actor named
    assert merged.event_id == first.event_id and len(idx) == 1
    assert {r.article_id for r in merged.reports} == {"a", "b"}
    assert merged.actor1.name == "Military Forces of Russia (2000-)"
    # the lowest figure as best, the range in low/high, the disagreement kept side by side
    assert (merged.fatalities.best, merged.fatalities.low, merged.fatalities.high) == (6, 6, 7)
    fat = [c for c in merged.contradictions if c.field == "fatalities"]
    assert fat and [v["value"] for v in fat[0].values] == [6, 7]


def test_next_day_and_nearby_town_stay_apart():
    # 9 km: inside 10 km for precision 1, and c's account places the strike near Kharkiv
    events = [ev("a"), ev("b", day=dt.date(2024, 5, 20)),
              ev("c", where=(50.07, 36.22), name="Tsyrkuny", text="Shells hit Tsyrkuny near Kharkiv")]
    out = merge_events(events + [ev("d", where=(50.25, 36.23), name="Derhachi-far")])  # 28 km
    assert len(out) == 3
    assert sorted(len(e.reports) for e in out) == [1, 1, 2]


def test_distance_depends_on_geo_precision():
    near = (50.2, 36.23)  # 23 km
    assert len(merge_events([ev("a"), ev("b", where=near)])) == 2
    assert len(merge_events([ev("a", gp=2), ev("b", where=near)])) == 1
    far = (49.6, 37.0)  # other end of the province, admin1-level report
    assert len(merge_events([ev("a"), ev("b", where=far, gp=3)])) == 1
    assert len(merge_events([ev("a"), ev("b", where=far, gp=3, admin1="Donetsk")])) == 2


def test_family_dates_and_actors():
    assert len(merge_events([ev("a"), ev("b", sub="Air/drone strike")])) == 1  # one strike, two wordings
    assert len(merge_events([ev("a"), ev("b", sub="Peaceful protest", etype="Protests")])) == 2
    assert len(merge_events([ev("a"), ev("b", day=dt.date(2024, 5, 21), tp=2)])) == 1  # within 3 days
    assert len(merge_events([ev("a"), ev("b", day=dt.date(2024, 5, 25), tp=2)])) == 2
    # two different named state forces do not merge; a generic actor does
    assert len(merge_events([ev("a"), ev("b", a1="Military Forces of Ukraine (2019-)", inter1=1,
                                         a1_id="ua_military")])) == 2
    assert len(merge_events([ev("a"), ev("b", a1="Unidentified Armed Group (Ukraine)", inter1=3,
                                         a1_id=None)])) == 1


def test_background_attaches_to_the_earlier_event():
    idx = EventIndex()
    fall = idx.add(ev("a", sub="Non-state actor overtakes territory", etype="Battles", day=dt.date(2024, 3, 12),
                      a1="M23: March 23 Movement", inter1=2, a1_id="m23"))
    later = ev("b", sub="Non-state actor overtakes territory", etype="Battles", day=dt.date(2024, 3, 1), tp=3,
               background=True, a1="M23: March 23 Movement", inter1=2, a1_id="m23")
    later.date_end = dt.date(2024, 3, 31)
    out = idx.add(later)
    assert out.event_id == fall.event_id and len(out.reports) == 2 and not out.background
    assert out.date == dt.date(2024, 3, 12) and out.time_precision == 1


def test_stance_contradiction_for_territory():
    span = Span("a", 0, 10, "the town fell")
    asserts = Claim("M23 spokesman", "armed group channel", "asserts", span, "said")
    disputes = Claim("officials", "official", "disputes", Span("b", 0, 20, "troops repositioned"), "said")
    e = build_event([report("a", sub="Non-state actor overtakes territory", etype="Battles", claims=[asserts]),
                     report("b", sub="Non-state actor overtakes territory", etype="Battles", claims=[disputes])])
    terr = [c for c in contradictions(e) if c.field == "territory"]
    assert terr and {v["value"] for v in terr[0].values} == {"asserts", "disputes"}


def test_blame_contradiction():
    e = build_event([report("a", a1="Al Shabaab", inter1=2, a1_id="al_shabaab"),
                     report("b", a1="Islamic State (Somalia)", inter1=2, a1_id="is_somalia")])
    blame = [c for c in contradictions(e) if c.field == "actor1"]
    assert blame and {v["value"] for v in blame[0].values} == {"Al Shabaab", "Islamic State (Somalia)"}


def test_index_rebuilds_from_records():
    idx = EventIndex()
    stored = idx.add(ev("a", fat=6))
    rec = event_record(stored)
    again = EventIndex.from_records([rec])
    assert len(again) == 1
    out = again.add(ev("b", fat=9))
    assert out.event_id == stored.event_id and len(out.reports) == 2
    assert out.fatalities.best == 6 and out.fatalities.high == 9
    again.add(ev("c", day=dt.date(2024, 5, 22)))
    assert len(again) == 2


# ------------------------------------------------------------------------------------------ corpus
def test_corpus_is_well_formed():
    arts = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["articles"]
    sizes = {}
    for a in arts:
        sizes[a["cluster"]] = sizes.get(a["cluster"], 0) + 1
    assert sum(1 for n in sizes.values() if 3 <= n <= 5) >= 12
    assert len({a["id"] for a in arts}) == len(arts)


@pytest.fixture(scope="module")
def corpus_clusters(pipeline):
    arts = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["articles"]
    idx = EventIndex()
    main = {}
    for a in arts:
        art = pipeline.article(a["text"], a["published"], outlet=a["outlet"], document_id=a["id"])
        events = pipeline.process(art).events
        current = [e for e in events if not e.background]
        if current:
            main[a["id"]] = current[0].reports[0]
        for e in events:
            idx.add(e)
    home = {id(r): e.event_id for e in idx for r in e.reports}
    return {a["id"]: a["cluster"] for a in arts}, {k: home[id(r)] for k, r in main.items()}


def test_corpus_lookalikes_never_merge(corpus_clusters):
    truth, pred = corpus_clusters
    wrong = [(a, b) for a, b in itertools.combinations(sorted(pred), 2)
             if pred[a] == pred[b] and truth[a] != truth[b]]
    assert wrong == []


@pytest.mark.parametrize("cluster", ["E01", "L01", "E02", "L02", "E05", "E07", "L07", "E09", "E10", "L06"])
def test_corpus_clusters_merge(corpus_clusters, cluster):
    truth, pred = corpus_clusters
    members = [a for a, c in truth.items() if c == cluster]
    assert all(a in pred for a in members), [a for a in members if a not in pred]
    assert len({pred[a] for a in members}) == 1, {a: pred[a] for a in members}


# ------------------------------------------------------------------------------------------ distinct accounts
def test_accounts_naming_different_places_stay_apart():
    # two protests in one city on one day, each in its own neighbourhood: not one event
    a = ev("a", sub="Peaceful protest", etype="Protests", a1="Protesters (Ukraine)", inter1=6, a1_id=None,
           text="Hundreds of residents protested in Saltivka district of Kharkiv against power cuts")
    b = ev("b", sub="Peaceful protest", etype="Protests", a1="Protesters (Ukraine)", inter1=6, a1_id=None,
           text="Teachers rallied in the area of Kholodna Hora in Kharkiv over unpaid wages")
    assert len(merge_events([a, b])) == 2
    # a retelling that names the same neighbourhood (and more) merges
    c = ev("c", sub="Peaceful protest", etype="Protests", a1="Protesters (Ukraine)", inter1=6, a1_id=None,
           text="Residents of Saltivka in Kharkiv took to the streets in protest at the blackouts")
    assert len(merge_events([a, c])) == 1
    # a village 9 km away that the other account never mentions is another place
    far = ev("d", where=(50.07, 36.22), name="Tsyrkuny", text="Shells hit Tsyrkuny overnight")
    assert len(merge_events([ev("e"), far])) == 2


def _protest(aid, text, **kw):
    return ev(aid, sub="Peaceful protest", etype="Protests", a1="Protesters (Ukraine)", inter1=6, a1_id=None,
              text=text, **kw)


def test_protests_by_different_groups_stay_apart():
    nurses = _protest("a", "Nurses protested in Kharkiv on Sunday demanding unpaid wages")
    drivers = _protest("b", "Bus drivers staged a rally in Kharkiv over fuel prices")
    assert len(merge_events([nurses, drivers])) == 2
    # the same group told with a near-synonym ("shopkeepers" for "traders") is one protest
    traders = _protest("c", "Traders protested in Kharkiv against the new market tax")
    shopkeepers = _protest("d", "In Kharkiv, shopkeepers held a demonstration against the tax")
    assert len(merge_events([traders, shopkeepers])) == 1


def test_an_account_naming_no_place_does_not_merge_across_articles():
    placed = ev("a", text="Shelling hit Kharkiv on Sunday, killing six")
    placeless = ev("b", text="Two more people were wounded during the day, officials said")
    assert len(merge_events([placed, placeless])) == 2
    assert len(merge_events([placed, ev("c", text="Russian shells struck Kharkiv overnight")])) == 1


def test_zero_deaths_against_deaths_stay_apart():
    assert len(merge_events([ev("a", fat=0), ev("b", fat=5)])) == 2
    assert len(merge_events([ev("a", fat=4), ev("b", fat=5)])) == 1


def test_roads_and_quarters_named_before_their_noun_tell_protests_apart():
    a = _protest("a", "Protesters angry at power cuts blocked the Sumska road in Kharkiv with tyres")
    b = _protest("b", "Protesters angry at power cuts blocked the main road at the Pavlove Pole roundabout")
    assert len(merge_events([a, b])) == 2
    retold = _protest("c", "Demonstrators closed the Sumska road in central Kharkiv for two hours")
    assert len(merge_events([a, retold])) == 1


def test_province_wide_protest_and_one_town_stay_apart():
    wide = _protest("a", "Party members staged sit-ins across Kharkiv Oblast against the tariff rise", gp=3,
                    name="Kharkiv Oblast")
    town = _protest("b", "Party members staged a sit-in in Kharkiv against the tariff rise")
    assert len(merge_events([wide, town])) == 2
    also_wide = _protest("c", "Party members protested throughout Kharkiv Oblast over tariffs", gp=3,
                         name="Kharkiv Oblast")
    assert len(merge_events([wide, also_wide])) == 1


def test_protest_participants_told_with_a_qualifier():
    # "X of Y" / "X from Y": the head noun tells the group, whatever organisation follows
    a = _protest("a", "On Monday, neighbours of the Saltivka estate demonstrated outside the new clinic in Kharkiv")
    b = _protest("b", "On Monday, market traders from across the city demonstrated in Kharkiv over rents")
    assert len(merge_events([a, b])) == 2
    # one party's workers and another union's workers: different named organisations
    c = _protest("c", "Dozens of workers of the KPRF staged a rally in Kharkiv against price rises")
    d = _protest("d", "Several workers of the UFTU (Kharkiv branch) staged a rally in Kharkiv over pay")
    assert len(merge_events([c, d])) == 2
    e = _protest("e", "KPRF workers rallied in Kharkiv against price rises, the party said")
    assert len(merge_events([c, e])) == 1


def test_a_man_and_a_woman_are_two_killings():
    man = ev("a", sub="Attack", etype="Violence against civilians", a1="Unidentified Armed Group (Ukraine)",
             inter1=3, a1_id=None, fat=1, text="Gunmen shot dead a man outside a shop in Kharkiv")
    woman = ev("b", sub="Attack", etype="Violence against civilians", a1="Unidentified Armed Group (Ukraine)",
               inter1=3, a1_id=None, fat=1, text="The body of a woman was found in Kharkiv with gunshot wounds")
    assert len(merge_events([man, woman])) == 2
    again = ev("c", sub="Attack", etype="Violence against civilians", a1="Unidentified Armed Group (Ukraine)",
               inter1=3, a1_id=None, fat=1, text="A man was killed by gunmen near a shop in Kharkiv, police said")
    assert len(merge_events([man, again])) == 1


def test_a_clash_told_as_a_bombing_merges_only_with_both_sides_and_the_place():
    kw = {"a1": "ELN: National Liberation Army", "inter1": 2, "a1_id": "eln", "a2": "Military Forces of Colombia (2022-)",
          "where": (7.0, -71.0), "name": "Puerto Jordan", "cc": "CO", "admin1": "Arauca"}
    bomb = ev("a", sub="Remote explosive/landmine/IED", text="ELN rebels attacked a base in Puerto Jordan with "
              "explosives", **kw)
    clash = ev("b", sub="Armed clash", etype="Battles", text="The ELN clashed with troops at Puerto Jordan", **kw)
    assert len(merge_events([bomb, clash])) == 1
    elsewhere = ev("c", sub="Armed clash", etype="Battles", text="The ELN clashed with troops in the hills", **kw)
    assert len(merge_events([bomb, elsewhere])) == 2  # no place named by both
    one_side = {**kw, "a2": None}
    assert len(merge_events([bomb, ev("d", sub="Armed clash", etype="Battles",
                                      text="The ELN clashed at Puerto Jordan", **one_side)])) == 2


def test_sides_told_in_opposite_orders_keep_two_actors():
    kw = {"where": (7.0, -71.0), "name": "Puerto Jordan", "cc": "CO", "admin1": "Arauca", "sub": "Armed clash",
          "etype": "Battles"}
    a = ev("a", a1="ELN: National Liberation Army", inter1=2, a1_id="eln", a2="Military Forces of Colombia (2022-)",
           text="ELN rebels attacked the army base at Puerto Jordan", **kw)
    b = ev("b", a1="Military Forces of Colombia (2022-)", inter1=1, a1_id=None, a2="ELN: National Liberation Army",
           text="Troops fought off an ELN attack at Puerto Jordan", **kw)
    b.reports[0].actor2.actor_id = "eln"  # a registry name wins the vote for actor2 over the generic army name
    merged = merge_events([a, b])
    assert len(merged) == 1
    assert {merged[0].actor1.name, merged[0].actor2.name} == {"ELN: National Liberation Army",
                                                              "Military Forces of Colombia (2022-)"}


def test_district_account_naming_the_town_merges_with_the_town():
    def district(aid, text):
        e = ev(aid, gp=2, where=(49.1, 37.3), name="Izium Raion", text=text)
        e.location.place.feature_code = "ADM2"
        return e

    town = ev("b", where=(49.46, 36.86), name="Balakliia", text="Shells hit Balakliia on Sunday")
    # ~50 km from the district's centre: one place told at two levels, the district account names the town
    assert len(merge_events([district("a", "Russian forces shelled Balakliia in Izium Raion on Sunday"), town])) == 1
    assert len(merge_events([district("c", "Russian forces shelled Izium Raion on Sunday"), town])) == 2


def test_country_level_account_naming_an_unmentioned_province_stays_apart():
    kw = {"a1": "Taliban", "inter1": 2, "a1_id": "taliban", "cc": "AF", "where": (33.0, 65.0), "name": "Afghanistan",
          "admin1": None, "gp": 3}
    vague = ev("a", text="A policeman was killed by Taliban militants in Wardak province", **kw)
    placed = ev("b", a1="Taliban", inter1=2, a1_id="taliban", cc="AF", where=(31.6, 65.7), name="Kandahar",
                admin1="Kandahar", text="Taliban militants attacked a convoy in Kandahar")
    assert len(merge_events([vague, placed])) == 2
    same = ev("c", a1="Taliban", inter1=2, a1_id="taliban", cc="AF", where=(34.4, 68.8), name="Maidan Shahr",
              admin1="Wardak", text="Taliban militants killed a policeman in Wardak")
    assert len(merge_events([vague, same])) == 1


# ------------------------------------------------------------------------------------------ the store
try:  # the PostgreSQL server fixture (skips when no server binaries are installed)
    from test_postgres import postgres_server
except ImportError:  # pragma: no cover - run from another directory layout
    postgres_server = None


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    if postgres_server is None:
        pytest.skip("the PostgreSQL fixture is not importable")
    return request.getfixturevalue("postgres_server").new_database()


def _article(doc: str):
    from sitrep.ingest import make_article

    return make_article(f"Report {doc}: shelling in Kharkiv.", published="2024-05-20", document_id=doc)


def _stored(url, *pairs, merge=True):
    from sitrep.store import open_store

    with open_store(url, merge=merge) as store:
        return [store.add(art, events) for art, events in pairs]


def test_store_merges_articles_into_one_event_and_keeps_every_report(store_url):
    from sitrep.store import open_store

    a1, a2, a3 = _article("a"), _article("b"), _article("c")
    assert _stored(store_url, (a1, [ev("a", fat=6)]), (a2, [ev("b", fat=7, a1=None)])) == [True, True]
    # a later run (a new process: the index is rebuilt from the stored records) merges into the stored event
    assert _stored(store_url, (a3, [ev("c", fat=9)]), (a2, [ev("b", fat=7, a1=None)])) == [True, False]
    with open_store(store_url) as store:
        assert store.stats()["events"] == 1 and store.stats()["articles"] == 3
        (rec,) = list(store.iter_events())
        assert rec["reports"] == 3 and rec["fatalities"] == 6 and rec["fatalities_high"] == 9
        assert rec["actor1"] == "Military Forces of Russia (2000-)"
        fat = [c for c in rec["contradictions"] if c["field"] == "fatalities"]
        assert fat and sorted(v["value"] for v in fat[0]["values"]) == [6, 7, 9]
        # every article's reports point to the one event (the reports' article ids are "a", "b", "c" here)
        for aid in ("a", "b", "c"):
            assert [r["event_id"] for r in store.events_for_article(aid)] == [rec["event_id"]]


def test_store_without_merge_keeps_one_row_per_article_event(store_url):
    from sitrep.store import open_store

    _stored(store_url, (_article("a"), [ev("a")]), (_article("b"), [ev("b")]), merge=False)
    with open_store(store_url) as store:
        assert store.stats()["events"] == 2


def test_store_distinct_events_stay_apart_and_rerun_adds_nothing(store_url):
    from sitrep.store import open_store

    pairs = [(_article("a"), [ev("a")]), (_article("b"), [ev("b", day=dt.date(2024, 5, 21))]),
             (_article("c"), [ev("c", sub="Peaceful protest", etype="Protests", a1="Protesters (Ukraine)",
                                  inter1=6, a1_id=None)])]
    assert _stored(store_url, *pairs) == [True, True, True]
    assert _stored(store_url, *pairs) == [False, False, False]
    with open_store(store_url) as store:
        assert store.stats()["events"] == 3


def test_store_rolls_back_a_failed_article_and_its_merge(store_url, monkeypatch):
    import sitrep.export
    from sitrep.store import open_store

    real = sitrep.export.event_record
    with open_store(store_url, merge=True) as store:
        store.add(_article("a"), [ev("a", fat=6)])

        def flaky(event):
            if len(event.reports) > 1:
                raise RuntimeError("disk on fire")
            return real(event)

        monkeypatch.setattr(sitrep.export, "event_record", flaky)
        with pytest.raises(RuntimeError):
            store.add(_article("b"), [ev("b", fat=8)])
        monkeypatch.setattr(sitrep.export, "event_record", real)
        assert not store.has_article(_article("b").id)
        (rec,) = list(store.iter_events())
        assert rec["reports"] == 1 and rec["fatalities_high"] in (None, 6)
        assert store.add(_article("b"), [ev("b", fat=8)]) is True  # the retry merges once
        (rec,) = list(store.iter_events())
        assert rec["reports"] == 2 and rec["fatalities_high"] == 8


def test_background_mention_attaches_to_the_stored_event(store_url):
    from sitrep.store import open_store

    db = store_url
    goma = {"where": (-1.68, 29.22), "name": "Rubaya", "admin1": "North Kivu", "cc": "CD",
            "sub": "Non-state actor overtakes territory", "etype": "Battles", "a1": "M23: March 23 Movement",
            "inter1": 2, "a1_id": "m23"}
    fall = ev("a", day=dt.date(2024, 4, 30), **goma)
    _stored(db, (_article("a"), [fall]))
    # a month later: "last month, M23 seized Rubaya" (month precision, background) beside a new clash
    recall = ev("b", day=dt.date(2024, 4, 1), tp=3, background=True, **goma)
    recall.date_end = dt.date(2024, 4, 30)
    today = ev("b", day=dt.date(2024, 5, 28), **{**goma, "sub": "Armed clash"})
    today.event_id = "b-2"
    _stored(db, (_article("b"), [recall, today]))
    with open_store(db) as store:
        recs = {r["event_id"]: r for r in store.iter_events()}
    assert len(recs) == 2
    seized = recs[fall.event_id]
    assert seized["reports"] == 2 and not seized["background"] and seized["event_date"] == "2024-04-30"


def _in_big_city(e, population=1_400_000):
    r = e.reports[0]
    r.location = dataclasses.replace(r.location, place=dataclasses.replace(r.location.place, population=population))
    return build_event([r])


def test_unnamed_killings_on_different_days_in_a_big_city_stay_apart():
    def killing(aid, day, tp=2):
        return _in_big_city(ev(aid, sub="Attack", etype="Violence against civilians", day=day, tp=tp,
                               a1="Unidentified Armed Group (Ukraine)", inter1=3, a1_id=None, fat=1,
                               text=f"A man was found shot dead in Kharkiv ({aid})"))
    assert len(merge_events([killing("a", dt.date(2024, 5, 19)), killing("b", dt.date(2024, 5, 20))])) == 2
    assert len(merge_events([killing("a", dt.date(2024, 5, 19)), killing("b", dt.date(2024, 5, 19))])) == 1


def test_fire_in_both_directions_is_two_one_sided_events():
    naf = "NAF: United Armed Forces of Novorossiya"
    ua = "Military Forces of Ukraine (2019-)"
    a = ev("a", a1=naf, inter1=2, a1_id="naf", a2=ua, where=(48.0, 37.8), name="Donetsk")
    b = ev("b", a1=ua, inter1=1, a1_id="ua_military", a2=naf, where=(48.0, 37.8), name="Donetsk")
    assert len(merge_events([a, b])) == 2
    c = ev("c", a1=naf, inter1=2, a1_id="naf", a2=ua, where=(48.0, 37.8), name="Donetsk")
    assert len(merge_events([a, c])) == 1
    # "the NAF fired at homes near X" (no target side told) and "the army shelled NAF positions near X":
    # each side's own fire, even with one side named only once
    d = ev("d", a1=naf, inter1=2, a1_id="naf", a2=None, where=(48.0, 37.8), name="Donetsk")
    assert len(merge_events([d, b])) == 2


def test_barrages_of_different_weapons_are_two_events():
    a = ev("a", text="Russian forces fired heavy machine guns at homes in Kharkiv on Sunday")
    b = ev("b", text="Russian forces fired mortars, rockets and tank rounds at Kharkiv on Sunday")
    assert len(merge_events([a, b])) == 2
    c = ev("c", text="Russian forces fired mortars at Kharkiv on Sunday, officials said")
    assert len(merge_events([b, c])) == 1  # one barrage told with fewer of its weapons


def test_protests_with_other_grievances_at_a_city_and_its_district_are_two():
    city = _protest("a", "Citizens protested in Kharkiv against the government on Sunday")
    district = _protest("b", "Residents of Saltivka protested against construction work on a tram line",
                        where=(50.03, 36.35), name="Saltivka")
    assert len(merge_events([city, district])) == 2


def test_protests_called_by_different_organisers_are_two():
    a = _protest("a", "An anti-government protest in Kharkiv was organized by Civic Resistance")
    b = _protest("b", "Citizens protested in Kharkiv against the government, a protest initiated by Free City")
    assert len(merge_events([a, b])) == 2
