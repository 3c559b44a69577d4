"""`sitrep report`: one self-contained HTML file (map, timeline, table, event panel with the evidence).

The page is the web view's own (static/index.html + app.js) with every library, the country outlines
and the data inlined, and a Content-Security-Policy that forbids any network request: it opens from a
file, offline, and can be mailed.  Data goes in as JSON inside <script type="application/json">, with
``<``, ``>`` and ``&`` escaped, so no text from a report can end the script element.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from html import escape
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.serve.db import EventIndex

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = STATIC / "vendor"
CSS = ["leaflet.css", "MarkerCluster.css", "MarkerCluster.Default.css"]
JS = ["leaflet.js", "leaflet.markercluster.js", "topojson-client.min.js"]
WORLD = "countries-110m.json"  # the coarse outlines keep the file small (~110 kB)
REPORT_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
              "connect-src 'none'; font-src 'none'; base-uri 'none'; form-action 'none'")


def json_for_script(value: Any) -> str:
    """JSON that is safe inside an HTML <script> element (no '<', '>', '&' or line separators)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _inline_js(code: str) -> str:
    # a literal "</script" or "<!--" inside library code would end or confuse the element; source-map
    # comments would only make developer tools look for files that are not there
    code = re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.MULTILINE)
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _inline_css(code: str) -> str:
    return re.sub(r"</(style)", r"<\\/\1", code, flags=re.IGNORECASE)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SitrepError(f"{path} is missing: run scripts/build_web.sh to install the front-end libraries") from exc


def report_data(index: EventIndex) -> dict[str, Any]:
    """Everything the page needs: event records, each event's detail, the articles with their spans."""
    events = list(index.iter_records())
    details: dict[str, Any] = {}
    articles: dict[str, Any] = {}
    for rec in events:
        detail = index.event_detail(rec["event_id"])
        if detail is None:
            continue
        details[rec["event_id"]] = detail
        for meta in detail["articles"]:
            aid = meta.get("id")
            if aid and aid not in articles:
                art = index.article(aid)
                if art is not None:
                    articles[aid] = art
    return {"events": events, "details": details, "articles": articles}


def render_report(index: EventIndex, title: str = "sitrep report") -> str:
    """The report page as one HTML string."""
    page = _read(STATIC / "index.html")
    data = report_data(index)
    data["world"] = json.loads(_read(VENDOR / WORLD))
    css = "\n".join(_inline_css(_read(VENDOR / n)) for n in CSS) + "\n" + _inline_css(_read(STATIC / "app.css"))
    scripts = "".join(f"<script>{_inline_js(_read(VENDOR / n))}</script>\n" for n in JS)
    assets = (f'<meta http-equiv="Content-Security-Policy" content="{REPORT_CSP}">\n'
              f"<style>{css}</style>\n{scripts}"
              f'<script type="application/json" id="sitrep-data">{json_for_script(data)}</script>\n'
              f"<script>{_inline_js(_read(STATIC / 'app.js'))}</script>\n")
    start, end = page.index("<!-- assets -->"), page.index("<!-- /assets -->") + len("<!-- /assets -->")
    page = page[:start] + assets + page[end:]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    heading = f"{title} — {len(data['events'])} events, made {stamp}"
    page = re.sub(r"<title>.*?</title>", lambda _: f"<title>{escape(heading)}</title>", page, count=1, flags=re.DOTALL)
    return page


def write_report(db_path: str | os.PathLike, out_path: str | os.PathLike) -> int:
    """Write the self-contained HTML report of the store at ``db_path``; returns the number of events."""
    index = EventIndex(db_path)
    try:
        html = render_report(index, title=f"sitrep report: {Path(db_path).name}")
        n = index.facets()["events"]
    finally:
        index.close()
    try:
        Path(out_path).write_text(html, encoding="utf-8")
    except OSError as exc:
        raise SitrepError(f"cannot write {out_path}: {exc.strerror}") from exc
    return n
