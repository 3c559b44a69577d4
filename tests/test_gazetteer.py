"""Gazetteer: name keys, transliteration skeletons, lookups, countries/admin1, GeoNames import."""
from __future__ import annotations

import pathlib
import sys
import types

import pytest

try:
    import sitrep.resolve  # noqa: F401
except ImportError:  # the resolve package __init__ may wait on other stages; the gazetteer does not
    _m = types.ModuleType("sitrep.resolve")
    _m.__path__ = [str(pathlib.Path(__file__).resolve().parent.parent / "sitrep" / "resolve")]
    sys.modules["sitrep.resolve"] = _m

from sitrep.resolve.gazetteer import Gazetteer, name_key, skeleton_key


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_name_key_normalizes():
    assert name_key("Jisr al-Shughūr") == "jisr al shughur"
    assert name_key("N’Djamena") == name_key("N'Djamena") == "ndjamena"
    assert name_key("  Deir   ez-Zor ") == "deir ez zor"


@pytest.mark.parametrize("a,b", [("Jisr al-Shughur", "Jisr ash-Shughur"), ("Jisr al-Shughur", "Jisr al-Shugur"),
                                 ("Jisr al-Shughur", "Jisr esh Shoghour"), ("Khan Younis", "Khan Yunis")])
def test_skeleton_folds_transliterations(a, b):
    assert skeleton_key(name_key(a)) == skeleton_key(name_key(b))


def test_skeleton_keeps_different_names_apart():
    assert skeleton_key(name_key("Homs")) != skeleton_key(name_key("Hama"))


def _gid(gaz, name):
    places = gaz.lookup(name)
    assert places, name
    return places[0].geonameid


def test_transliteration_variants_resolve_to_one_place(gaz):
    ids = {_gid(gaz, n) for n in ("Jisr al-Shughur", "Jisr ash-Shughur", "Jisr al-Shugur", "Jisr esh Shoghour")}
    assert len(ids) == 1
    p = gaz.get(ids.pop())
    assert p.country_code == "SY" and p.admin1 == "Idlib"
    assert _gid(gaz, "Khan Younis") == _gid(gaz, "Khan Yunis")


def test_alternate_names(gaz):
    kharkov = [p for p in gaz.lookup("Kharkov") if p.feature_code.startswith("PPL")]
    assert kharkov and kharkov[0].country_code == "UA"
    assert kharkov[0].geonameid in {p.geonameid for p in gaz.lookup("Kharkiv")}


def test_countries_and_admin1(gaz):
    sy = gaz.country("SY")
    assert sy.feature_code == "PCLI" and sy.name == "Syria" and 32 < sy.lat < 37
    assert gaz.country_name("tr") == "Turkey"
    idlib = gaz.admin1("SY", "Idlib Governorate")
    assert idlib is not None and idlib.feature_code == "ADM1" and idlib.country == "Syria"
    assert abs(idlib.lat - 35.93) < 0.2  # at its most populous place, the city of Idlib
    assert gaz.lookup("U.S.")[0].country_code == "US"


def test_nearest(gaz):
    p = gaz.nearest(35.814, 36.320)
    assert p.country_code == "SY" and "Shugh" in p.name


def test_import_geonames(tmp_path):
    # a private cache dir so the shared index is not touched; rows are invented but in the dump format
    rows = [
        ["990000001", "Qaryat al-Zaytun", "Qaryat al-Zaytun", "Qaryat az Zaytun,Zaytoun Village", "35.61",
         "36.55", "P", "PPL", "SY", "", "10", "", "", "", "1200", "", "300", "Asia/Damascus", "2024-01-02"],
        ["990000002", "Wadi Samar", "Wadi Samar", "", "34.90", "38.10", "H", "WAD", "SY", "", "12", "", "", "",
         "0", "", "400", "Asia/Damascus", "2024-01-02"],
        ["990000003", "Tell Khabur Saghir", "Tell Khabur Saghir", "Tal Khabour", "36.70", "40.90", "P", "PPL", "SY",
         "", "05", "", "", "", "450", "", "350", "Asia/Damascus", "2024-01-02"],
    ]
    f = tmp_path / "extra.txt"
    f.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    src = Gazetteer.load()
    g = Gazetteer(src._arrays(), tmp_path / "gaz.pickle")
    assert g.lookup("Qaryat al-Zaytun") == [] or g.lookup("Qaryat al-Zaytun")[0].geonameid != 990000001
    assert g.import_geonames(f) == 3
    p = g.lookup("Zaytoun Village")[0]
    assert p.geonameid == 990000001 and p.country_code == "SY" and p.population == 1200
    assert g.get(990000003).name == "Tell Khabur Saghir"
    assert g.lookup("Qaryat az-Zaytoun")[0].geonameid == 990000001  # skeleton of an imported name
    assert (tmp_path / "gaz.pickle").exists()
    assert g.import_geonames(f) == 0  # already there


def test_import_rejects_bad_rows(tmp_path, gaz):
    from sitrep.resolve.gazetteer import GazetteerError

    f = tmp_path / "bad.txt"
    f.write_text("123\tOnly three\tcolumns\n", encoding="utf-8")
    g = Gazetteer(gaz._arrays(), None)
    with pytest.raises(GazetteerError):
        g.import_geonames(f)
