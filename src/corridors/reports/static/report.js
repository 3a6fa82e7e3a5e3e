/* A report's maps and charts: every JSON script block marked data-map or
 * data-chart is drawn into the element named by its data-target, with the same
 * map component as the dashboard (corridormap.js) and Vega-Lite. Inlined in the page. */
(function () {
  "use strict";
  const read = (el) => JSON.parse(el.textContent);
  const basemapEl = document.getElementById("corridors-basemap");
  const basemap = basemapEl ? read(basemapEl) : null;
  let maps = 0, charts = 0;
  for (const el of document.querySelectorAll("script[data-map]")) {
    const m = CorridorMap.create(document.getElementById(el.dataset.target), basemap, { scrollWheelZoom: false });
    m.draw(read(el));
    maps += 1;
  }
  const pending = [];
  for (const el of document.querySelectorAll("script[data-chart]")) {
    const spec = vegaLite.compile(read(el)).spec;
    const view = new vega.View(vega.parse(spec), { renderer: "svg", container: document.getElementById(el.dataset.target), hover: true });
    pending.push(view.runAsync().then(() => { charts += 1; }));
  }
  Promise.all(pending).then(() => {
    document.body.dataset.maps = String(maps);
    document.body.dataset.charts = String(charts);
    document.body.dataset.ready = "true";
  }).catch((e) => { document.body.dataset.ready = "error: " + e; });
})();
