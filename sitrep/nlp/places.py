"""Place-name recognition by gazetteer matching over tokens.

CONTRACT: PlaceMatcher(gazetteer).find(doc: AnalyzedDoc) -> list[Mention]
  kind="place", key=the gazetteer lookup key; attrs may carry "level", "qualifier", "candidates".
  kind="demonym" for demonyms (country context, not event places), key=ISO country code.

Hand-written because no library recognises place names without a statistical model: runs of capitalized
tokens (with name particles such as al-, de, of) are looked up in the gazetteer longest first, then
filtered by context (titles before person names, organisation words after names, common words).
"""
from __future__ import annotations

import functools
import re

from sitrep.data import load_yaml
from sitrep.model import AnalyzedDoc, Mention, TokenTable
from sitrep.nlp import sentence_index
from sitrep.resolve.gazetteer import Gazetteer, _article_countries, _translit_rules, name_key

MAX_TOKENS = 6
# lower-case particles that may sit inside a place name (Jisr al-Shughur, Rio de Janeiro, Isle of Man)
_PARTICLES = frozenset(["al", "el", "il", "ul", "ash", "as", "ad", "ar", "an", "at", "az", "adh", "ath", "es", "esh", "ed", "er", "en", "et", "ez", "de", "del", "della", "di", "da", "do", "dos", "das", "du", "la", "le", "les", "los", "las", "van", "von", "der", "den", "of", "the", "and", "bin", "ibn", "bani", "beni", "sur", "sous", "upon", "on"])
_CONNECT = frozenset(["-", "'", "’", "‘", "ʼ"])
_LEVEL_OF_FEATURE = {"PCLI": "country", "CONT": "region", "RGN": "region", "ADM1": "admin1", "ADM2": "admin2",
                     "H": "water"}
_COMMON_ZIPF = 4.3  # English word frequency (wordfreq zipf) above which a lone capitalized word is suspect
_DISTRICT_ZIPF = 3.0  # ... and, for a word that is only a district's name, a lower bar


@functools.cache
def _lists() -> dict:
    d = load_yaml("place_stopwords.yaml") or {}
    return {
        "common": frozenset(name_key(str(w)) for w in d.get("common_words", [])),
        "titles": frozenset(str(w).lower() for w in d.get("person_titles", [])),
        "org": frozenset(str(w).lower() for w in d.get("org_words", [])),
        "area": {str(k).lower(): str(v) for k, v in (d.get("area_words") or {}).items()},
        "qual": frozenset(str(w).lower() for w in d.get("qualifiers", [])),
        "street": frozenset(str(w).lower() for w in d.get("street_words", [])),
        "facility": frozenset(str(w).lower() for w in d.get("facility_words", [])),
        "media": frozenset(str(w).lower() for w in d.get("media_words", [])),
        "not_after": frozenset(str(w).lower() for w in d.get("non_place_after", [])),
        "compound": frozenset(str(w).lower() for w in d.get("compound_parts", [])),
        "continuers": frozenset(str(w).lower() for w in d.get("name_continuers", [])),
        "hood": frozenset(str(w).lower() for w in d.get("neighbourhood_words", [])),
    }


@functools.cache
def _demonyms() -> dict[str, tuple[str, str | None]]:
    """Demonym key -> (country code, None); region adjectives ("European") -> ("", region name)."""
    out: dict[str, tuple[str, str | None]] = {}
    for w, region in ((load_yaml("regions.yaml") or {}).get("adjectives") or {}).items():
        out[name_key(str(w))] = ("", str(region))
    for cc, e in ((load_yaml("demonyms.yaml") or {}).get("countries") or {}).items():
        for w in (e or {}).get("demonyms", []) or []:
            out[name_key(str(w))] = (str(cc), None)
    return out


@functools.lru_cache(maxsize=100_000)
def _zipf(word: str) -> float:
    try:
        from wordfreq import zipf_frequency
    except ImportError:  # optional: without it only the word list filters common words
        return 0.0
    return zipf_frequency(word, "en")


def common_words() -> frozenset[str]:
    """Name keys of the words that are almost never a place on their own (place_stopwords.yaml)."""
    return _lists()["common"]


def street_words() -> frozenset[str]:
    """Words that make a name a street's or a building's ("Atlantic Avenue"; place_stopwords.yaml)."""
    return _lists()["street"]


def facility_words() -> frozenset[str]:
    """Words after a name that make it an organisation's or a building's in a town ("San Fernando company")."""
    return _lists()["facility"]


@functools.cache
def _thing_words() -> frozenset[str]:
    """Words that end a street's or a building's name, and "Quarter" (a town's part); not an embassy or a
    consulate, which stands for its country."""
    return (street_words() - {"embassy", "consulate"}) | {"quarter"}


def _capitals_end_in(cap, texts, j: int, n: int, words: frozenset[str], reach: int) -> bool:
    """Among the capitalised tokens from j on (at most ``reach``, stopping at the first lower-case one) is
    one of ``words``."""
    for k in range(j, min(n, j + reach)):
        if not cap[k]:
            return False
        if texts[k].lower() in words:
            return True
    return False


def neighbourhood_words() -> frozenset[str]:
    """Words for a part of a town ("colonia", "residencial"; place_stopwords.yaml)."""
    return _lists()["hood"]


# two capitals inside a word after lower-case letters ("NaTaLa", "iPhone" has one: "McAllen", "DeKalb" keep)
_CAMEL = re.compile(r"[a-z][A-Z].*[a-z][A-Z]")


def name_continuers() -> frozenset[str]:
    """Particles inside a longer name ("Villa del Caribe", "Wadi al-Rabi"; place_stopwords.yaml)."""
    return _lists()["continuers"]


def _lower_articles() -> frozenset[str]:
    """Article forms written in lower case before a capitalised name ("al-Bukamal", "el-Arish"): the articles
    of the transliteration registry (transliteration.yaml)."""
    return _translit_rules()[0]


class _Toks:
    """The document's tokens as the matcher reads them: the TokenTable's lists (no spaCy Token objects)
    and whether each token is capitalized."""

    __slots__ = ("_lowered", "cap", "ends", "n", "punct", "sent_start", "starts", "texts", "ws")

    def __init__(self, table: TokenTable):
        self.n = len(table)
        self.starts, self.ends, self.texts = table.starts, table.ends, table.texts
        self.ws, self.punct, self.sent_start = table.ws, table.punct, table.sent_start
        # capitalized: an upper-case first character and a letter somewhere (the first character is nearly
        # always the letter: the any() runs only for "Ⅻ", "Ⓐ" and the like)
        self.cap = [t[:1].isupper() and (t[0].isalpha() or any(ch.isalpha() for ch in t)) for t in table.texts]
        self._lowered: set[str] | None = None

    def lowered(self) -> set[str]:
        """The lower-case token texts (a lower-case token's lower_ is its text), made when first asked."""
        if self._lowered is None:
            self._lowered = {t for t in self.texts if t.islower()}
        return self._lowered


class PlaceMatcher:
    """Finds place names and demonyms in an analyzed document (see module docstring)."""

    def __init__(self, gazetteer: Gazetteer):
        self.g = gazetteer
        self.lists = _lists()
        self.demonyms = _demonyms()
        _zipf("the")  # loads the word-frequency table now, with the matcher, not inside the first document

    # -- public --------------------------------------------------------------------------------------
    def find(self, doc: AnalyzedDoc) -> list[Mention]:
        table = doc.token_table()
        if table is None:
            return []
        toks = _Toks(table)
        text = doc.article.text
        n = toks.n
        starts, ends, texts, cap, ws = toks.starts, toks.ends, toks.texts, toks.cap, toks.ws
        sent_start = {s.start for s in doc.sentences}
        titlecase = _Titlecase(doc)
        persons: set[str] = set()
        out: list[Mention] = []
        articles = _lower_articles()
        skip_to = 0  # the tokens of the last name or demonym found are not looked at again
        # tokens a name may start at: capitalized, or a lower-case article glued to a capitalized word
        # ("al-Bukamal"); the rest are skipped without a look
        for i in [i for i in range(n) if cap[i] or texts[i] in articles]:
            if i < skip_to:
                continue
            if not cap[i] and not (i + 2 < n and texts[i + 1] == "-" and cap[i + 2] and not ws[i] and not ws[i + 1]):
                continue
            # demonyms (one or two tokens: "South African")
            dm = self._demonym(toks, i, text)
            if dm is not None:  # "Indian Ocean", "Central African Republic": the longer name
                hit = self._longest(toks, i, text)
                if hit is not None and hit[0] > dm[0]:
                    dm = None
                elif hit is not None and self._province_word_after(toks, hit[0], hit[1]):
                    dm = None  # "Somali region", "Afar region": Ethiopia's provinces, not a people's country
            if dm is not None and self._names_a_thing(cap, texts, dm[0], n):
                dm = None  # "French Quarter", "Frenchmen Street", "Percy French Hotel": a name, no country
            if dm is not None:
                j, (cc, region) = dm
                s, e = starts[i], ends[j - 1]
                out.append(Mention("demonym", s, e, text[s:e], sentence_index(doc.sentences, s), key=cc,
                                   attrs={"region": region} if region else {}))
                skip_to = j
                continue
            hit = self._longest(toks, i, text)
            if hit is None:
                continue
            j, key, via_skel = hit
            s, e = starts[i], ends[j - 1]
            sent = sentence_index(doc.sentences, s)
            verdict = self._judge(toks, i, j, key, via_skel, s in sent_start or toks.sent_start[i],
                                  titlecase(sent), persons)
            skip_to = j
            if verdict is None:
                continue
            attrs = verdict
            attrs["head"] = text[s:e]
            if self._media_name(cap, texts, j, n):
                # "he told Sahel Presse", "the Kabul Times": a news outlet's name; kept as a place mention
                # (geoparsers count it) but marked so that it neither locates an event nor sets the focus
                attrs = dict(attrs, modifier=True, outlet=True)
            out.append(Mention("place", s, e, text[s:e], sent, key=key, attrs=attrs))
        return out

    # -- matching ------------------------------------------------------------------------------------
    def _province_word_after(self, toks: _Toks, j: int, key: str) -> bool:
        """A province word follows ("region", "state") and a province has that name."""
        if j >= toks.n or self.lists["area"].get(toks.texts[j].lower()) != "admin1":
            return False
        return any(self.g.feature(c) == "ADM1" for c, _, _ in self.g.candidates(key)[:8])

    def _titled_name(self, toks: _Toks, i: int) -> bool:
        """Capitalised words and name particles lead back from token i to a person's title ("MP Samir al")."""
        L = self.lists
        k, steps = i - 1, 0
        while k >= 0 and steps < 4:
            w = toks.texts[k].lower().rstrip(".")
            if steps > 0 and w in L["titles"]:
                return True
            if not (toks.cap[k] or w in L["continuers"]) or toks.punct[k]:
                return False
            k, steps = k - 1, steps + 1
        return False

    def _media_name(self, cap, texts, j: int, n: int) -> bool:
        """The capitalised words right after a name (up to two) end in a news outlet's word: the name is the
        outlet's ("Southeast Asia Newswire", "Sahel Presse")."""
        return _capitals_end_in(cap, texts, j, n, self.lists["media"], 2)

    @staticmethod
    def _names_a_thing(cap, texts, j: int, n: int) -> bool:
        """The capitalized words right after a demonym (up to three) end in a street or building word: the
        demonym is part of that thing's name ("French Quarter", "Atlantic Avenue")."""
        return _capitals_end_in(cap, texts, j, n, _thing_words(), 3)

    def _demonym(self, toks: _Toks, i: int, text: str) -> tuple[int, tuple[str, str | None]] | None:
        starts, ends = toks.starts, toks.ends
        for j in (i + 2, i + 1):
            if j > toks.n or (j == i + 2 and not toks.cap[i + 1]):
                continue
            cc = self.demonyms.get(name_key(text[starts[i]: ends[j - 1]]))
            if cc:
                return j, cc
        return None

    def _spans(self, toks: _Toks, i: int, text: str) -> list[int]:
        """Candidate end positions j (exclusive) for a name starting at token i, longest first."""
        starts, ends, texts, cap, ws = toks.starts, toks.ends, toks.texts, toks.cap, toks.ws
        ends_out = []
        words = 0
        j = i
        n = toks.n
        while j < n and words < MAX_TOKENS:
            if j > i and ends[j - 1] != starts[j] and "\n" in text[ends[j - 1]: starts[j]]:
                break
            tx = texts[j]
            if tx in _CONNECT:
                if j + 1 >= n or starts[j + 1] != ends[j] or starts[j] != ends[j - 1]:
                    break
                j += 1
                continue
            if cap[j]:
                words += 1
                j += 1
                ends_out.append(j)
                continue
            if tx[:1].isalpha() and not ws[j] and j + 1 < n and texts[j + 1] in _CONNECT:
                # a lower-case token glued to a hyphen ("al-" in "Jisr al-Shughur")
                words += 1
                j += 1
                continue
            if j > i and tx.lower() in _PARTICLES:
                words += 1
                j += 1
                continue
            break
        ends_out.reverse()
        return ends_out

    def _longest(self, toks: _Toks, i: int, text: str) -> tuple[int, str, bool] | None:
        g = self.g
        s0, ends = toks.starts[i], toks.ends
        for j in self._spans(toks, i, text):
            key = name_key(text[s0: ends[j - 1]])
            if not key:
                continue
            if g.has_key(key):
                return j, key, False
            var = _final_h_variant(g, key)
            if var is not None:
                return j, var, False
            # the transliteration skeleton only for multi-word names: one word folds onto too many others
            if " " in key and g.has_skeleton(key):
                return j, key, True
        return None

    # -- filters -------------------------------------------------------------------------------------
    def _judge(self, toks: _Toks, i: int, j: int, key: str, via_skel: bool, sent_initial: bool, titlecase: bool,
               persons: set[str]) -> dict | None:
        L = self.lists
        n = toks.n
        texts, cap, ws = toks.texts, toks.cap, toks.ws
        single = (j - i) == 1
        has_prev = i > 0
        prev_tx = texts[i - 1] if has_prev else ""
        prev_l = prev_tx.lower().rstrip(".") if has_prev else ""
        has_nxt = j < n
        nxt_tx = texts[j] if has_nxt else ""
        nxt_l = nxt_tx.lower() if has_nxt else ""
        g = self.g
        cands = g.candidates(key)
        if not cands:
            return None
        top = cands[0][0]
        feat = g.feature(top)
        area_like = feat in ("PCLI", "CONT", "ADM1", "RGN", "H")
        big = area_like or (g.population(top) >= 100_000 and not cands[0][1])
        first = texts[i]
        attrs: dict = {}
        # area word after the name ("Idlib province", "Homs countryside") or "the city of X" before it
        area = L["area"].get(nxt_l)
        if area is None and j + 1 < n:
            area = L["area"].get(f"{nxt_l} {texts[j + 1].lower()}")
        if area is not None:
            attrs["level"] = area
            attrs["cue"] = nxt_l
            if nxt_l in ("countryside",):
                attrs["qualifier"] = "countryside"
        elif i >= 2 and prev_l == "of" and texts[i - 2].lower() in L["area"]:
            attrs["level"] = L["area"][texts[i - 2].lower()]
            attrs["cue"] = texts[i - 2].lower()
        strong = "level" in attrs or self._confirmed(toks, j, cands)
        if prev_l in ("in", "at", "near", "outside"):
            attrs["locative"] = True  # "in Man": told as a place, not as the word for people it also is
        # person contexts
        if prev_l in L["titles"] or (key in persons and not big):
            return None
        if not big and self._titled_name(toks, i):
            return None  # "MP Samir al Jisr": the last word of a person's name after a title
        if single and _CAMEL.search(first):
            return None  # "NaTaLa", "YouTube": a coined spelling, no place name
        # "pro-Hadi forces", "anti-Assad protests": a side, not a place (a country here is a demonym's
        # work, and the demonym matcher has it)
        if i >= 2 and prev_tx in _CONNECT and not ws[i - 1] and not ws[i - 2] \
                and texts[i - 2].lower() in ("pro", "anti"):
            return None
        # an acronym ("OPS", "BAYAN") that only a small place is called
        if single and first.isupper() and len(first) >= 2 and not titlecase and not big:
            return None
        if has_nxt and nxt_tx in ("said", "says", "told") and single and not big:
            return None
        # part of a longer capitalized name that is not itself a place ("John Kerry", "Aleppo Smith")
        if not titlecase:
            if has_prev and cap[i - 1] and prev_l not in L["qual"] and prev_l != "the" \
                    and not toks.sent_start[i - 1] and prev_tx not in ("I",) and not _is_place_word(prev_l) \
                    and not toks.punct[i - 1]:
                if not big:
                    persons.add(key)
                    return None
                attrs["embedded"] = True  # "Dubai Police", "DeSmog Canada": named, but inside a name
            if has_nxt and cap[j] and nxt_l not in L["area"] and nxt_l not in L["org"] \
                    and not toks.punct[j] and nxt_tx not in ("I",):
                if not big:
                    return None
        if nxt_l in L["org"] and not strong and has_nxt and cap[j]:
            attrs["embedded"] = True
        # a piece of a longer name the gazetteer lacks: "Mayo-Sava", "Sud-Kivu", "Wadi al-Rabi"
        # (a name known only as another place's alternate spelling counts as small here: "Madinat" of
        # "Madinat as Saleh" is no Medina)
        if self._fragment(toks, i, j, key, big and not cands[0][1]):
            return None
        if single and first.lower() in L["hood"] and not strong:
            return None  # "Colonia 5 de Mayo": a neighbourhood of the town named nearby
        # an English phrase that is only some city's translated alternate name ("White House")
        if has_nxt and cap[j] and nxt_l.rstrip(".") in L["street"] and not (
                nxt_l in ("airport", "airbase")
                and any(not alt and not via and g.feature(c) in ("PPL", "PPLC") for c, alt, via in cands[:5])):
            # (but "Donetsk Airport", "Qamishli Airbase": a city's airport is coded at the city)
            return None
        if nxt_l in L["not_after"]:
            return None
        # (the word-frequency look-ups last: the cheap tests settle most names)
        if cands[0][1] and not (area_like or feat == "ADM2") and not strong and all(_zipf(w) >= 4.0 for w in key.split()):
            return None
        # common words, months, weekdays
        if single and not strong:
            if key in L["common"]:
                return None
            if not big and (key in toks.lowered() or _zipf(key) >= _COMMON_ZIPF):
                return None
            if sent_initial and not big and _zipf(key) >= 3.5:
                return None
            if len(key) <= 2 and not (first.isupper() and area_like):  # "US", "UK", "EU" but not "us"
                return None
        if via_skel and single and not strong and g.population(top) < 1000:
            return None
        # a word that only some district somewhere is called (geoBoundaries units: no town, no population)
        # needs a district word, or must not look like an English word or open a sentence
        if single and not strong and all(g.is_boundary(c[0]) for c in cands) and \
                (sent_initial or _zipf(key) >= _DISTRICT_ZIPF):
            return None
        # qualifiers before the name
        qual = self._qualifier(toks, i)
        if qual and "qualifier" not in attrs:
            attrs["qualifier"] = qual
        if "level" not in attrs:
            attrs["level"] = _LEVEL_OF_FEATURE.get(feat, "populated place")
        if via_skel:
            attrs["skeleton"] = True
        return attrs

    def _confirmed(self, toks: _Toks, j: int, cands) -> bool:
        """The name is followed by its own country or province ("in Split, Croatia", "Man (Tonkpi,
        Montagnes)" does not count: only names the gazetteer gives this place): then a word that is also
        common English ("split", "man") is the place."""
        n = toks.n
        texts, cap = toks.texts, toks.cap
        if j + 1 >= n or texts[j] not in (",", "("):
            return False
        k = j + 1
        words = []
        while k < n and len(words) < 4 and (cap[k] or (words and texts[k].lower() in ("of", "and"))):
            words.append(texts[k])
            k += 1
        if not words:
            return False
        g = self.g
        follow = {name_key(" ".join(words[:m])) for m in range(1, len(words) + 1)}
        for i, alt, via in cands[:8]:
            if via:
                continue
            names = (g.country_name(g.country_code_of(i)), g.admin1_of(i))
            if any(nm and name_key(nm) in follow for nm in names):
                return True
        return False

    def _fragment(self, toks: _Toks, i: int, j: int, key: str, big: bool) -> bool:
        """Tokens i..j are only part of a longer name the gazetteer lacks: a compass word glued by a hyphen
        to another capitalized word ("Sud-Kivu", "Extreme-Nord"), or a small place followed by a name
        particle and a capitalized word ("Wadi al-Rabi", "San Pedro de Ycuamandiyu")."""
        n = toks.n
        texts, cap, ws = toks.texts, toks.cap, toks.ws
        L = self.lists

        def glued(k: int) -> bool:  # token k is a hyphen with no space on either side
            return 0 < k < n - 1 and texts[k] in _CONNECT and not ws[k - 1] and not ws[k]

        head = j < n - 1 and glued(j) and cap[j + 1]
        tail = i >= 2 and glued(i - 1) and cap[i - 2]
        if head or tail:
            # only compass words: two places joined ("Nelson-Creston", "Kabul-Jalalabad road") are both
            # places, and a known part of a longer name ("Champs-Élysées") still tells where
            return key in L["compound"]
        if j < n - 1 and texts[j].lower() in L["continuers"]:
            k = j + 1
            if k < n - 1 and glued(k):
                k += 1
            return cap[k] and not big
        return False

    def _qualifier(self, toks: _Toks, i: int) -> str | None:
        qual = self.lists["qual"]
        for back in (1, 2, 3):
            k = i - back
            if k < 0:
                break
            w = toks.texts[k].lower()
            if w in qual:
                return w
            if w not in ("of", "the", "in", "rural", "-"):
                break
        return None



class _Titlecase:
    """Whether a sentence (by index) is headline-style, most words capitalized: the run filters do not apply
    there.  Worked out for a sentence when first asked (speed: most sentences hold no name to judge)."""

    def __init__(self, doc: AnalyzedDoc):
        self.by_index: dict[int, list[str]] = {}
        for s in doc.sentences:
            self.by_index.setdefault(s.index, []).append(s.text)
        self.known: dict[int, bool] = {}

    def __call__(self, index: int) -> bool:
        hit = self.known.get(index)
        if hit is None:
            hit = self.known[index] = any(_is_titlecase(t) for t in self.by_index.get(index, ()))
        return hit


def _is_titlecase(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


# Countries whose names reach English with or without a final h ("Nabatiyeh" / "Nabatiye", "Qalqiliyah" /
# "Qalqilya"): the Arabic-article countries of transliteration.yaml and Iran and Afghanistan
_FINAL_H_EXTRA = frozenset({"IR", "AF"})


def _final_h_variant(g: Gazetteer, key: str) -> str | None:
    """The gazetteer's spelling of a one-word name that differs only by a final h after a vowel.

    Hand-written: the transliteration skeleton would fold these, but one-word skeleton matches are too loose
    to trust; this one variant is safe when the place found lies where such spellings are usual."""
    if " " in key or len(key) < 6:
        return None
    if key.endswith(("eh", "ah")):
        tries = (key[:-1], key[:-2] + "a", key[:-2] + "e")
    elif key.endswith(("a", "e")):
        tries = (key + "h",)
    else:
        return None
    where = _article_countries() | _FINAL_H_EXTRA
    for v in tries:
        if g.has_key(v) and any(g.country_code_of(i) in where and not alt for i, alt, via in g.candidates(v)[:5]
                                if not via):
            return v
    return None


def _is_place_word(w: str) -> bool:
    return w in ("city", "province", "governorate", "district", "region", "village", "town")
