# Cuts the wired-test fixture from the embedded sample (run in model/study/testdata).
import gzip, json, sys
S = '../../../data/sample/'
b = json.load(gzip.open(S + 'perigueux_24322_bdnb_buildings.geojson.gz'))
p = json.load(gzip.open(S + 'perigueux_24322_parcel_geometries_noattr.geojson.gz'))
boxes = [(0.7303, 45.1925, 0.003, 0.0021), (0.7200, 45.1800, 0.0015, 0.00105)]
def cen(g):
    ring = g['coordinates'][0] if g['type'] == 'Polygon' else g['coordinates'][0][0]
    xs = [q[0] for q in ring]; ys = [q[1] for q in ring]
    return sum(xs) / len(xs), sum(ys) / len(ys)
def inside(f):
    x, y = cen(f['geometry'])
    return any(abs(x - cx) < hx and abs(y - cy) < hy for cx, cy, hx, hy in boxes)
bs = [f for f in b['features'] if inside(f)]
ps = [f for f in p['features'] if inside(f)]
# MODIFIED attributes: the sample has no use, year or levels; every 5th
# building gets a use, every 3rd a construction year, every 7th a number of
# storeys, every 11th loses its height.
uses = ['Tertiaire', 'Industriel', 'Agricole', 'Résidentiel collectif', 'Annexe']
years = [1900, 1960, 1978, 1985, 1995, 2003, 2010, 2015]
for i, f in enumerate(bs):
    pr = f['properties']
    if i % 5 == 0:
        pr['usage'] = uses[(i // 5) % len(uses)]
    if i % 3 == 0:
        pr['annee_construction'] = years[(i // 3) % len(years)]
    if i % 7 == 0:
        pr['NB_ETAGES'] = 1 + (i // 7) % 6
    if i % 11 == 0:
        pr.pop('hauteur', None)
json.dump({'type': 'FeatureCollection', 'features': bs}, open('MODIFIED_wired_buildings.geojson', 'w'))
json.dump({'type': 'FeatureCollection', 'features': ps}, open('wired_parcels.geojson', 'w'))
print(len(bs), len(ps))
