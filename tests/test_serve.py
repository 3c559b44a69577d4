"""serve: the read-only JSON API (filters, paging, FTS, detail, articles, XSS as data), the HTML report
and the export formats' validity (CSV with ACLED's column names, GeoJSON)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3
import warnings

import pytest

from sitrep.export import EVENT_FIELDS, Writer
from sitrep.ingest import make_article
from sitrep.serve.db import EventIndex, fts_query, parse_bbox
from sitrep.serve.report import json_for_script, write_report
from sitrep.serve.sample import XSS_IMG, XSS_SCRIPT, Where, build_sample_store, hostile_sample, make_event
from sitrep.store import open_store

fastapi = pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitrep.serve.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "events.db"
    build_sample_store(path, extra=[hostile_sample()])
    return path


@pytest.fixture(scope="module")
def client(store_path):
    app = create_app(store_path)
    with TestClient(app) as c:
        yield c
    app.state.index.close()


def ids(resp) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [e["event_id"] for e in resp.json()["events"]]


def by_location(client, name: str) -> dict:
    events = client.get("/api/events", params={"limit": 100}).json()["events"]
    return next(e for e in events if e["location"] == name)


# -- list, paging, sorting ------------------------------------------------------------------------------
def test_list_pages_cover_every_event_once_in_order(client):
    first = client.get("/api/events", params={"limit": 3}).json()
    assert first["total"] == 8
    seen = []
    for offset in range(0, 8, 3):
        seen += ids(client.get("/api/events", params={"limit": 3, "offset": offset}))
    assert len(seen) == len(set(seen)) == 8
    dates = [e["event_date"] for e in client.get("/api/events").json()["events"]]
    assert dates == sorted(dates, reverse=True)


def test_sort_by_fatalities_both_ways(client):
    down = [e["fatalities"] for e in client.get("/api/events", params={"sort": "-fatalities"}).json()["events"]]
    up = [e["fatalities"] for e in client.get("/api/events", params={"sort": "fatalities"}).json()["events"]]
    assert down == sorted(down, reverse=True) and up == sorted(up) and down[0] == 15


@pytest.mark.parametrize("params", [{"sort": "latitude; DROP TABLE events"}, {"limit": 0}, {"limit": 5000},
                                    {"offset": -1}, {"bbox": "1,2,3"}, {"bbox": "0,95,10,96"},
                                    {"date_from": "2026-13-01"}, {"date_from": "2026-03-10", "date_to": "2026-03-01"}])
def test_bad_parameters_are_422(client, params):
    assert client.get("/api/events", params=params).status_code == 422


# -- filters --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("params, locations", [
    ({"event_type": "Battles"}, {"Gwoza", "Argelia", "Mogadishu"}),
    ({"event_type": ["Protests", "Violence against civilians"]}, {"Nairobi", "Ansongo"}),
    ({"sub_event_type": "Shelling/artillery/missile attack"}, {"Kharkiv", "Kupiansk", "El Fasher"}),
    ({"country": "ukraine"}, {"Kharkiv", "Kupiansk"}),
    ({"admin1": "NORTH DARFUR"}, {"El Fasher"}),
    ({"actor": "iswap"}, {"Gwoza"}),  # substring of actor1, any case
    ({"actor": "military forces of russia"}, {"Kharkiv", "Kupiansk"}),
    ({"actor": "Civilians (Mali)"}, {"Ansongo"}),  # actor2
    ({"date_from": "2026-03-07", "date_to": "2026-03-10"}, {"Argelia", "Gwoza"}),
    ({"date_from": "2026-03-12"}, {"Kharkiv", "Kupiansk", "Nairobi"}),
    ({"bbox": "30,45,40,55"}, {"Kharkiv", "Kupiansk"}),  # min_lon,min_lat,max_lon,max_lat
    ({"bbox": "-80,0,-70,5"}, {"Argelia"}),
    ({"min_fatalities": 4}, {"Gwoza", "El Fasher"}),
    ({"event_type": "Battles", "country": "Nigeria"}, {"Gwoza"}),
    ({"country": "Atlantis"}, set()),
])
def test_filters(client, params, locations):
    resp = client.get("/api/events", params=params)
    assert resp.status_code == 200, resp.text
    assert {e["location"] for e in resp.json()["events"]} == locations
    assert resp.json()["total"] == len(locations)


def test_points_and_timeline_follow_the_filters(client):
    pts = client.get("/api/points", params={"country": "Ukraine"}).json()
    assert pts["total"] == 2 and {p[6] for p in pts["points"]} == {"Kharkiv", "Kupiansk"}
    assert all(isinstance(p[1], float) and isinstance(p[2], float) for p in pts["points"])
    days = client.get("/api/timeline", params={"event_type": "Explosions/Remote violence",
                                               "date_from": "2026-03-12"}).json()["days"]
    # the timeline ignores the date range (it is where the range is chosen)
    assert {(d["date"], d["count"]) for d in days} == {("2026-03-06", 1), ("2026-03-12", 2)}
    facets = client.get("/api/facets").json()
    assert facets["events"] == 8 and "Protests" in facets["event_type"]
    assert facets["date_min"] == "2026-03-02" and facets["date_max"] == "2026-03-12"


# -- full-text search -------------------------------------------------------------------------------------
@pytest.mark.parametrize("q, locations", [
    ("tear gas", {"Nairobi"}),  # evidence
    ("fabricated", {"El Fasher"}),  # a claim's text
    ("finance bill", {"Nairobi"}),  # notes
    ("guerr*", {"Argelia"}),  # prefix
    ("Kharkiv missile", {"Kharkiv"}),  # every word must occur
    ("missile Gwoza", set()),
    ('" AND ( NEAR OR *', set()),  # FTS syntax is taken as plain words, never an error
])
def test_full_text_search(client, q, locations):
    resp = client.get("/api/events", params={"q": q})
    assert resp.status_code == 200, resp.text
    assert {e["location"] for e in resp.json()["events"]} == locations


def test_fts_query_quotes_every_word():
    assert fts_query('tear "gas') == '"tear" """gas"'
    assert fts_query("guerr*") == '"guerr"*'
    assert fts_query("( ) *") is None
    assert parse_bbox("-10, 5, 10.5, 20") == (-10.0, 5.0, 10.5, 20.0)
    with pytest.raises(ValueError):
        parse_bbox("0,10,5,-10")


# -- event detail and article ---------------------------------------------------------------------------
def test_event_detail_has_claims_by_stance_contradictions_and_evidence(client, store_path):
    gwoza = by_location(client, "Gwoza")
    d = client.get(f"/api/events/{gwoza['event_id']}").json()
    assert d["event"]["event_id"] == gwoza["event_id"]
    stances = {s: [c["source"] for c in cs] for s, cs in d["claims_by_stance"].items()}
    assert len(stances["asserts"]) == 2 and stances["disputes"] == ["ISWAP spokesman"]
    assert stances["denies"] == ["Military Forces of Nigeria (2023-)"]
    assert d["contradictions"][0]["field"] == "fatalities"
    assert {v["value"] for v in d["contradictions"][0]["values"]} == {4, 20}
    assert {(s["source"], s["source_kind"]) for s in d["sources"]} >= {("ISWAP spokesman", "armed group channel"),
                                                                       ("residents", "witness")}
    assert len(d["reports"]) == 1 and d["reports"][0]["trigger_text"] == "attacked"
    text = open_store(store_path).get_article(d["articles"][0]["id"]).text
    for span in d["evidence"] + d["claims"]:
        assert text[span["start"]:span["end"]] == span["text"]


def test_event_from_two_reports_lists_both_articles(client):
    kharkiv = by_location(client, "Kharkiv")
    d = client.get(f"/api/events/{kharkiv['event_id']}").json()
    assert len(d["articles"]) == 2 and len(d["reports"]) == 2
    assert {a["title"] for a in d["articles"]} == {"Missile strike on Kharkiv kills three",
                                                   "Kharkiv strike toll rises to five"}
    assert {c["source"] for c in d["claims_by_stance"]["asserts"]} == {"Kharkiv regional governor", "Kharkiv mayor"}


def test_article_text_and_spans(client):
    kharkiv = by_location(client, "Kharkiv")
    aid = client.get(f"/api/events/{kharkiv['event_id']}").json()["articles"][0]["id"]
    art = client.get(f"/api/articles/{aid}").json()
    assert {s["kind"] for s in art["spans"]} == {"evidence", "claim", "trigger"}
    for s in art["spans"]:
        assert art["text"][s["start"]:s["end"]] == s["text"]
    assert len(art["events"]) == 2  # Kharkiv and Kupiansk come from this article
    one = client.get(f"/api/articles/{aid}", params={"event_id": kharkiv["event_id"]}).json()
    assert {s["event_id"] for s in one["spans"]} == {kharkiv["event_id"]}
    assert "Kupiansk" not in {s["text"] for s in one["spans"] if s["kind"] == "evidence"}


def test_unknown_ids_are_404(client):
    assert client.get("/api/events/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404


# -- security -------------------------------------------------------------------------------------------
def test_hostile_text_is_returned_as_json_data(client):
    d = client.get("/api/events", params={"q": "checkpoint"}).json()["events"][0]
    assert d["actor1"] == f"Gunmen {XSS_IMG}" and XSS_SCRIPT in d["notes"]
    detail = client.get(f"/api/events/{d['event_id']}")
    assert detail.headers["content-type"].startswith("application/json")
    art = client.get(f"/api/articles/{detail.json()['articles'][0]['id']}")
    assert art.headers["content-type"].startswith("application/json")
    assert XSS_SCRIPT in art.json()["text"] and art.json()["outlet"] == XSS_SCRIPT


def test_page_and_script_never_put_data_into_html(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    script = client.get("/static/app.js").text
    # the front end builds DOM from text only; a later innerHTML/outerHTML/insertAdjacentHTML would be a hole
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)
    assert "http://" not in page.text and "https://" not in page.text  # no CDN


def test_api_is_read_only(client, store_path):
    before = hashlib.sha256(store_path.read_bytes()).hexdigest()
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/events").status_code == 405
        assert client.request(method.upper(), "/api/events/x").status_code == 405
    client.get("/api/events", params={"q": "missile"})
    index: EventIndex = client.app.state.index
    with pytest.raises(sqlite3.OperationalError):
        index._db.execute("DELETE FROM store.events")
    assert hashlib.sha256(store_path.read_bytes()).hexdigest() == before


def test_events_added_after_start_are_found(tmp_path):
    path = tmp_path / "live.db"
    build_sample_store(path)
    app = create_app(path)
    with TestClient(app) as c:
        assert c.get("/api/events", params={"q": "cattle"}).json()["total"] == 0
        art = make_article("Herders and farmers clashed over cattle near Bokkos on Sunday, residents said.",
                           title="Clash near Bokkos", published="2026-03-16")
        ev = make_event(art, 1, "Riots", "Mob violence", "clashed", ["Herders and farmers clashed over cattle"],
                        Where("Bokkos", "Nigeria", "NG", "Plateau", 9.3, 8.99), None)
        with open_store(path) as store:
            store.add(art, [ev])
        found = c.get("/api/events", params={"q": "cattle"}).json()
        assert found["total"] == 1 and found["events"][0]["location"] == "Bokkos"
    app.state.index.close()


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/articles/{article_id}"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"q", "bbox", "date_from", "date_to", "event_type", "actor", "sort", "limit", "offset"} <= names


# -- the self-contained report --------------------------------------------------------------------------
def test_report_is_self_contained_and_inert(store_path, tmp_path):
    out = tmp_path / "report.html"
    assert write_report(store_path, out) == 8
    html = out.read_text(encoding="utf-8")
    assert XSS_SCRIPT not in html and XSS_IMG not in html  # payloads only as escaped JSON
    assert len(re.findall(r"<script\b", html)) == 5  # 3 libraries, the data, the app: nothing injected
    assert re.search(r'<script type="application/json" id="sitrep-data">', html)
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.DOTALL)
    assert not re.search(r"\b(src|href)\s*=", markup)  # nothing loaded from anywhere: all inline
    assert "connect-src 'none'" in html
    data = re.search(r'id="sitrep-data">(.*?)</script>', html, re.DOTALL).group(1)
    payload = json.loads(data)
    assert len(payload["events"]) == 8 and len(payload["details"]) == 8
    assert any(XSS_SCRIPT in a["text"] for a in payload["articles"].values())
    assert payload["world"]["type"] == "Topology"


def test_json_for_script_cannot_close_the_element():
    text = json_for_script({"a": "</script><script>alert(1)</script>", "b": "\u2028&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["a"].startswith("</script>")


# -- exports --------------------------------------------------------------------------------------------
ACLED_COLUMNS = ["event_date", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "assoc_actor_2", "inter2", "interaction", "country", "admin1", "admin2", "location", "latitude",
                 "longitude", "geo_precision", "time_precision", "fatalities", "notes"]


def export(store_path, fmt: str) -> str:
    buf = io.StringIO()
    w = Writer(fmt, buf)
    with open_store(store_path) as store:
        for rec in store.iter_events():
            w.write(rec)
    w.close()
    return buf.getvalue()


def test_csv_export_opens_with_acled_column_names(store_path):
    text = export(store_path, "csv")
    try:
        import pandas as pd
    except ImportError:  # the csv module checks the same things
        rows = list(csv.DictReader(io.StringIO(text)))
        columns = list(rows[0])
        fatalities = [int(r["fatalities"]) for r in rows]
        lats = [float(r["latitude"]) for r in rows]
    else:
        frame = pd.read_csv(io.StringIO(text))
        columns, rows = list(frame.columns), frame.to_dict("records")
        fatalities, lats = frame["fatalities"].tolist(), frame["latitude"].tolist()
        assert str(frame["fatalities"].dtype).startswith("int") and str(frame["latitude"].dtype) == "float64"
    assert columns == EVENT_FIELDS and set(ACLED_COLUMNS) <= set(columns)
    assert len(rows) == 8 and max(fatalities) == 15 and all(-90 <= x <= 90 for x in lats)
    assert any(XSS_SCRIPT in str(r["notes"]) for r in rows)  # kept verbatim, quoted by the CSV writer


def test_geojson_export_is_a_valid_feature_collection(store_path):
    doc = json.loads(export(store_path, "geojson"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 8
    for f in doc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert isinstance(lon, float) and -180 <= lon <= 180 and isinstance(lat, float) and -90 <= lat <= 90
        assert isinstance(f["properties"], dict) and f["properties"]["event_id"]
        assert "latitude" not in f["properties"] and f["properties"]["event_type"]
