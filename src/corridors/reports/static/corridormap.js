/* corridors map component: the one map of the dashboard and of the HTML reports.
 *
 * Leaflet on the shipped Natural Earth outlines (no tiles, nothing from the internet).
 * The dashboard loads this file from /static/shared/; a report inlines it with Leaflet and
 * its data, so both draw a comparison, a run's flows or an energy layer the same way.
 *
 *   const m = CorridorMap.create(element, basemapGeoJSON);  // or m.basemap(geo) later
 *   m.routes([{corridor, name, color, geometry}], {selected, onClick});   // a comparison
 *   m.flows(featureCollection, {flowKey, unit, priceKey, priceUnit});     // flows by utilisation
 *   m.changes(linkGeoJSON, Map(link_id -> delta), {unit, more, less}); // two runs compared
 *   m.draw({layers: [{kind: "routes", routes}, {kind: "flows", geojson, ...}]});  // a report's map
 */
(function (root) {
  "use strict";

  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const fmt = (v, d = 0) => (v === null || v === undefined || Number.isNaN(Number(v))) ? "-" :
    Number(v).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });

  /* Share of capacity used -> colour (null or undefined: no capacity limit modelled). */
  const USE_CLASSES = [
    [0.5, "#2a9d8f", "below 50 % of capacity"],
    [0.7, "#e9c46a", "50–70 %"],
    [0.9, "#e8871e", "70–90 %"],
    [Infinity, "#b3261e", "90 % and above (binding)"],
  ];
  const NO_LIMIT = "#8a96a3";
  const CLOSED = "#555555";
  const useColour = (u) => (u === undefined || u === null || Number.isNaN(Number(u))) ? NO_LIMIT
    : USE_CLASSES.find(([upTo]) => u < upTo)[1];
  const USE_LEGEND = [...USE_CLASSES.map(([, c, label]) => [c, label]), [NO_LIMIT, "no capacity limit modelled"]];

  function legendControl(map) {
    const box = L.DomUtil.create("div", "corridors-legend");
    const control = L.control({ position: "topright" });
    control.onAdd = () => box;
    control.addTo(map);
    return (items, title) => {
      box.innerHTML = (title ? `<div class="legend-title">${esc(title)}</div>` : "") + items.map(([color, label, kind]) =>
        `<div><span class="swatch${kind === "dot" ? " dot" : ""}" style="background:${esc(color)}"></span>${esc(label)}</div>`).join("");
      box.hidden = items.length === 0;
    };
  }

  /* The popup of a flow element: flow of capacity, use, shadow price, status. */
  function elementPopup(p, o) {
    const flow = p[o.flowKey];
    const cap = o.capacityKey ? p[o.capacityKey] : undefined;
    const price = o.priceKey ? p[o.priceKey] : undefined;
    const u = p.utilisation;
    return `<b>${esc(p.name || p.id || p.link_id)}</b> <small>${esc(p.id || p.link_id || "")}</small>` +
      `<br>${fmt(flow)} ${cap === undefined ? "" : "of " + (cap === null ? "no limit" : fmt(cap)) + " "}${esc(o.unit || "")}` +
      (u === null || u === undefined ? "" : ` (${fmt(100 * u)} % of capacity)`) +
      (price === undefined || price === null ? "" : `<br>${esc(o.priceLabel || "shadow price")} ${fmt(price, 2)} ${esc(o.priceUnit || "")}`) +
      (p.status ? `<br>${esc(p.status)}` : "");
  }

  function create(container, basemap, options = {}) {
    const map = L.map(container, { zoomSnap: 0.25, worldCopyJump: false, attributionControl: true, scrollWheelZoom: options.scrollWheelZoom ?? true });
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution("Natural Earth (public domain)");
    map.setView(options.center || [42, 60], options.zoom || 3);
    const countries = (geo) => L.geoJSON(geo, { style: { className: "country", color: "#c9c3b5", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false }).addTo(map);
    if (basemap) countries(basemap);
    const group = L.layerGroup().addTo(map);
    const legend = legendControl(map);
    legend([]);

    function fit(layers) {
      map.invalidateSize({ pan: false }); // the container may have changed size since
      const bounds = layers.filter((l) => l.getLayers().length).map((l) => l.getBounds());
      if (bounds.length) map.fitBounds(bounds.reduce((a, b) => a.extend(b)), { padding: [20, 20], animate: false });
    }

    /* Routes of a comparison: one colour per corridor, sea and ferry legs dashed. */
    function routes(list, o = {}) {
      const drawn = [];
      for (const r of [...list].reverse()) {
        const selected = r.corridor === o.selected;
        const layer = L.geoJSON(r.geometry, {
          style: (f) => ({
            color: r.color, weight: selected ? 5 : 3, opacity: selected || !o.selected ? 0.95 : 0.6,
            dashArray: ["sea", "ferry"].includes(f.properties.mode) ? "6 4" : null,
            className: `route route-${r.corridor}`,
          }),
          onEachFeature: (f, l) => l.bindTooltip(esc(f.properties.description), { sticky: true }),
        });
        if (o.onClick) layer.on("click", () => o.onClick(r.corridor));
        layer.addTo(group);
        drawn.push(layer);
      }
      if (o.fit !== false) fit(drawn);
      legend(list.map((r) => [r.color, r.name]), o.legendTitle || "Corridors");
      return drawn;
    }

    /* Flows: width by flow, colour by the share of capacity used; bottlenecks (binding, or a
     * positive shadow price) are ringed and labelled with their shadow price. */
    function flows(geo, o = {}) {
      const flowOf = (p) => Number(p[o.flowKey || "flow"]) || 0;
      const rows = geo.features.map((f) => f.properties);
      const biggest = Math.max(1e-9, ...rows.filter((p) => p.element !== "node").map(flowOf));
      const cls = o.className || "flow";
      const isBottleneck = (p) => p.bottleneck === true || (o.priceKey && Number(p[o.priceKey]) > 0 && p.status !== "closed");
      // the busiest on top: unlimited links first, then by use of capacity, nodes last
      const order = (f) => f.properties.element === "node" ? 10 : (f.properties.utilisation ?? -1);
      const sorted = { ...geo, features: [...geo.features].sort((a, b) => order(a) - order(b)) };
      const layer = L.geoJSON(sorted, {
        filter: (f) => o.all || flowOf(f.properties) > 0 || f.properties.status === "closed" ||
          (f.properties.element === "node" && f.properties.utilisation !== null && f.properties.utilisation !== undefined),
        style: (f) => f.geometry.type === "Point" ? {} // a node keeps its marker's own style
          : f.properties.status === "closed"
          ? { color: CLOSED, weight: 2, dashArray: "4 4", opacity: 0.8, className: `${cls} ${cls}-closed` }
          : { color: useColour(f.properties.utilisation), weight: 1 + 9 * Math.sqrt(flowOf(f.properties) / biggest), opacity: 0.85, className: cls },
        pointToLayer: (f, latlng) => L.circleMarker(latlng, {
          radius: 4, weight: 1, color: "#26323d", fillOpacity: 0.9,
          fillColor: f.properties.status === "closed" ? CLOSED : useColour(f.properties.utilisation), className: `${cls}-node`,
        }),
        onEachFeature: (f, l) => l.bindPopup(elementPopup(f.properties, o)),
      }).addTo(group);
      const marks = L.layerGroup().addTo(group);
      const bottlenecks = layer.getLayers().filter((l) => isBottleneck(l.feature.properties))
        .sort((a, b) => (Number(b.feature.properties[o.priceKey]) || 0) - (Number(a.feature.properties[o.priceKey]) || 0));
      bottlenecks.forEach((l, i) => {
        const p = l.feature.properties;
        const at = l.getLatLng ? l.getLatLng() : l.getCenter();
        const ring = L.circleMarker(at, { radius: 8, weight: 2.5, color: "#b3261e", fill: false, className: "bottleneck" })
          .bindPopup(elementPopup(p, o)).addTo(marks);
        const price = o.priceKey ? p[o.priceKey] : null;
        if (i < (o.labels ?? 8)) {
          ring.bindTooltip(`${esc(p.name || p.id || p.link_id)}${price === null || price === undefined ? "" : ": " + fmt(price, Math.abs(price) < 10 ? 2 : 0) + " " + esc(o.priceUnit || "")}`,
            { permanent: true, direction: "right", className: "bottleneck-label", offset: [8, 0] });
        }
      });
      if (o.fit !== false) fit([layer]);
      legend([...USE_LEGEND, ...(bottlenecks.length ? [["#b3261e", o.priceKey ? `bottleneck (label: shadow price${o.priceUnit ? ", " + o.priceUnit : ""})` : "bottleneck", "dot"]] : []),
        ...(rows.some((p) => p.status === "closed") ? [[CLOSED, "closed"]] : [])], o.legendTitle || `Width: ${o.unit || "flow"}; colour: use of capacity`);
      return layer;
    }

    /* Changes between two runs: width by the size of the change, one colour for more and
     * one for less; links whose volume moved by less than half a unit are left out. */
    function changes(geo, delta, o = {}) {
      const biggest = Math.max(1, ...[...delta.values()].map(Math.abs));
      const layer = L.geoJSON(geo, {
        filter: (f) => Math.abs(delta.get(f.properties.link_id) || 0) > 0.5,
        style: (f) => { const d = delta.get(f.properties.link_id); return { color: d > 0 ? "#2a9d8f" : "#b3261e", weight: 1 + 8 * Math.abs(d) / biggest, opacity: 0.85, className: o.className || "flow" }; },
        onEachFeature: (f, l) => l.bindTooltip(`${esc(f.properties.link_id)}: ${fmt(delta.get(f.properties.link_id))} ${esc(o.unit || "")}`, { sticky: true }),
      }).addTo(group);
      if (o.fit) fit([layer]);
      legend([["#2a9d8f", o.more || "more"], ["#b3261e", o.less || "less"]], o.legendTitle);
      return layer;
    }

    /* A whole map from data (what a report embeds). */
    function draw(spec) {
      group.clearLayers();
      for (const layer of spec.layers || []) {
        if (layer.kind === "routes") routes(layer.routes, layer);
        else if (layer.kind === "flows") flows(layer.geojson, layer);
      }
      if (spec.bounds) map.fitBounds(spec.bounds, { animate: false });
    }

    return { map, group, legend, fit, routes, flows, changes, draw, basemap: countries, clear: () => { group.clearLayers(); legend([]); } };
  }

  root.CorridorMap = { create, useColour, USE_LEGEND, elementPopup, esc, fmt };
})(typeof window === "undefined" ? globalThis : window);
