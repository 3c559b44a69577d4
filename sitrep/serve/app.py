"""The web view: a read-only FastAPI app over one store (JSON API + the static page)."""
from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from sitrep.serve.db import MAX_LIMIT, MAX_POINTS, SORTS, EventFilter, EventIndex, parse_bbox

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = STATIC / "vendor"
log = logging.getLogger("sitrep.serve")

# The page loads only its own files and talks only to its own API: no CDN, no tiles, no inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

DESCRIPTION = """Read-only JSON API over a sitrep event store: conflict events (ACLED-style records) with the
reports, source claims and evidence spans behind each field.

Filters shared by `/api/events`, `/api/points` and `/api/timeline`: `date_from`, `date_to` (ISO dates),
`event_type` and `sub_event_type` (repeat for several), `actor` (substring of any actor, any case),
`country`, `admin1` (exact, any case), `bbox` (`min_lon,min_lat,max_lon,max_lat`), `q` (full-text search
over notes, evidence and claims; every word must occur, `word*` for a prefix), `background`,
`min_fatalities`."""


def _vendor_missing() -> list[str]:
    need = ["leaflet.js", "leaflet.css", "leaflet.markercluster.js", "MarkerCluster.css",
            "MarkerCluster.Default.css", "topojson-client.min.js", "countries-50m.json"]
    return [n for n in need if not (VENDOR / n).is_file()]


def _filter(date_from: dt.date | None, date_to: dt.date | None, event_type: list[str],
            sub_event_type: list[str], actor: str | None, country: str | None, admin1: str | None,
            bbox: str | None, q: str | None, background: bool | None,
            min_fatalities: int | None) -> EventFilter:
    box = None
    if bbox:
        try:
            box = parse_bbox(bbox)
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=f"bad bbox: {exc}") from exc
    if date_from and date_to and date_from > date_to:
        raise HTTPException(status_code=422, detail="date_from is after date_to")
    return EventFilter(date_from=date_from, date_to=date_to, event_type=event_type,
                       sub_event_type=sub_event_type, actor=actor, country=country, admin1=admin1, bbox=box,
                       q=q, background=background, min_fatalities=min_fatalities)


class Filters:
    """Query parameters shared by the list endpoints (a FastAPI dependency)."""

    def __init__(
        self,
        date_from: Annotated[dt.date | None, Query(description="events on or after this day")] = None,
        date_to: Annotated[dt.date | None, Query(description="events on or before this day")] = None,
        event_type: Annotated[list[str], Query(description="ACLED event type (repeatable)")] = [],  # noqa: B006
        sub_event_type: Annotated[list[str], Query(description="sub-event type (repeatable)")] = [],  # noqa: B006
        actor: Annotated[str | None, Query(max_length=200)] = None,
        country: Annotated[str | None, Query(max_length=200)] = None,
        admin1: Annotated[str | None, Query(max_length=200)] = None,
        bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
        q: Annotated[str | None, Query(max_length=500, description="full-text search")] = None,
        background: Annotated[bool | None, Query()] = None,
        min_fatalities: Annotated[int | None, Query(ge=0)] = None,
    ):
        self.value = _filter(date_from, date_to, event_type, sub_event_type, actor, country, admin1, bbox, q,
                             background, min_fatalities)


FilterDep = Annotated[Filters, Depends()]


def create_app(db_path: str | os.PathLike) -> FastAPI:
    """The app over the store at ``db_path`` (opened read-only; raises StoreError when unusable)."""
    index = EventIndex(db_path)
    app = FastAPI(title="sitrep", version="0.1.0", description=DESCRIPTION, docs_url="/api/docs",
                  redoc_url=None, openapi_url="/openapi.json")
    app.state.index = index
    missing = _vendor_missing()
    if missing:
        log.warning("front-end libraries missing from %s (%s): run scripts/build_web.sh; the JSON API works",
                    VENDOR, ", ".join(missing))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path != "/api/docs":  # Swagger UI loads its own assets
            for k, v in SECURITY_HEADERS.items():
                response.headers.setdefault(k, v)
        return response

    @app.get("/api/events", summary="events matching the filters, paged and sorted")
    def list_events(
        filters: FilterDep,
        sort: Annotated[str, Query(description=f"one of {', '.join(SORTS)}; prefix '-' for descending")]
        = "-event_date",
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        try:
            return index.events(filters.value, sort=sort, limit=limit, offset=offset)
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc

    @app.get("/api/points", summary="compact map points for the filters")
    def list_points(filters: FilterDep,
                    limit: Annotated[int, Query(ge=1, le=MAX_POINTS)] = MAX_POINTS) -> dict[str, Any]:
        return index.points(filters.value, limit=limit)

    @app.get("/api/timeline", summary="events per day and event type (date filters ignored)")
    def timeline(filters: FilterDep) -> dict[str, Any]:
        return index.timeline(filters.value)

    @app.get("/api/facets", summary="event types, sub-event types, countries and the date span of the store")
    def facets() -> dict[str, Any]:
        return index.facets()

    @app.get("/api/events/{event_id}", summary="one event with its reports, claims, contradictions, evidence")
    def get_event(event_id: str) -> dict[str, Any]:
        detail = index.event_detail(event_id)
        if detail is None:
            raise HTTPException(status_code=404, detail="no such event")
        return detail

    @app.get("/api/articles/{article_id}", summary="an article's text and its spans")
    def get_article(article_id: str, event_id: str | None = None) -> dict[str, Any]:
        art = index.article(article_id, event_id=event_id)
        if art is None:
            raise HTTPException(status_code=404, detail="no such article")
        return art

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
