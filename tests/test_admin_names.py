"""Admin1 names in OCHA/ACLED spelling (data/admin_names.yaml): output names, searchability, data checks."""
from __future__ import annotations

import pathlib
import re
from collections import Counter, defaultdict

import numpy as np
import pytest
import yaml

import sitrep
from sitrep.resolve.gazetteer import _F, Gazetteer, _admin_names, name_key

DATA = pathlib.Path(__file__).resolve().parent.parent / "sitrep" / "data" / "admin_names.yaml"

# GeoNames units given one output name on purpose (marked "(merged)" in the file)
MERGED = {("ML", "Tombouctou"), ("ET", "Amhara"), ("ET", "SNNP"), ("PE", "Lima"), ("PH", "Northern Mindanao"),
          ("CF", "Mambere-Kadei"), ("CF", "Ouham"), ("CF", "Ouham-Pende"), ("EG", "Cairo"),
          # units the source names already give one name (new regions under an old name), left as they are
          ("GE", "Shida Kartli"), ("MA", "Laayoune-Boujdour-Sakia El Hamra"), ("MA", "Souss-Massa-Draa"),
          ("VE", "Vargas"), ("KG", "Talas"), ("KG", "Chui"), ("KZ", "East Kazakhstan"), ("KZ", "Almaty Oblysy"),
          ("KZ", "Turkistan"), ("KZ", "Qaraghandy"), ("IR", "Hormozgan")}


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _no_dup_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dup = [k for k, n in Counter(keys).items() if n > 1]
    if dup:
        raise ValueError(f"duplicate keys {dup} at line {node.start_mark.line + 1}")
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_dup_mapping)


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.load(DATA.read_text(encoding="utf-8"), Loader=_StrictLoader)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _admin1_units(gaz: Gazetteer, cc: str) -> dict[str, str]:
    """GeoNames admin1 code -> output name, for one country."""
    idx = np.where((gaz.feat == _F["ADM1"]) & (gaz.cc == gaz.ccs.index(cc)))[0]
    return {gaz.strings[gaz.a1code[i]]: gaz.names[i] for i in idx}


def _admin1_of_place(text: str, name: str) -> tuple[str | None, str | None]:
    for m in sitrep.places(text):
        if m.span.text == name and m.place is not None:
            return m.place.country_code, m.place.admin1
    return None, None


# -- data checks -----------------------------------------------------------------------------------
def test_file_has_header_and_no_duplicate_keys(raw):
    head = DATA.read_text(encoding="utf-8").splitlines()[0:6]
    assert any("OCHA" in ln for ln in head) and any("ACLED" in ln for ln in head)
    assert set(raw) <= {"admin1", "admin1_by_admin2"}
    assert len(raw["admin1"]) >= 25


def test_country_codes_are_known_countries(raw, gaz):
    for cc in raw["admin1"]:
        assert re.fullmatch(r"[A-Z]{2}", str(cc)), cc
        assert gaz.country_name(str(cc)), f"{cc} is not a country of the gazetteer"


def test_each_spelling_names_one_unit_per_country(raw):
    for cc, table in raw["admin1"].items():
        seen: dict[str, str] = {}
        for target, aliases in table.items():
            for a in [target, *(aliases or [])]:
                k = str(a) if re.fullmatch(rf"{cc}\.\w+", str(a)) else name_key(str(a))
                assert seen.setdefault(k, target) == target, f"{cc}: {a!r} listed for {seen[k]} and {target}"


def test_code_aliases_name_existing_geonames_units(raw, gaz):
    for cc, table in raw["admin1"].items():
        units = _admin1_units(gaz, cc)
        for target, aliases in table.items():
            for a in aliases or []:
                if re.fullmatch(rf"{cc}\.\w+", str(a)):
                    assert units.get(str(a).split(".", 1)[1]) == target, f"{cc}: {a} is not {target}"


def test_output_names_unique_within_a_country(raw, gaz):
    for cc in raw["admin1"]:
        by_name = defaultdict(list)
        for code, name in _admin1_units(gaz, cc).items():
            by_name[name].append(code)
        shared = {n for n, codes in by_name.items() if len(codes) > 1 and (cc, n) not in MERGED}
        assert not shared, f"{cc}: distinct GeoNames units share {shared}"


def test_every_curated_name_is_an_output_name(raw, gaz):
    for cc, table in raw["admin1"].items():
        names = set(_admin1_units(gaz, cc).values())
        missing = [t for t in table if t not in names]
        assert not missing, f"{cc}: {missing} match no GeoNames unit"


def test_no_geonames_spelling_left_for_a_few_countries(gaz):
    assert sorted(_admin1_units(gaz, "LB").values()) == [
        "Akkar", "Baalbek-Hermel", "Beirut", "Bekaa", "Mount Lebanon", "Nabatiye", "North", "South"]
    cd = set(_admin1_units(gaz, "CD").values())
    assert len(cd) == 26 and {"Ituri", "Tshopo", "Haut-Uele", "Bas-Uele", "Tanganyika"} <= cd
    assert "Eastern" not in cd and "Katanga" not in cd
    assert {"Idleb", "Ar-Raqqa", "Deir-ez-Zor", "Dar'a", "As-Sweida", "Rural Damascus"} <= set(
        _admin1_units(gaz, "SY").values())


def test_curated_table_keys_codes_apart_from_names():
    t = _admin_names()
    assert t[("CD", "#17")] == "Ituri"
    assert t[("SY", name_key("Idlib"))] == "Idleb"
    assert ("CD", name_key("CD.17")) not in t


# -- events and places in text ----------------------------------------------------------------------
@pytest.mark.parametrize("text,name,cc,admin1", [
    ("Government forces shelled Saraqib on Monday, killing two civilians, activists said.",
     "Saraqib", "SY", "Idleb"),
    ("M23 rebels attacked an army position near Goma on Tuesday, local officials said.", "Goma", "CD", "Nord-Kivu"),
    ("An Israeli drone strike hit a car in Beirut on Sunday, Lebanese state media reported.",
     "Beirut", "LB", "Beirut"),
    ("Suspected ADF rebels killed seven villagers near Bunia on Friday, the army said.", "Bunia", "CD", "Ituri"),
    ("Militants attacked a checkpoint in Arish on Monday, killing three soldiers.", "Arish", "EG", "North Sinai"),
    ("Separatist fighters burned a school in Bamenda, the regional governor said.", "Bamenda", "CM", "Nord-Ouest"),
    ("Al-Shabaab fighters attacked a base in Afgoye, Somalia, on Wednesday.", "Afgoye", "SO", "Lower Shabelle"),
])
def test_place_gets_ocha_admin1(text, name, cc, admin1):
    assert _admin1_of_place(text, name) == (cc, admin1)


@pytest.mark.parametrize("text,name,cc,admin1", [
    ("Kurdish-led forces arrested 12 suspected Islamic State members in Al-Hasakeh province on Friday.",
     "Al-Hasakeh", "SY", "Al-Hasakeh"),
    ("Fighting between rebels and the army continued in Idleb province on Wednesday.", "Idleb", "SY", "Idleb"),
    ("Clashes were reported in Nord-Kivu on Thursday between ADF militants and soldiers.",
     "Nord-Kivu", "CD", "Nord-Kivu"),
    ("Aid groups warned of hunger across North Kivu province after weeks of fighting.",
     "North Kivu", "CD", "Nord-Kivu"),
    ("Boko Haram fighters raided a village in Extreme-Nord region, killing five people.",
     "Extreme-Nord", "CM", "Extreme-Nord"),
])
def test_ocha_names_and_aliases_find_the_area(text, name, cc, admin1):
    assert _admin1_of_place(text, name) == (cc, admin1)


def test_admin1_lookup_by_ocha_name(gaz):
    for cc, name in (("SY", "Idleb"), ("SY", "Dar'a"), ("CD", "Nord-Kivu"), ("CD", "North Kivu"), ("LB", "Bekaa"),
                     ("LB", "Liban-Nord")):
        p = gaz.admin1(cc, name)
        assert p is not None and p.feature_code == "ADM1", (cc, name)
    assert gaz.admin1("CD", "North Kivu").admin1 == "Nord-Kivu"
    assert gaz.admin1("LB", "Liban-Nord").admin1 == "North"


def test_event_admin1_in_extracted_events():
    text = ("Syrian government warplanes struck the town of Saraqib on Monday, killing four civilians, "
            "the Syrian Observatory for Human Rights said.")
    events = sitrep.extract(text, published="2020-02-03")
    assert events, "no event extracted"
    places = [e.location.place for e in events if e.location is not None and e.location.place is not None]
    assert any(p.name == "Saraqib" and p.admin1 == "Idleb" for p in places), places


def test_admin1_by_admin2_overrides_an_outdated_first_level():
    assert _admin1_of_place("Thousands marched through Belgrade on Saturday.", "Belgrade") == ("RS", "Belgrade")
    # other Serbian towns keep the source's first level
    cc, a1 = _admin1_of_place("Police detained two men in Kragujevac on Saturday.", "Kragujevac")
    assert cc == "RS" and a1 != "Belgrade"
