/* sitrep web view: map, timeline, event table and event panel.
 *
 * Two data sources with the same interface: the JSON API of `sitrep serve`, or the data embedded in a
 * self-contained report (a JSON script element with id "sitrep-data").
 * Security rule of this file: text from the data is only ever put into the page as text nodes
 * (textContent / createTextNode / element properties), never parsed as HTML; tests check that no
 * HTML-parsing DOM setter appears here.
 */
(function () {
  "use strict";

  var TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
    "Strategic developments"];
  var COLORS = {
    "Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e", "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c", "Riots": "#8c564b", "Strategic developments": "#1f77b4"
  };
  var OTHER = "#7f7f7f";
  var STANCES = ["asserts", "disputes", "denies"];
  var PAGE = 50;

  function color(type) { return COLORS[type] || OTHER; }

  // -- DOM building (text only) -------------------------------------------------------------------
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null) return;
        if (k === "text") node.textContent = String(v);
        else if (k === "className") node.className = v;
        else if (k === "style") Object.assign(node.style, v);
        else if (k.indexOf("data-") === 0) node.setAttribute(k, String(v));
        else node[k] = v;
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function $(id) { return document.getElementById(id); }
  function show(v) { return v === null || v === undefined || v === "" ? "—" : String(v); }
  function safeUrl(url) { return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null; }

  // -- dates (UTC days) ---------------------------------------------------------------------------
  function dayNum(iso) { var p = iso.split("-"); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000; }
  function isoDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

  // -- data sources -------------------------------------------------------------------------------
  function params(f, extra) {
    var p = new URLSearchParams();
    ["q", "actor", "country", "admin1", "date_from", "date_to", "bbox"].forEach(function (k) {
      if (f[k]) p.set(k, f[k]);
    });
    if (f.event_type) p.append("event_type", f.event_type);
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p.toString();
  }
  function getJSON(url) {
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(url.split("?")[0] + ": HTTP " + r.status);
      return r.json();
    });
  }
  function apiSource() {
    return {
      world: function () { return getJSON("/static/vendor/countries-50m.json"); },
      facets: function () { return getJSON("/api/facets"); },
      points: function (f) { return getJSON("/api/points?" + params(f)); },
      timeline: function (f) { return getJSON("/api/timeline?" + params(withoutDates(f))); },
      events: function (f, sort, offset) {
        return getJSON("/api/events?" + params(f, { sort: sort, limit: PAGE, offset: offset }));
      },
      event: function (id) { return getJSON("/api/events/" + encodeURIComponent(id)); },
      article: function (id, eventId) {
        return getJSON("/api/articles/" + encodeURIComponent(id) + "?event_id=" + encodeURIComponent(eventId));
      }
    };
  }

  function localSource(data) {
    var events = data.events || [];
    function fold(s) { return String(s || "").toLowerCase(); }
    function haystack(e) {
      if (e._text === undefined) {
        var parts = [e.notes || ""];
        (e.evidence || []).forEach(function (s) { parts.push(s.text || ""); });
        (e.claims || []).forEach(function (c) { parts.push(c.source || "", c.text || ""); });
        e._text = fold(parts.join(" "));
        e._actors = fold([e.actor1, e.actor2].concat(e.assoc_actor_1 || [], e.assoc_actor_2 || []).join("\n"));
      }
      return e;
    }
    function match(e, f, dates) {
      if (dates && f.date_from && !(e.event_date && e.event_date >= f.date_from)) return false;
      if (dates && f.date_to && !(e.event_date && e.event_date <= f.date_to)) return false;
      if (f.event_type && e.event_type !== f.event_type) return false;
      if (f.country && fold(e.country) !== fold(f.country)) return false;
      if (f.admin1 && fold(e.admin1) !== fold(f.admin1)) return false;
      haystack(e);
      if (f.actor && e._actors.indexOf(fold(f.actor).trim()) < 0) return false;
      if (f.q) {
        var words = fold(f.q).split(/\s+/).filter(Boolean);
        for (var i = 0; i < words.length; i++) if (e._text.indexOf(words[i].replace(/\*$/, "")) < 0) return false;
      }
      return true;
    }
    function cmp(sort) {
      var desc = sort.charAt(0) === "-", key = desc ? sort.slice(1) : sort;
      return function (a, b) {
        var x = a[key], y = b[key];
        if (x === y) return a.event_id < b.event_id ? -1 : 1;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * (desc ? -1 : 1);
      };
    }
    function resolved(v) { return Promise.resolve(v); }
    return {
      world: function () { return resolved(data.world); },
      facets: function () {
        function distinct(k) {
          var s = {}; events.forEach(function (e) { if (e[k]) s[e[k]] = 1; }); return Object.keys(s).sort();
        }
        return resolved({ event_type: distinct("event_type"), country: distinct("country"), events: events.length });
      },
      points: function (f) {
        var pts = events.filter(function (e) { return e.latitude !== null && e.longitude !== null && match(e, f, true); })
          .map(function (e) {
            return [e.event_id, e.latitude, e.longitude, e.event_type, e.fatalities || 0, e.event_date, e.location];
          });
        return resolved({ total: pts.length, truncated: false, points: pts });
      },
      timeline: function (f) {
        var counts = {};
        events.forEach(function (e) {
          if (!e.event_date || !match(e, f, false)) return;
          var k = e.event_date + "\u0000" + e.event_type; counts[k] = (counts[k] || 0) + 1;
        });
        return resolved({ days: Object.keys(counts).sort().map(function (k) {
          var p = k.split("\u0000"); return { date: p[0], event_type: p[1], count: counts[k] };
        }) });
      },
      events: function (f, sort, offset) {
        var rows = events.filter(function (e) { return match(e, f, true); }).sort(cmp(sort));
        return resolved({ total: rows.length, offset: offset, limit: PAGE, events: rows.slice(offset, offset + PAGE) });
      },
      event: function (id) {
        var d = (data.details || {})[id];
        return d ? resolved(d) : Promise.reject(new Error("no such event"));
      },
      article: function (id, eventId) {
        var a = (data.articles || {})[id];
        if (!a) return Promise.reject(new Error("article not in this report"));
        return resolved(Object.assign({}, a, {
          spans: (a.spans || []).filter(function (s) { return s.event_id === eventId; })
        }));
      }
    };
  }

  // -- state --------------------------------------------------------------------------------------
  var embedded = document.getElementById("sitrep-data");
  var source = embedded ? localSource(JSON.parse(embedded.textContent)) : apiSource();
  var state = { filters: {}, sort: "-event_date", offset: 0, selected: null, fitted: false };
  var map, cluster, markers = {};

  function withoutDates(f) {
    var g = Object.assign({}, f); delete g.date_from; delete g.date_to; return g;
  }
  function status(msg, isError) {
    var s = $("status"); s.textContent = msg; s.className = isError ? "error" : "";
  }
  function fail(err) { status(String(err && err.message ? err.message : err), true); }

  // -- map ----------------------------------------------------------------------------------------
  function initMap() {
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 13, zoomSnap: 0.5, preferCanvas: false })
      .setView([15, 20], 2);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Outlines: Natural Earth, world-atlas");
    cluster = L.markerClusterGroup ? L.markerClusterGroup({
      maxClusterRadius: 40, showCoverageOnHover: false, spiderfyOnMaxZoom: true, chunkedLoading: true,
      disableClusteringAtZoom: 11
    }) : L.layerGroup();
    cluster.addTo(map);
    source.world().then(function (topo) {
      var land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, {
        interactive: false,
        style: { color: "#8d99a3", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    }).catch(fail);
    var legend = $("legend");
    TYPES.forEach(function (t) {
      legend.appendChild(el("span", { className: "item" }, el("span", { className: "swatch", style: { background: color(t) } }), t));
    });
  }

  function radius(fatalities) { return Math.min(28, 4 + 2.5 * Math.sqrt(Math.max(0, fatalities || 0))); }

  function tipFor(p) {
    return el("span", null, el("strong", { text: p[3] || "event" }), " · " + show(p[6]) + " · " + show(p[5]) +
      " · " + (p[4] || 0) + " killed");
  }

  function drawPoints(res) {
    cluster.clearLayers();
    markers = {};
    var layers = res.points.map(function (p) {
      var m = L.circleMarker([p[1], p[2]], {
        radius: radius(p[4]), color: "#26323b", weight: 1, fillColor: color(p[3]), fillOpacity: 0.85,
        className: "ev-marker"
      });
      m.eventId = p[0];
      m.on("add", function () {
        var node = m.getElement();
        if (node) { node.setAttribute("data-event-id", p[0]); node.setAttribute("data-event-type", p[3] || ""); }
        if (state.selected === p[0]) m.setStyle({ weight: 3, color: "#000" });
      });
      m.bindTooltip(function () { return tipFor(p); }, { direction: "top" });
      m.on("click", function () { selectEvent(p[0]); });
      markers[p[0]] = m;
      return m;
    });
    if (cluster.addLayers) cluster.addLayers(layers); else layers.forEach(function (m) { cluster.addLayer(m); });
    if (!state.fitted && layers.length) {
      state.fitted = true;
      var b = L.latLngBounds(res.points.map(function (p) { return [p[1], p[2]]; }));
      map.fitBounds(b.pad(0.15), { maxZoom: 7 });
    }
    return res;
  }

  // -- timeline -----------------------------------------------------------------------------------
  var SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var n = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    return n;
  }

  function drawTimeline(res) {
    var box = $("timeline");
    clear(box);
    if (!res.days.length) { box.appendChild(el("p", { className: "hint", text: "no dated events" })); return; }
    var byDay = {}, first = Infinity, last = -Infinity, top = 0;
    res.days.forEach(function (d) {
      var n = dayNum(d.date);
      first = Math.min(first, n); last = Math.max(last, n);
      (byDay[n] = byDay[n] || {})[d.event_type] = d.count;
    });
    Object.keys(byDay).forEach(function (n) {
      var s = 0; Object.keys(byDay[n]).forEach(function (t) { s += byDay[n][t]; }); top = Math.max(top, s);
    });
    var W = Math.max(200, box.clientWidth || 600), H = Math.max(60, box.clientHeight || 120), pad = 16;
    var ndays = last - first + 1, bw = (W - 2) / ndays;
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none", role: "img" });
    root.appendChild(svg("title")).textContent = "events per day by event type";
    var types = TYPES.slice();
    res.days.forEach(function (d) { if (types.indexOf(d.event_type) < 0) types.push(d.event_type); });
    Object.keys(byDay).forEach(function (key) {
      var n = +key, y = H - pad, counts = byDay[key];
      types.forEach(function (t) {
        if (!counts[t]) return;
        var h = (H - pad - 4) * counts[t] / top;
        y -= h;
        var r = svg("rect", { x: 1 + (n - first) * bw, y: y, width: Math.max(1, bw - 1), height: h,
          fill: color(t), "class": "tl-bar", "data-date": isoDay(n) });
        r.appendChild(svg("title")).textContent = isoDay(n) + ": " + counts[t] + " × " + t;
        root.appendChild(r);
      });
    });
    var ticks = Math.min(ndays, Math.max(2, Math.floor(W / 120)));
    for (var i = 0; i < ticks; i++) {
      var n = first + Math.round(i * (ndays - 1) / Math.max(1, ticks - 1));
      var tx = svg("text", { x: 1 + (n - first + 0.5) * bw, y: H - 3, "class": "tl-axis",
        "text-anchor": i === 0 ? "start" : (i === ticks - 1 ? "end" : "middle") });
      tx.textContent = isoDay(n);
      root.appendChild(tx);
    }
    var sel = svg("rect", { "class": "tl-sel", x: 0, y: 0, width: 0, height: H - pad, visibility: "hidden" });
    root.appendChild(sel);
    box.appendChild(root);

    function dayAt(evt) {
      var rect = root.getBoundingClientRect();
      var x = (evt.clientX - rect.left) * W / rect.width;
      return Math.max(first, Math.min(last, first + Math.floor((x - 1) / bw)));
    }
    function showSel(a, b) {
      var lo = Math.min(a, b), hi = Math.max(a, b);
      sel.setAttribute("x", 1 + (lo - first) * bw); sel.setAttribute("width", (hi - lo + 1) * bw);
      sel.setAttribute("visibility", "visible");
    }
    var f = state.filters;
    if (f.date_from || f.date_to) {
      showSel(f.date_from ? Math.max(first, dayNum(f.date_from)) : first,
        f.date_to ? Math.min(last, dayNum(f.date_to)) : last);
    }
    var start = null;
    root.addEventListener("pointerdown", function (evt) {
      start = dayAt(evt); showSel(start, start); evt.preventDefault();
      if (root.setPointerCapture) root.setPointerCapture(evt.pointerId);
    });
    root.addEventListener("pointermove", function (evt) { if (start !== null) showSel(start, dayAt(evt)); });
    root.addEventListener("pointerup", function (evt) {
      if (start === null) return;
      var end = dayAt(evt), lo = Math.min(start, end), hi = Math.max(start, end);
      start = null;
      if (lo === hi && state.filters.date_from === isoDay(lo) && state.filters.date_to === isoDay(hi)) {
        setDates(null, null);  // clicking the chosen single day again clears it
      } else {
        setDates(isoDay(lo), isoDay(hi));
      }
    });
  }

  function setDates(from, to) {
    state.filters.date_from = from || undefined;
    state.filters.date_to = to || undefined;
    $("f-from").value = from || "";
    $("f-to").value = to || "";
    $("tl-clear").hidden = !(from || to);
    refresh(true);
  }

  // -- table --------------------------------------------------------------------------------------
  var COLUMNS = [["event_date", "date"], ["event_type", "type"], ["sub_event_type", "sub-event type"],
    ["actor1", "actor 1"], ["actor2", "actor 2"], ["location", "location"], ["country", "country"],
    ["fatalities", "fatalities"]];

  function drawHead() {
    var head = el("tr");
    COLUMNS.forEach(function (c) {
      var mark = state.sort === c[0] ? " ▲" : (state.sort === "-" + c[0] ? " ▼" : "");
      var th = el("th", { text: c[1] + mark, title: "sort by " + c[1] });
      th.addEventListener("click", function () {
        state.sort = state.sort === "-" + c[0] ? c[0] : "-" + c[0];
        state.offset = 0;
        drawHead();
        loadTable().catch(fail);
      });
      head.appendChild(th);
    });
    var thead = document.querySelector("#events-table thead");
    clear(thead); thead.appendChild(head);
  }

  function drawTable(res) {
    var body = document.querySelector("#events-table tbody");
    clear(body);
    res.events.forEach(function (e) {
      var tr = el("tr", { "data-event-id": e.event_id });
      if (e.event_id === state.selected) tr.className = "selected";
      COLUMNS.forEach(function (c) {
        var td = el("td", { text: show(e[c[0]]) });
        if (c[0] === "event_type") td.insertBefore(el("span", { className: "type-dot", style: { background: color(e.event_type) } }), td.firstChild);
        tr.appendChild(td);
      });
      tr.addEventListener("click", function () { selectEvent(e.event_id, true); });
      body.appendChild(tr);
    });
    var end = Math.min(res.total, state.offset + res.events.length);
    $("page-info").textContent = res.total ? (state.offset + 1) + "–" + end + " of " + res.total : "no events";
    $("page-prev").disabled = state.offset <= 0;
    $("page-next").disabled = end >= res.total;
    return res;
  }

  function loadTable() { return source.events(state.filters, state.sort, state.offset).then(drawTable); }

  // -- event panel --------------------------------------------------------------------------------
  function highlighted(text, spans) {
    // Split the text at every span edge; each piece is a text node, wrapped in a <mark> when spans cover it.
    var box = el("div", { className: "article-text" });
    var cuts = [0, text.length];
    spans.forEach(function (s) {
      s.start = Math.max(0, Math.min(text.length, s.start | 0)); s.end = Math.max(s.start, Math.min(text.length, s.end | 0));
      cuts.push(s.start, s.end);
    });
    cuts = cuts.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], piece = text.slice(a, b);
      var on = spans.filter(function (s) { return s.start <= a && s.end >= b && s.end > s.start; });
      if (!on.length) { box.appendChild(document.createTextNode(piece)); continue; }
      var classes = {}, titles = [];
      on.forEach(function (s) {
        classes["hl-" + s.kind] = 1;
        if (s.kind === "claim") {
          classes["stance-" + s.stance] = 1;
          titles.push(show(s.source) + " (" + show(s.source_kind) + ") " + show(s.stance));
        } else titles.push(s.kind);
      });
      box.appendChild(el("mark", { className: Object.keys(classes).join(" "), title: titles.join("; "), text: piece }));
    }
    return box;
  }

  function claimCard(c) {
    return el("div", { className: "claim" },
      el("span", { className: "source", text: show(c.source) }),
      el("span", { className: "tag", text: show(c.source_kind) }),
      el("q", { text: c.text || "" }),
      c.cue ? el("span", { className: "cue", text: "cue: " + c.cue }) : null,
      c.via ? el("span", { className: "cue", text: " via " + c.via }) : null);
  }

  function drawEvent(d) {
    var e = d.event, panel = $("panel");
    clear(panel);
    var fat = show(e.fatalities);
    if ((e.fatalities_low !== null && e.fatalities_low !== undefined) || (e.fatalities_high !== null && e.fatalities_high !== undefined)) {
      fat += " (low " + show(e.fatalities_low) + ", high " + show(e.fatalities_high) + ")";
    }
    var date = show(e.event_date) + (e.event_date_end && e.event_date_end !== e.event_date ? " – " + e.event_date_end : "");
    function actor(name, assoc) { return name ? name + (assoc && assoc.length ? " with " + assoc.join(", ") : "") : "—"; }
    append(panel, [
      el("h2", { className: "event-title" }, el("span", { className: "type-dot", style: { background: color(e.event_type) } }),
        show(e.event_type), e.background ? el("span", { className: "tag", text: "background" }) : null),
      el("div", { className: "hint", text: show(e.sub_event_type) + " · " + e.event_id }),
      el("dl", null,
        el("dt", { text: "date" }), el("dd", { text: date + " (time precision " + show(e.time_precision) + ")" }),
        el("dt", { text: "place" }), el("dd", { text: [e.location, e.admin2, e.admin1, e.country].filter(Boolean).join(", ") +
          " (geo precision " + show(e.geo_precision) + ")" }),
        el("dt", { text: "actor 1" }), el("dd", { text: actor(e.actor1, e.assoc_actor_1) }),
        el("dt", { text: "actor 2" }), el("dd", { text: actor(e.actor2, e.assoc_actor_2) }),
        el("dt", { text: "fatalities" }), el("dd", { text: fat }),
        el("dt", { text: "confidence" }), el("dd", { text: show(e.confidence) }),
        el("dt", { text: "reports" }), el("dd", { text: String(d.reports.length) })),
      e.notes ? el("p", { className: "notes", text: e.notes }) : null
    ]);
    if (d.contradictions.length) {
      panel.appendChild(el("h3", { text: "Contradictions" }));
      d.contradictions.forEach(function (c) {
        var vals = (c.values || []).map(function (v) { return show(v.value) + " (" + show(v.source) + ")"; });
        panel.appendChild(el("div", { className: "contradiction", text: c.field + ": " + vals.join(" vs ") }));
      });
    }
    panel.appendChild(el("h3", { text: "Claims" }));
    var cols = el("div", { className: "claims" });
    STANCES.forEach(function (s) {
      var list = (d.claims_by_stance || {})[s] || [];
      cols.appendChild(el("div", { className: "col " + s, "data-stance": s },
        el("h4", { text: s + " (" + list.length + ")" }), list.map(claimCard)));
    });
    panel.appendChild(cols);
    if (d.sources.length) {
      panel.appendChild(el("h3", { text: "Sources" }));
      panel.appendChild(el("table", { className: "sources" },
        el("thead", null, el("tr", null, el("th", { text: "source" }), el("th", { text: "kind" }), el("th", { text: "stances" }))),
        el("tbody", null, d.sources.map(function (s) {
          return el("tr", null, el("td", { text: s.source }), el("td", { text: s.source_kind }), el("td", { text: s.stances.join(", ") }));
        }))));
    }
    panel.appendChild(el("h3", { text: "Reports and evidence" }));
    panel.appendChild(el("div", { className: "key" },
      el("mark", { className: "hl-evidence", text: "evidence" }), el("mark", { className: "hl-trigger", text: "trigger" }),
      el("mark", { className: "hl-claim", text: "claim (asserts)" }), el("mark", { className: "hl-claim stance-disputes", text: "disputes" }),
      el("mark", { className: "hl-claim stance-denies", text: "denies" })));
    return Promise.all(d.articles.map(function (a) {
      var box = el("section", { className: "article", "data-article-id": a.id });
      panel.appendChild(box);
      var url = safeUrl(a.url);
      append(box, [
        el("strong", { text: a.title || "(untitled report)" }),
        el("div", { className: "meta" }, [a.outlet, a.published, a.byline].filter(Boolean).join(" · "),
          url ? [" · ", el("a", { href: url, text: url, target: "_blank", rel: "noopener noreferrer" })]
            : (a.url ? " · " + a.url : ""))
      ]);
      return source.article(a.id, e.event_id).then(function (art) {
        box.appendChild(highlighted(art.text || "", art.spans || []));
      }).catch(function (err) { box.appendChild(el("p", { className: "error", text: String(err.message || err) })); });
    }));
  }

  function selectEvent(id, pan) {
    var prev = markers[state.selected];
    if (prev) prev.setStyle({ weight: 1, color: "#26323b" });
    state.selected = id;
    document.querySelectorAll("#events-table tbody tr").forEach(function (tr) {
      tr.className = tr.getAttribute("data-event-id") === id ? "selected" : "";
    });
    var m = markers[id];
    if (m) {
      m.setStyle({ weight: 3, color: "#000" });
      if (pan && cluster.zoomToShowLayer) cluster.zoomToShowLayer(m, function () {});
    }
    return source.event(id).then(drawEvent).catch(fail);
  }

  // -- filters and loading ------------------------------------------------------------------------
  function refresh(datesOnly) {
    state.offset = 0;
    var f = state.filters;
    var jobs = [source.points(f).then(drawPoints), loadTable()];
    if (!datesOnly) jobs.push(source.timeline(f).then(drawTimeline));
    return Promise.all(jobs).then(function (out) {
      var pts = out[0];
      status(pts.total + " located events match" + (pts.truncated ? " (map shows the " + pts.points.length + " with most fatalities)" : "") +
        (f.date_from || f.date_to ? " · days " + show(f.date_from) + " to " + show(f.date_to) : ""));
    }).catch(fail);
  }

  function readForm() {
    var f = state.filters;
    f.q = $("f-q").value.trim() || undefined;
    f.event_type = $("f-type").value || undefined;
    f.country = $("f-country").value || undefined;
    f.actor = $("f-actor").value.trim() || undefined;
  }

  function bindForm(facets) {
    facets.event_type.forEach(function (t) { $("f-type").appendChild(el("option", { value: t, text: t })); });
    facets.country.forEach(function (c) { $("f-country").appendChild(el("option", { value: c, text: c })); });
    var timer = null;
    function later() { clearTimeout(timer); timer = setTimeout(function () { readForm(); refresh(false); }, 300); }
    ["f-q", "f-actor"].forEach(function (id) { $(id).addEventListener("input", later); });
    ["f-type", "f-country"].forEach(function (id) {
      $(id).addEventListener("change", function () { readForm(); refresh(false); });
    });
    ["f-from", "f-to"].forEach(function (id) {
      $(id).addEventListener("change", function () { setDates($("f-from").value, $("f-to").value); });
    });
    $("filters").addEventListener("submit", function (evt) { evt.preventDefault(); readForm(); refresh(false); });
    $("f-reset").addEventListener("click", function () {
      $("filters").reset(); state.filters = {}; $("tl-clear").hidden = true; refresh(false);
    });
    $("tl-clear").addEventListener("click", function () { setDates(null, null); });
    $("page-prev").addEventListener("click", function () { state.offset = Math.max(0, state.offset - PAGE); loadTable().catch(fail); });
    $("page-next").addEventListener("click", function () { state.offset += PAGE; loadTable().catch(fail); });
  }

  function start() {
    if (typeof L === "undefined" || typeof topojson === "undefined") {
      status("The map libraries are missing: run scripts/build_web.sh (npm ci) and restart.", true);
      return;
    }
    initMap();
    drawHead();
    source.facets().then(function (facets) {
      bindForm(facets);
      return refresh(false);
    }).then(function () { document.body.setAttribute("data-ready", "1"); }).catch(fail);
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { source.timeline(state.filters).then(drawTimeline).catch(fail); }, 200);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
