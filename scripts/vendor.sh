#!/usr/bin/env bash
# Vendor the dashboard's JavaScript and CSS from npm at pinned versions (run by `make vendor`).
#
# Node/npm are needed only to run this script, never to install or run corridors: the
# files it copies are committed under src/corridors/reports/static/vendor/ (the dashboard and the HTML reports both use them) with their licences.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=src/corridors/reports/static/vendor
PACKAGES=(leaflet@1.9.4 vega@6.4.0 vega-lite@6.5.0)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "${PACKAGES[@]}" >/dev/null)
rm -rf "$DEST"
mkdir -p "$DEST"
for spec in "${PACKAGES[@]}"; do
    pkg=${spec%@*}
    mkdir -p "$TMP/$pkg" "$DEST/$pkg"
    tar xzf "$TMP/$pkg-${spec##*@}.tgz" -C "$TMP/$pkg"
    cp "$TMP/$pkg/package/LICENSE" "$DEST/$pkg/LICENSE"
done
cp "$TMP/leaflet/package/dist/leaflet.js" "$TMP/leaflet/package/dist/leaflet.css" "$DEST/leaflet/"
cp -r "$TMP/leaflet/package/dist/images" "$DEST/leaflet/images"
cp "$TMP/vega/package/build/vega.min.js" "$DEST/vega/"
cp "$TMP/vega-lite/package/build/vega-lite.min.js" "$DEST/vega-lite/"
{
    echo "# Vendored front-end libraries (written by scripts/vendor.sh; do not edit)"
    echo
    echo "| package | version | licence | files |"
    echo "|---|---|---|---|"
    for spec in "${PACKAGES[@]}"; do
        name=${spec%@*}
        version=${spec##*@}
        licence=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['license'])" \
            "$TMP/$name/package/package.json")
        files=$(cd "$DEST/$name" && ls -p | grep -v / | tr '\n' ' ')
        echo "| $name | $version | $licence | $files|"
    done
} > "$DEST/README.md"
du -sh "$DEST"
