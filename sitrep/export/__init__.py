"""export stage: Events -> JSON Lines, JSON, ACLED-style CSV, GeoJSON, or a readable table.

Field names follow DESIGN.md (which follow ACLED's columns).  Every writer takes an iterable of event
records (dicts from :func:`event_record`) so that stored records and fresh events export the same way.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Iterable
from typing import IO, Any

from sitrep.model import ActorRef, Event, PlaceMention

EVENT_FIELDS = [
    "event_id", "document_id", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "country", "admin1", "admin2", "location", "latitude",
    "longitude", "geo_precision", "event_date", "event_date_end", "time_precision", "fatalities",
    "fatalities_low", "fatalities_high", "background", "claims", "evidence", "confidence", "notes",
]
PLACE_FIELDS = ["document_id", "start", "end", "text", "name", "latitude", "longitude", "country_code",
                "admin1", "admin2", "feature_code", "geonameid", "population", "role"]
FORMATS = ("jsonl", "json", "csv", "geojson", "table")


def interaction(inter1: int, inter2: int) -> int:
    """ACLED interaction code: the two inter codes, lower first (10 * inter1 when there is no actor2)."""
    if not inter1:
        return 0
    if not inter2:
        return inter1 * 10
    a, b = sorted((inter1, inter2))
    return a * 10 + b


def _name(actor: ActorRef | None) -> str | None:
    return actor.name if actor else None


def event_record(event: Event) -> dict[str, Any]:
    """The DESIGN.md event output record for one Event."""
    loc = event.location.place if event.location else None
    inter1 = event.actor1.inter if event.actor1 else 0
    inter2 = event.actor2.inter if event.actor2 else 0
    fat = event.fatalities
    rec: dict[str, Any] = {
        "event_id": event.event_id,
        "document_id": event.document_id,
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": _name(event.actor1),
        "assoc_actor_1": [a.name for a in event.assoc_actor_1],
        "inter1": inter1,
        "actor2": _name(event.actor2),
        "assoc_actor_2": [a.name for a in event.assoc_actor_2],
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None,
        "admin2": loc.admin2 if loc else None,
        "location": loc.name if loc else None,
        "latitude": round(loc.lat, 5) if loc and loc.lat is not None else None,
        "longitude": round(loc.lon, 5) if loc and loc.lon is not None else None,
        "geo_precision": event.geo_precision,
        "event_date": event.date.isoformat() if event.date else None,
        "event_date_end": event.date_end.isoformat() if event.date_end else None,
        "time_precision": event.time_precision,
        "fatalities": fat.best,
        "fatalities_low": fat.low,
        "fatalities_high": fat.high,
        "background": event.background,
        "claims": [c.to_dict() for c in event.claims],
        "evidence": [s.to_dict() for s in event.evidence],
        "confidence": round(event.confidence, 3),
        "notes": event.notes,
        "contradictions": [{"field": c.field, "values": c.values} for c in event.contradictions],
        "reports": len(event.reports),
    }
    return rec


def place_record(document_id: str | None, mention: PlaceMention) -> dict[str, Any]:
    p = mention.place
    return {
        "document_id": document_id, "start": mention.span.start, "end": mention.span.end,
        "text": mention.span.text, "name": p.name if p else None,
        "latitude": p.lat if p else None, "longitude": p.lon if p else None,
        "country_code": p.country_code if p else None, "admin1": p.admin1 if p else None,
        "admin2": p.admin2 if p else None, "feature_code": p.feature_code if p else None,
        "geonameid": p.geonameid if p else None, "population": p.population if p else None,
        "role": mention.role,
    }


def _csv_value(v: Any) -> Any:
    if isinstance(v, list):
        if v and isinstance(v[0], dict):
            return "; ".join(json.dumps(x, ensure_ascii=False) for x in v)
        return "; ".join(str(x) for x in v)
    if v is None:
        return ""
    return v


class Writer:
    """Streams records in one format; ``close()`` writes any trailer (JSON array end, GeoJSON end)."""

    def __init__(self, fmt: str, out: IO[str], fields: list[str] | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        self.fmt, self.out, self.n = fmt, out, 0
        self.fields = fields or EVENT_FIELDS
        self._csv = None
        self._rows: list[dict] = []

    def write(self, rec: dict[str, Any]) -> None:
        fmt, out = self.fmt, self.out
        if fmt == "jsonl":
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        elif fmt == "json":
            out.write(("[\n" if self.n == 0 else ",\n") + json.dumps(rec, ensure_ascii=False, indent=1))
        elif fmt == "csv":
            if self._csv is None:
                self._csv = csv.DictWriter(out, fieldnames=self.fields, extrasaction="ignore")
                self._csv.writeheader()
            self._csv.writerow({k: _csv_value(rec.get(k)) for k in self.fields})
        elif fmt == "geojson":
            if rec.get("latitude") is None or rec.get("longitude") is None:
                return  # a Point needs coordinates; unlocated events are left out of the map
            feat = {"type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [rec["longitude"], rec["latitude"]]},
                    "properties": {k: v for k, v in rec.items() if k not in ("latitude", "longitude")}}
            out.write(('{"type": "FeatureCollection", "features": [\n' if self.n == 0 else ",\n")
                      + json.dumps(feat, ensure_ascii=False))
        else:  # table
            self._rows.append(rec)
        self.n += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("[]\n" if self.n == 0 else "\n]\n")
        elif self.fmt == "geojson":
            self.out.write('{"type": "FeatureCollection", "features": []}\n' if self.n == 0 else "\n]}\n")
        elif self.fmt == "csv" and self._csv is None:
            csv.DictWriter(self.out, fieldnames=self.fields).writeheader()
        elif self.fmt == "table":
            self.out.write(format_table(self._rows))
        self.out.flush()


def write_records(records: Iterable[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    w = Writer(fmt, out)
    for r in records:
        w.write(r)
    w.close()
    return w.n


def format_table(records: list[dict[str, Any]], width: int | None = None) -> str:
    """A readable table for people: one block per event, with its claims and evidence."""
    width = width or min(shutil.get_terminal_size((110, 20)).columns, 140)
    buf = io.StringIO()
    if not records:
        buf.write("(no events found)\n")
        return buf.getvalue()
    for i, r in enumerate(records, 1):
        tag = " [background]" if r.get("background") else ""
        date = r.get("event_date") or "?"
        if r.get("event_date_end") and r["event_date_end"] != r["event_date"]:
            date += f"..{r['event_date_end']}"
        buf.write(f"#{i} {r['event_type']} / {r['sub_event_type']}{tag}\n")
        rows = [
            ("date", f"{date} (time precision {r.get('time_precision')})"),
            ("where", f"{r.get('location') or '?'}, {r.get('admin1') or '?'}, {r.get('country') or '?'} "
                      f"({_coord(r)}; geo precision {r.get('geo_precision')})"),
            ("actor1", _actor(r.get("actor1"), r.get("assoc_actor_1"), r.get("inter1"))),
            ("actor2", _actor(r.get("actor2"), r.get("assoc_actor_2"), r.get("inter2"))),
            ("fatalities", _fat(r)),
        ]
        for c in r.get("claims") or []:
            rows.append((f"claim ({c['stance']})", f"{c['source']} [{c['source_kind']}]: \"{c['text']}\""))
        for cd in r.get("contradictions") or []:
            vals = "; ".join(f"{v.get('value')} ({v.get('source')})" for v in cd.get("values", []))
            rows.append(("contradiction", f"{cd['field']}: {vals}"))
        for e in (r.get("evidence") or [])[:3]:
            rows.append(("evidence", f"[{e['start']}-{e['end']}] \"{e['text']}\""))
        for k, v in rows:
            lines = textwrap.wrap(v, width=max(40, width - 20)) or [""]
            buf.write(f"  {k:<18}{lines[0]}\n")
            for extra in lines[1:]:
                buf.write(f"  {'':<18}{extra}\n")
        buf.write("\n")
    buf.write(f"{len(records)} event(s)\n")
    return buf.getvalue()


def _coord(r: dict) -> str:
    if r.get("latitude") is None:
        return "no coordinates"
    return f"{r['latitude']:.4f}, {r['longitude']:.4f}"


def _actor(name, assoc, inter) -> str:
    if not name:
        return "-"
    s = f"{name} (inter {inter})"
    if assoc:
        s += " with " + ", ".join(assoc)
    return s


def _fat(r: dict) -> str:
    s = str(r.get("fatalities"))
    lo, hi = r.get("fatalities_low"), r.get("fatalities_high")
    if lo is not None or hi is not None:
        s += f" (low {lo if lo is not None else '-'}, high {hi if hi is not None else '-'})"
    return s
