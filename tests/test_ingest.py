"""ingest: normalization, ids, titles, repeated paragraphs, every input format and every bad input."""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.ingest import article_id, make_article, normalize_text, parse_published, read_inputs, readers
from sitrep.model import Article, Failure

STORY = (
    "Gunmen kill six in raid on market town\n\n"
    "Gunmen on motorcycles stormed the market in the town of Wadi Karsa on Tuesday, killing six "
    "traders and burning several shops, a local official said.\n\n"
    "The army said troops had been sent to the area and that two suspects were arrested."
)
CAPTION = ("Residents inspect a burned stall at the market in Wadi Karsa on Wednesday. "
           "(Photo: Staff photographer)")


def articles(items):
    return [i for i in items if isinstance(i, Article)]


def failures(items):
    return [i for i in items if isinstance(i, Failure)]


def write(path, content, mode="w"):
    if mode == "w":
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


# -- normalization --------------------------------------------------------------------------------

def test_normalize_whitespace_and_controls():
    raw = "  Troops\u00a0entered\tthe  town.  \r\nResidents fled.\r\n\r\n\r\n\r\nA curfew\x07 began.\u200b \n"
    assert normalize_text(raw) == "Troops entered the town.\nResidents fled.\n\nA curfew began."


def test_normalize_nfc_and_line_separators():
    decomposed = "Cafe\u0301 owner shot in Bouake\u0301"
    assert normalize_text(decomposed) == "Caf\u00e9 owner shot in Bouak\u00e9"
    assert normalize_text("One.\u2029Two.\u2028Three.\rFour.") == "One.\n\nTwo.\nThree.\nFour."


def test_article_id_stable_and_whitespace_insensitive():
    a = make_article("Shelling hit the northern district overnight, officials said.")
    b = make_article("  Shelling  hit the northern district\u00a0overnight, officials said.\r\n")
    c = make_article("Shelling hit the southern district overnight, officials said.")
    assert a.id == b.id == article_id(a.text)
    assert a.id != c.id
    assert len(a.id) >= 16


def test_make_article_title_first_paragraph_and_offsets():
    body = "Police fired tear gas at protesters in the capital on Friday.\n\nNo injuries were reported."
    art = make_article(body, title="Police  disperse protest\nin capital", published="2019-06-07")
    assert art.title == "Police disperse protest in capital"
    assert art.text.startswith("Police disperse protest in capital\n\nPolice fired tear gas")
    assert art.published == dt.date(2019, 6, 7)
    start = art.text.index("tear gas")
    assert art.span(start, start + 8).text == "tear gas"
    # the article text is a fixed point: re-normalizing changes nothing, offsets stay valid
    again = make_article(art.text)
    assert again.text == art.text and again.id == art.id


def test_make_article_title_not_duplicated():
    art = make_article(STORY, title="Gunmen kill six in raid on market town")
    assert art.text == normalize_text(STORY)
    assert art.text.count("Gunmen kill six in raid") == 1


@pytest.mark.parametrize("value, expected", [
    ("2015-04-25", dt.date(2015, 4, 25)),
    ("2015-04-25T10:00:00Z", dt.date(2015, 4, 25)),
    ("2015-04-25T23:30:00-05:00", dt.date(2015, 4, 25)),
    ("Sat, 25 Apr 2015 10:00:00 +0000", dt.date(2015, 4, 25)),
    ("25 April 2015", dt.date(2015, 4, 25)),
    (dt.datetime(2015, 4, 25, 8, 0), dt.date(2015, 4, 25)),
    (dt.date(2015, 4, 25), dt.date(2015, 4, 25)),
    ("yesterday-ish", None),
    ("", None),
    (None, None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_make_article_rejects_unreadable_date():
    with pytest.raises(ValueError):
        make_article("Text.", published="not a date")


# -- repeated paragraphs ------------------------------------------------------------------------------

def test_repeated_caption_second_copy_only():
    text = f"{STORY}\n\n{CAPTION}\n\nMore fighting was reported later.\n\n{CAPTION}"
    art = make_article(text)
    first = art.text.index(CAPTION)
    second = art.text.index(CAPTION, first + 1)
    assert art.is_repeated(second, second + len(CAPTION))
    assert not art.is_repeated(first, first + len(CAPTION))
    assert (second, second + len(CAPTION)) in art.repeated
    assert len(art.repeated) == 1


def test_repeated_near_exact_case_and_line_paragraphs():
    # lines as paragraphs (no blank lines), second copy differs in case and one character
    variant = CAPTION.upper().replace("WEDNESDAY", "WEDNESDAY,")
    text = f"{STORY}\n{CAPTION}\nThe governor called for calm.\n{variant}"
    art = make_article(text)
    second = art.text.index(variant)
    assert art.repeated == [(second, second + len(variant))]


def test_short_boilerplate_and_distinct_paragraphs_not_repeated():
    text = "(AP)\n\nA bomb exploded near a checkpoint.\n\n(AP)\n\nA second bomb exploded near the bridge."
    assert make_article(text).repeated == []


# -- formats ------------------------------------------------------------------------------------------

def test_txt_title_heuristic(tmp_path):
    p = write(tmp_path / "story.txt", STORY)
    (art,) = list(read_inputs([p], published=dt.date(2021, 5, 4)))
    assert art.title == "Gunmen kill six in raid on market town"
    assert art.text == normalize_text(STORY)
    assert art.document_id == p and art.input_name == p and art.line is None
    assert art.published == dt.date(2021, 5, 4)


@pytest.mark.parametrize("text", [
    "Gunmen on motorcycles stormed the market on Tuesday, killing six traders, an official said.\n\nMore.",
    "A single line with no more text",
    "The army said two suspects were arrested.\nThey were taken to the regional capital.",
    "1234 5678\n\nNumbers only in the first line.",
])
def test_txt_no_title(tmp_path, text):
    (art,) = list(read_inputs([write(tmp_path / "a.txt", text)]))
    assert art.title is None


def test_unknown_extension_text(tmp_path):
    p = write(tmp_path / "REPORT", STORY)
    (art,) = list(read_inputs([p]))
    assert art.text.startswith("Gunmen kill six")


def test_jsonl_records_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a1", "text": "Rebels seized two villages near the border.", "title": "Rebels seize "
                    "villages", "published": "2020-01-02", "url": "https://example.org/a1", "outlet": "Daily",
                    "extra": 1}),
        "this is not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "a4"}),
        json.dumps({"id": "a5", "text": "   "}),
        json.dumps({"id": "a6", "text": 42}),
        "",
        json.dumps({"id": 7, "text": "Airstrikes hit a fuel depot on the outskirts of the city."}),
        json.dumps({"text": "A grenade was thrown at a police post; no one was hurt."}),
    ]
    p = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    items = list(read_inputs([p], published="2020-03-03"))
    good = articles(items)
    bad = failures(items)
    assert [a.document_id for a in good] == ["a1", "7", f"{p}#line-9"]
    assert [a.line for a in good] == [1, 8, 9]
    first = good[0]
    assert first.title == "Rebels seize villages" and first.text.startswith("Rebels seize villages\n\nRebels seized")
    assert first.published == dt.date(2020, 1, 2)  # own date wins over the default
    assert good[1].published == dt.date(2020, 3, 3)
    assert first.url == "https://example.org/a1" and first.outlet == "Daily"
    assert [(f.input_name, f.line) for f in bad] == [(p, 2), (p, 3), (p, 4), (p, 5), (p, 6)]
    assert "JSON" in bad[0].reason and "object" in bad[1].reason and "text" in bad[2].reason
    assert "empty" in bad[3].reason and "string" in bad[4].reason


def test_jsonl_is_streamed_lazily(tmp_path):
    p = write(tmp_path / "big.ndjson", "".join(json.dumps({"id": i, "text": f"Report number {i}."}) + "\n"
                                              for i in range(50)))
    gen = read_inputs([p])
    assert next(gen).document_id == "0"
    assert sum(1 for _ in gen) == 49


def test_jsonl_invalid_utf8_line(tmp_path):
    good = json.dumps({"id": "g", "text": "Clashes continued for a third day."}).encode()
    bad = b'{"id": "b", "text": "caf\xe9 attacked"}'
    p = write(tmp_path / "mixed.jsonl", good + b"\n" + bad + b"\n" + good.replace(b'"g"', b'"h"') + b"\n", "wb")
    items = list(read_inputs([p]))
    assert [a.document_id for a in articles(items)] == ["g", "h"]
    (f,) = failures(items)
    offset = bad.index(0xE9)  # 24
    assert f.line == 2 and "UTF-8" in f.reason and f"offset {offset} " in f.reason


def test_json_object_and_list(tmp_path):
    one = write(tmp_path / "one.json", json.dumps({"id": "x", "text": "Protesters marched to parliament."}))
    many = write(tmp_path / "many.json", json.dumps([
        {"id": "y", "text": "Troops regained control of the airport."}, "oops",
        {"text": "A landmine killed two herders."}]))
    items = list(read_inputs([one, many]))
    assert [a.document_id for a in articles(items)] == ["x", "y", f"{many}#record-3"]
    (f,) = failures(items)
    assert f.input_name == many and f.line == 2


HTML = """<!DOCTYPE html><html><head><title>Car bomb kills four in port city | Coastal Herald</title>
<meta property="og:site_name" content="Coastal Herald"><meta name="author" content="Amina Yusuf">
<meta property="article:published_time" content="2022-08-14T06:30:00Z">
<link rel="canonical" href="https://herald.example.com/news/car-bomb"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Car bomb kills four in port city</h1>
<p>A car packed with explosives blew up near the fish market of the port city on Saturday morning, killing
four people and wounding at least eleven, police said.</p>
<p>No group immediately claimed responsibility for the blast, the second in the city this month.</p>
<p>Witnesses said the explosion shattered windows several streets away.</p>
</article><footer>Copyright Coastal Herald. All rights reserved.</footer></body></html>"""


def test_html_text_and_metadata(tmp_path):
    p = write(tmp_path / "page.html", HTML)
    (art,) = list(read_inputs([p], published="2000-01-01"))
    assert art.title == "Car bomb kills four in port city"
    assert art.text.startswith("Car bomb kills four in port city\n\nA car packed with explosives")
    assert "\n\nNo group immediately claimed" in art.text
    assert "Home" not in art.text and "Copyright" not in art.text
    assert art.published == dt.date(2022, 8, 14)
    assert art.url == "https://herald.example.com/news/car-bomb"
    assert art.outlet == "Coastal Herald" and art.byline == "Amina Yusuf"
    assert art.document_id == p


def test_html_without_text(tmp_path):
    p = write(tmp_path / "empty.htm", "<html><head><title>x</title></head><body><nav>Menu</nav></body></html>")
    assert list(read_inputs([p])) == [Failure(p, "no article text found in HTML")]


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Frontline Wire</title><link>https://wire.example.net</link>
<item><title>Militia attacks village</title><link>https://wire.example.net/1</link>
<pubDate>Mon, 03 Jul 2023 09:15:00 +0000</pubDate>
<description>&lt;p&gt;Armed men attacked a village in the east on Sunday, killing three farmers.&lt;/p&gt;&lt;p&gt;Survivors fled to the district centre.&lt;/p&gt;</description></item>
<item><title>Empty entry</title><link>https://wire.example.net/2</link><description></description></item>
<item><title>Talks resume</title><link>https://wire.example.net/3</link>
<description>Negotiators for both sides met again in the capital on Monday.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Border Monitor</title>
<entry><title>Drone strike on convoy</title><link href="https://monitor.example.org/e1"/>
<id>urn:e1</id><updated>2023-02-10T12:00:00Z</updated>
<content type="html">&lt;p&gt;A drone struck a fuel convoy on the highway north of the border crossing.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_feed_entries(tmp_path):
    p = write(tmp_path / "wire.rss", RSS)
    items = list(read_inputs([p]))
    first, third = articles(items)
    assert first.title == "Militia attacks village" and first.url == "https://wire.example.net/1"
    assert first.text == ("Militia attacks village\n\nArmed men attacked a village in the east on Sunday, "
                          "killing three farmers.\n\nSurvivors fled to the district centre.")
    assert first.published == dt.date(2023, 7, 3) and first.outlet == "Frontline Wire"
    assert first.document_id == f"{p}#entry-1" and first.line == 1
    assert third.line == 3 and third.published is None
    assert failures(items) == [Failure(p, "feed entry has no text", 2)]


def test_atom_feed_and_sniffed_xml(tmp_path):
    for name in ("monitor.atom", "monitor.xml", "monitor-feed"):
        p = write(tmp_path / name, ATOM)
        (art,) = list(read_inputs([p]))
        assert art.title == "Drone strike on convoy"
        assert art.published == dt.date(2023, 2, 10)
        assert art.text.endswith("north of the border crossing.")


def test_directory_walk_sorted_hidden_skipped(tmp_path):
    d = tmp_path / "corpus"
    (d / "b_sub").mkdir(parents=True)
    (d / ".git").mkdir()
    write(d / "c.txt", "Third report text.")
    write(d / "a.txt", "First report text.")
    write(d / "b_sub" / "b.jsonl", json.dumps({"id": "b", "text": "Second report text."}) + "\n")
    write(d / ".hidden.txt", "Hidden notes.")
    write(d / ".git" / "x.txt", "Not an input.")
    items = list(read_inputs([str(d)]))
    assert [a.text for a in items] == ["First report text.", "Second report text.", "Third report text."]


def test_stdin_kinds():
    plain = list(read_inputs(["-"], stdin=io.StringIO(STORY), published="2021-01-01"))
    assert plain[0].title == "Gunmen kill six in raid on market town" and plain[0].input_name == "-"
    assert plain[0].published == dt.date(2021, 1, 1)
    jsonl = json.dumps({"id": "s1", "text": "Clashes erupted at dawn."}) + "\nnot json\n"
    got = list(read_inputs(["-"], stdin=io.BytesIO(b"\n\n" + jsonl.encode())))
    assert got[0].document_id == "s1" and got[0].line == 3 and got[1] == Failure("-", got[1].reason, 4)
    (html,) = list(read_inputs(["-"], stdin=io.BytesIO(HTML.encode())))
    assert html.title == "Car bomb kills four in port city"
    feed = list(read_inputs(["-"], stdin=io.StringIO(RSS)))
    assert len(articles(feed)) == 2


def test_stdin_default_is_sys_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Troops shelled the hills.\n"))
    (art,) = list(read_inputs(["-"]))
    assert art.text == "Troops shelled the hills."


# -- bad inputs: exactly one Failure each, good documents still yielded ------------------------------------

def test_bad_inputs_each_one_failure(tmp_path, monkeypatch):
    good1 = write(tmp_path / "good1.txt", "Soldiers clashed with rebels near the river crossing.")
    missing = str(tmp_path / "missing.txt")
    binary = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "wb")
    empty = write(tmp_path / "empty.txt", "")
    blank = write(tmp_path / "blank.txt", " \n\t\n\u00a0\n")
    latin = write(tmp_path / "latin.txt", "Attaque \xe0 Bouak\xe9".encode("latin-1"), "wb")
    empty_jsonl = write(tmp_path / "empty.jsonl", "\n\n")
    bad_json = write(tmp_path / "bad.json", '{"text": "unterminated')
    bad_feed = write(tmp_path / "bad.rss", "<rss><channel><item><title>x</title>")
    huge = write(tmp_path / "huge.txt", "Shelling continued. " * 20)
    good2 = write(tmp_path / "good2.txt", "Protesters blocked the main road for a second day.")
    monkeypatch.setattr(readers, "MAX_DOCUMENT_BYTES", 100)
    order = [good1, missing, binary, empty, blank, latin, empty_jsonl, bad_json, bad_feed, huge, good2]
    items = list(read_inputs(order))
    assert [a.input_name for a in articles(items)] == [good1, good2]
    bad = failures(items)
    assert [f.input_name for f in bad] == order[1:-1]
    reasons = {f.input_name: f.reason for f in bad}
    assert "no such file" in reasons[missing]
    assert "binary" in reasons[binary]
    assert "empty" in reasons[empty] and "empty" in reasons[blank] and "empty" in reasons[empty_jsonl]
    assert reasons[latin] == "invalid UTF-8 at byte offset 8 (byte 0xe0)"
    assert "JSON" in reasons[bad_json]
    assert "feed" in reasons[bad_feed] or "entr" in reasons[bad_feed]
    assert reasons[huge] == "document larger than the 100 bytes limit"


def test_oversized_jsonl_line(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_DOCUMENT_BYTES", 120)
    small = json.dumps({"id": "s", "text": "Short report."})
    big = json.dumps({"id": "b", "text": "Very long report. " * 30})
    p = write(tmp_path / "x.jsonl", "\n".join([small, big, small.replace('"s"', '"t"')]) + "\n")
    items = list(read_inputs([p]))
    assert [a.document_id for a in articles(items)] == ["s", "t"]
    (f,) = failures(items)
    assert f.line == 2 and "limit" in f.reason


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    p = write(tmp_path / "secret.txt", "Classified.")
    os.chmod(p, 0)
    try:
        assert list(read_inputs([p])) == [Failure(p, "permission denied")]
    finally:
        os.chmod(p, 0o644)


def test_parser_exception_becomes_failure(tmp_path, monkeypatch):
    import trafilatura

    def boom(*args, **kwargs):
        raise ValueError("parser exploded")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    p = write(tmp_path / "page.html", HTML)
    (f,) = list(read_inputs([p]))
    assert f.input_name == p and "parser exploded" in f.reason


# -- properties -----------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_idempotent_and_make_article_safe(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once
    art = make_article(raw, title=raw[:30] or None)
    assert normalize_text(art.text) == art.text
    for s, e in art.repeated:
        assert 0 <= s < e <= len(art.text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([CAPTION, "Troops advanced on the town.", "A  curfew was imposed.\n", "\n\n",
                                 "Shops\u00a0stayed shut.", "(AP)"]), max_size=12))
def test_repeated_ranges_are_later_copies(parts):
    art = make_article("\n\n".join(parts))
    for s, e in art.repeated:
        chunk = art.text[s:e]
        assert chunk.strip() and art.text.find(chunk.split("\n")[0]) < s


def test_permission_error_becomes_failure(tmp_path, monkeypatch):
    p = write(tmp_path / "locked.txt", "Classified.")
    good = write(tmp_path / "open.txt", "An airstrike hit the depot.")

    def locked_open(path, *args, **kwargs):
        if path == p:
            raise PermissionError(13, "Permission denied", path)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(readers, "open", locked_open, raising=False)
    items = list(read_inputs([p, good]))
    assert items[0] == Failure(p, "permission denied")
    assert isinstance(items[1], Article)


_TRICKY = list(" \t\n\r\u00a0\u2009\u3000\u2028\u2029\x0b\x0c\x1c\x85\x00\x07\u200b\ufeff\u00ad\u0301\u0308\u0327"
               "eaoEAc.,ÅΩ\u212b\u2126(AP)")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=80), st.text(max_size=40))
def test_normalize_idempotent_on_whitespace_and_marks(raw, other):
    for sample in (raw, raw + other, other + raw):
        once = normalize_text(sample)
        assert normalize_text(once) == once
        assert "\r" not in once and "\t" not in once and "  " not in once and "\n\n\n" not in once
        art = make_article(sample)
        assert art.id == make_article(art.text).id


def test_json_file_with_concatenated_records(tmp_path):
    recs = [{"id": "r1", "text": "Police arrested four protesters outside the ministry."},
            {"id": "r2", "text": "Clashes broke out at a checkpoint on the highway."}]
    p = write(tmp_path / "records.json", json.dumps(recs[0], indent=2) + "\n" + json.dumps(recs[1]) + "\n{oops")
    items = list(read_inputs([p]))
    assert [a.document_id for a in articles(items)] == ["r1", "r2"]
    (f,) = failures(items)
    assert f.line == 3 and "JSON" in f.reason


def test_lone_surrogate_is_replaced_so_later_stages_can_encode_it():
    from sitrep.ingest.article import normalize_text

    text = normalize_text("Gunmen killed two \ud800 people in Gao.")
    assert "\ud800" not in text and "\ufffd" in text
    text.encode("utf-8")  # would raise on a surrogate


def test_a_plain_texts_headline_line_is_its_title():
    from sitrep.ingest import make_article
    art = make_article("Gunmen kill nine in Zamfara village raid\n\nGunmen on motorcycles killed nine villagers in "
                       "Zamfara state on Sunday, police said.\n\nThe attackers also stole cattle.")
    assert art.title == "Gunmen kill nine in Zamfara village raid"
    # a first paragraph that is a sentence, or the only paragraph, is no headline
    assert make_article("Gunmen killed nine villagers on Sunday.\n\nPolice said so.").title is None
    assert make_article("Gunmen kill nine in Zamfara village raid").title is None
