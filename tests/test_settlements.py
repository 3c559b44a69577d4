"""Villages that theatre-of-war reports name and cities500 lacks (sitrep/data/settlements.tsv): reading the
file, adding its rows to the gazetteer index, and resolving them in reports."""
from __future__ import annotations

import pytest

import sitrep
from sitrep.resolve.gazetteer import (SETTLEMENT_COLUMNS, Gazetteer, GazetteerError, _add_settlements, _Builder,
                                      haversine, name_key, read_settlements)

HEADER = "\t".join(SETTLEMENT_COLUMNS)


def _write(tmp_path, *lines: str):
    f = tmp_path / "settlements.tsv"
    f.write_text("\n".join(("# a comment", HEADER, *lines)) + "\n", encoding="utf-8")
    return f


def test_rows_are_read_with_their_spellings(tmp_path):
    f = _write(tmp_path, "Sokilnyky\tSokolniki| Sokolnyky \t48.74611\t38.86861\tUA\tLuhansk\tSlovianoserbsk\tp",
               "Pisky\t\t48.06222\t37.675\tUA\tDonetsk\t\tp")
    assert read_settlements(f) == [
        ("Sokilnyky", ("Sokolniki", "Sokolnyky"), 48.74611, 38.86861, "UA", "Luhansk", "Slovianoserbsk"),
        ("Pisky", (), 48.06222, 37.675, "UA", "Donetsk", ""),
    ]
    assert read_settlements(tmp_path / "absent.tsv") == []


@pytest.mark.parametrize("line, why", [
    ("Pisky\t\t48.06\t37.67\tUA\tDonetsk\tp", "7 columns"),
    ("Pisky\t\tforty-eight\t37.67\tUA\tDonetsk\t\tp", "forty-eight"),
    ("Pisky\t\t48.06\t37.67\tUkraine\tDonetsk\t\tp", "two-letter country code"),
    ("Pisky\t\t148.06\t37.67\tUA\tDonetsk\t\tp", "coordinates"),
])
def test_a_bad_row_names_the_file_and_line(tmp_path, line, why):
    f = _write(tmp_path, line)
    with pytest.raises(GazetteerError) as e:
        read_settlements(f)
    assert f"{f}:3:" in str(e.value) and why in str(e.value)


def test_a_wrong_header_is_refused(tmp_path):
    f = tmp_path / "s.tsv"
    f.write_text("name\tlat\tlon\nPisky\t48\t37\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="header"):
        read_settlements(f)


def test_a_village_is_added_or_lends_its_spellings_to_the_town_already_there():
    b = _Builder()
    town = b.add(1, "Horlivka", 48.29986, 38.01709, 250000, "UA", "Donetsk", None, None, "PPL")
    far = b.add(2, "Sokilnyky", 49.7816, 23.98152, 3000, "UA", "Lviv", None, None, "PPL")
    added = _add_settlements(b, [
        ("Horlivka", ("Gorlovka",), 48.3, 38.05, "UA", "Donetsk", "Horlivka"),
        ("Sokilnyky", ("Sokolniki",), 48.74611, 38.86861, "UA", "Luhansk", "Slovianoserbsk"),
    ])
    assert added == 1  # Horlivka was there (3 km off): only its Russian spelling is new
    assert [p >> 1 for p in b.name_keys[name_key("Gorlovka")]] == [town]
    new = [p >> 1 for p in b.name_keys[name_key("Sokolniki")]]
    assert len(new) == 1 and new[0] not in (town, far)
    i = new[0]
    assert b.strings[b.cols["a1"][i]] == "Luhansk" and b.strings[b.cols["a2"][i]] == "Slovianoserbsk"
    assert b.cols["pop"][i] == 0  # no population: a weak prior, picked by context


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def test_every_listed_spelling_finds_the_listed_place(gaz):
    rows = read_settlements()
    assert len(rows) >= 40
    for name, alts, lat, lon, cc, a1, _a2 in rows:
        for spelling in (name, *alts):
            near = [p for p in gaz.lookup(spelling)
                    if p.country_code == cc and haversine(lat, lon, p.lat, p.lon) <= 15]
            assert near, f"{spelling!r} does not find {name} ({lat}, {lon})"


def _main_event(text: str, published: str):
    events = [e for e in sitrep.extract(text, published=published) if not e.background]
    assert events, text
    return events[0]


def test_a_monitor_report_finds_the_village_on_the_line_not_its_namesake():
    # cities500 knows only the Sokilnyky near Lviv; the report is about the one on the Luhansk front
    row = next(r for r in read_settlements() if r[0] == "Sokilnyky")
    e = _main_event("On 7 May 2020, the OSCE SMM recorded 14 explosions of undetermined weapons near Sokolniki.",
                    "2020-05-08")
    assert e.location is not None and e.location.place is not None
    p = e.location.place
    assert p.admin1 == "Luhansk" and haversine(row[2], row[3], p.lat, p.lon) <= 5

