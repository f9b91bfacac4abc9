#!/bin/sh
# Builds a 1 km² test set at 0.5 m from the Montpellier LiDAR block, for
# BenchmarkAnalyseKm2 (geo/surface): 7 × 10 copies of the 150 m × 100 m
# DSM/DTM block tiled over the IGN 1 km tile x 770000–771000,
# y 6277000–6278000, cut into four 500 m GeoTIFF tiles each (DEFLATE,
# float predictor, 256 × 256 blocks: the layout of the IGN MNS/MNT LiDAR HD
# products), and the footprints repeated with the same offsets (only those
# whole inside the km). Needs GDAL (Debian gdal-bin) and python3.
# Usage: make_km2.sh LIDAR_DIR OUT_DIR
set -eu
lidar=$1
out=$2
mkdir -p "$out"
for kind in dsm dtm; do
  src="$lidar/montpellier_770500_6277500_${kind}_0m50.tif"
  vrt="$out/${kind}_km2.vrt"
  {
    echo '<VRTDataset rasterXSize="2000" rasterYSize="2000">'
    echo '  <SRS>EPSG:2154</SRS>'
    echo '  <GeoTransform>770000, 0.5, 0, 6278000, 0, -0.5</GeoTransform>'
    echo '  <VRTRasterBand dataType="Float32" band="1">'
    i=0
    while [ $i -lt 7 ]; do
      j=0
      while [ $j -lt 10 ]; do
        echo "    <SimpleSource><SourceFilename relativeToVRT=\"0\">$src</SourceFilename><SourceBand>1</SourceBand>"
        echo "      <SrcRect xOff=\"0\" yOff=\"0\" xSize=\"300\" ySize=\"200\"/><DstRect xOff=\"$((i * 300))\" yOff=\"$((j * 200))\" xSize=\"300\" ySize=\"200\"/></SimpleSource>"
        j=$((j + 1))
      done
      i=$((i + 1))
    done
    echo '  </VRTRasterBand>'
    echo '</VRTDataset>'
  } > "$vrt"
  mkdir -p "$out/$kind"
  for tx in 0 1; do
    for ty in 0 1; do
      # file named after the tile's lower-left corner, like the IGN tiles
      gdal_translate -q -of GTiff -co COMPRESS=DEFLATE -co PREDICTOR=3 -co TILED=YES -co BLOCKXSIZE=256 -co BLOCKYSIZE=256 \
        -srcwin $((tx * 1000)) $((ty * 1000)) 1000 1000 "$vrt" "$out/$kind/${kind}_$((770000 + tx * 500))_$((6277500 - ty * 500)).tif"
    done
  done
  rm "$vrt"
done
python3 - "$lidar/montpellier_770500_6277500_buildings_from_lidar.geojson" "$out/buildings_km2.geojson" <<'PY'
import json, sys
src = json.load(open(sys.argv[1]))
feats = []
for i in range(7):
    for j in range(10):
        dx, dy = 770000 + 150 * i - 770500, 6278000 - 100 * j - 6277600
        for f in src["features"]:
            rings = [[[x + dx, y + dy] for x, y in r] for r in f["geometry"]["coordinates"]]
            xs = [p[0] for p in rings[0]]; ys = [p[1] for p in rings[0]]
            if min(xs) < 770000 or max(xs) > 771000 or min(ys) < 6277000 or max(ys) > 6278000:
                continue
            feats.append({"type": "Feature", "properties": {"id": "%s-%d-%d" % (f["properties"]["id"], i, j), "hauteur": f["properties"]["hauteur"],
                          "altitude_sol": f["properties"]["altitude_sol"]}, "geometry": {"type": "Polygon", "coordinates": rings}})
json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}, "features": feats},
          open(sys.argv[2], "w"))
print(len(feats), "footprints", file=sys.stderr)
PY
