"""corridors.reports: maps, charts, HTML reports and GeoJSON, all offline.

Modules (import the one you need; none is imported here, so ``import corridors`` stays
fast and does not load matplotlib):

* :mod:`corridors.reports.basemap` - vendored Natural Earth country outlines and a
  TopoJSON decoder.
* :mod:`corridors.reports.projection` - Lambert conformal conic and equirectangular
  projections.
* :mod:`corridors.reports.svgmap` - static SVG maps: ``MapLine``, ``MapPoint``,
  ``render_map``, ``flow_lines`` (volume/capacity colouring).
* :mod:`corridors.reports.charts` - matplotlib charts as PNG bytes.
* :mod:`corridors.reports.html` - self-contained HTML reports: ``compare_report``,
  ``render_report``, ``Section``, ``Table``.
* :mod:`corridors.reports.geojson` - GeoJSON FeatureCollections as dictionaries.
"""
