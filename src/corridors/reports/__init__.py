"""corridors.reports: maps, charts, HTML reports and GeoJSON, all offline.

Modules (import the one you need; none is imported here, so ``import corridors`` stays
fast):

* :mod:`corridors.reports.basemap` - vendored Natural Earth country outlines and a
  TopoJSON decoder.
* :mod:`corridors.reports.mapview` - maps as data for the one map component
  (``static/corridormap.js``) the dashboard and the reports share: ``MapView``,
  ``routes_layer``, ``flows_layer``, ``run_flows_geojson``.
* :mod:`corridors.reports.vegalite` - charts as Vega-Lite specifications.
* :mod:`corridors.reports.assets` - the front-end files a report inlines.
* :mod:`corridors.reports.html` - self-contained HTML reports: ``compare_report``,
  ``render_report``, ``Section``, ``Table``.
* :mod:`corridors.reports.geojson` - GeoJSON FeatureCollections as dictionaries.
"""
