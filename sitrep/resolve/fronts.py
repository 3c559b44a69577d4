"""Who held the ground: actors for unclaimed fire along a long-standing front line (data/front_lines.yaml).

Monitors report fire without saying who fired ("the mission recorded 20 explosions near X").  ACLED codes such
events by who held the place: fire recorded in ground one side holds came from the other side (actor1); in a
clash the holder is the second side.  The holder of a place is the side of the nearest settlement listed for
the line.  A nearest-neighbour vote over labelled settlements is hand-written because no package carries the
lines' sides; shapely-style polygons would need a boundary no open dataset publishes.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sitrep.data import load_yaml
from sitrep.resolve.gazetteer import haversine


@dataclass(frozen=True)
class FrontLine:
    name: str
    country: str
    start: dt.date | None
    end: dt.date | None
    max_km: float
    sides: dict[str, str]  # side -> actor registry id
    held: tuple[tuple[str, str, float, float], ...]  # (side, settlement, lat, lon)

    def stands_on(self, when: dt.date | None) -> bool:
        """The line stood on ``when`` (within its validity dates)."""
        return when is not None and not (self.start and when < self.start) and not (self.end and when > self.end)

    def nearest(self, lat: float, lon: float) -> tuple[tuple[str, str, float, float], float]:
        """The listed settlement nearest to (lat, lon) and its distance in km."""
        best = min(self.held, key=lambda h: haversine(lat, lon, h[2], h[3]))
        return best, haversine(lat, lon, best[2], best[3])

    def side_at(self, lat: float, lon: float, when: dt.date | None) -> str | None:
        """The side holding (lat, lon) on ``when``; None outside the line's dates or reach."""
        if not self.stands_on(when):
            return None
        best, km = self.nearest(lat, lon)
        return best[0] if km <= self.max_km else None

    def opponent(self, side: str) -> str:
        return next(s for s in self.sides if s != side)


def _date(v) -> dt.date | None:
    if v is None:
        return None
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


@functools.cache
def front_lines() -> tuple[FrontLine, ...]:
    data = load_yaml("front_lines.yaml") or {}
    out = []
    for name, spec in (data.get("lines") or {}).items():
        valid = spec.get("valid") or {}
        held = tuple((side, str(row[0]), float(row[1]), float(row[2]))
                     for side, rows in (spec.get("held") or {}).items() for row in rows)
        sides = {str(k): str(v) for k, v in (spec.get("sides") or {}).items()}
        if set(sides) != {side for side, *_ in held} or len(sides) != 2:
            raise ValueError(f"front_lines.yaml: line {name!r} must list settlements for exactly its two sides")
        out.append(FrontLine(str(name), str(spec["country"]), _date(valid.get("from")), _date(valid.get("to")),
                             float(spec.get("max_km", 25)), sides, held))
    return tuple(out)


def near_line(country: str | None, lat: float | None, lon: float | None, when: dt.date | None,
              reach: float = 3.0) -> FrontLine | None:
    """A line standing on ``when`` whose listed settlements lie within ``reach`` times its max_km of the
    place, though none is near enough to tell who held it."""
    if not country or lat is None or lon is None:
        return None
    for line in front_lines():
        if line.country == country and line.stands_on(when) and line.nearest(lat, lon)[1] <= reach * line.max_km:
            return line
    return None


def holder(country: str | None, lat: float | None, lon: float | None,
           when: dt.date | None) -> tuple[FrontLine, str] | None:
    """(line, side) holding a place, when a listed front line covers it on that date."""
    if not country or lat is None or lon is None:
        return None
    for line in front_lines():
        if line.country == country:
            side = line.side_at(lat, lon, when)
            if side is not None:
                return line, side
    return None
