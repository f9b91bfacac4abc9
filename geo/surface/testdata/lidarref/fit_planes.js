// Reference roof planes of the Montpellier LiDAR block, fitted on the
// classified building points (ASPRS class 6) of the IGN LiDAR HD LAZ tiles,
// independently of the Go DSM segmentation in geo/surface:
//   - the point cloud, not the DSM raster;
//   - sequential RANSAC (Fischler & Bolles 1981, doi:10.1145/358669.358692)
//     with a least-squares refit on the inliers (total least squares: the
//     normal is the eigenvector of the smallest eigenvalue of the inliers'
//     covariance), instead of region growing on DSM normals.
// Usage (Node ≥ 18, network only for the npm install):
//   cd geo/surface/testdata/lidarref && npm install && \
//   node fit_planes.js ../../../../../shared/data/lidar > ../montpellier_reference_planes.csv
// Deterministic: a fixed-seed PRNG (mulberry32) drives RANSAC.
'use strict';
const fs = require('fs');
const path = require('path');
const { createLazPerf } = require('laz-perf');

const dir = process.argv[2];
if (!dir) { console.error('usage: node fit_planes.js LIDAR_DIR'); process.exit(2); }

const DIST = 0.12;        // RANSAC inlier distance, m (IGN LiDAR HD vertical precision ≈ 10 cm RMS)
const ITER = 800;         // RANSAC hypotheses per extracted plane
const MIN_INLIERS = 40;   // stop when the best plane has fewer points (≈ 1.5 m² at 25 pts/m²)
const MAX_TILT = 70;      // steeper planes are walls, not roofs
const CELL = 0.5;         // horizontal area = occupied 0.5 m cells × 0.25 m²
const NRAD = 0.75;        // radius of the neighbourhood for point normals, m
const ALPHA = 20;
const TOP_CELL = 0.5, TOP_TOL = 0.25; // visible-surface filter, see topSurface         // max angle between a point's normal and the plane's, degrees

function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readLAZ(LazPerf, file) {
  const buf = fs.readFileSync(file);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const sx = dv.getFloat64(131, true), sy = dv.getFloat64(139, true), sz = dv.getFloat64(147, true);
  const ox = dv.getFloat64(155, true), oy = dv.getFloat64(163, true), oz = dv.getFloat64(171, true);
  const ptr = LazPerf._malloc(buf.byteLength);
  LazPerf.HEAPU8.set(buf, ptr);
  const laszip = new LazPerf.LASZip();
  laszip.open(ptr, buf.byteLength);
  const n = laszip.getCount(), len = laszip.getPointLength(), fmt = laszip.getPointFormat();
  if (fmt < 6) throw new Error(file + ': point format ' + fmt + ', expected LAS 1.4 formats 6-10');
  const pp = LazPerf._malloc(len);
  const pts = [];
  for (let i = 0; i < n; i++) {
    laszip.getPoint(pp);
    const p = new DataView(LazPerf.HEAPU8.buffer, pp, len);
    const cls = p.getUint8(16);
    if (cls !== 6) continue;
    pts.push([p.getInt32(0, true) * sx + ox, p.getInt32(4, true) * sy + oy, p.getInt32(8, true) * sz + oz]);
  }
  LazPerf._free(pp); LazPerf._free(ptr); laszip.delete();
  return { n, pts };
}

function inRing(x, y, r) {
  let c = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}
function inPolygon(x, y, pg) {
  if (!inRing(x, y, pg[0])) return false;
  for (let k = 1; k < pg.length; k++) if (inRing(x, y, pg[k])) return false;
  return true;
}

// Symmetric 3×3 eigen-decomposition by cyclic Jacobi rotations.
function eigSym3(a) {
  const A = a.map(r => r.slice());
  const V = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = Math.abs(A[0][1]) + Math.abs(A[0][2]) + Math.abs(A[1][2]);
    if (off < 1e-15) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (Math.abs(A[p][q]) < 1e-18) continue;
      const th = (A[q][q] - A[p][p]) / (2 * A[p][q]);
      const t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < 3; k++) { const akp = A[k][p], akq = A[k][q]; A[k][p] = c * akp - s * akq; A[k][q] = s * akp + c * akq; }
      for (let k = 0; k < 3; k++) { const apk = A[p][k], aqk = A[q][k]; A[p][k] = c * apk - s * aqk; A[q][k] = s * apk + c * aqk; }
      for (let k = 0; k < 3; k++) { const vkp = V[k][p], vkq = V[k][q]; V[k][p] = c * vkp - s * vkq; V[k][q] = s * vkp + c * vkq; }
    }
  }
  return { values: [A[0][0], A[1][1], A[2][2]], vectors: V };
}

function fitTLS(P, idx) {
  let cx = 0, cy = 0, cz = 0;
  for (const i of idx) { cx += P[i][0]; cy += P[i][1]; cz += P[i][2]; }
  const m = idx.length; cx /= m; cy /= m; cz /= m;
  const C = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (const i of idx) {
    const d = [P[i][0] - cx, P[i][1] - cy, P[i][2] - cz];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) C[a][b] += d[a] * d[b];
  }
  const { values, vectors } = eigSym3(C);
  let k = 0; if (values[1] < values[k]) k = 1; if (values[2] < values[k]) k = 2;
  let n = [vectors[0][k], vectors[1][k], vectors[2][k]];
  if (n[2] < 0) n = n.map(v => -v);
  let ss = 0;
  for (const i of idx) { const r = (P[i][0] - cx) * n[0] + (P[i][1] - cy) * n[1] + (P[i][2] - cz) * n[2]; ss += r * r; }
  return { c: [cx, cy, cz], n, rms: Math.sqrt(ss / m) };
}

// largestComponent returns the points of idx in the largest 8-connected
// group of occupied CONNECT-metre cells.
const CONNECT = 0.75;
function largestComponent(P, idx) {
  const cells = new Map();
  for (const i of idx) {
    const k = Math.floor(P[i][0] / CONNECT) + ',' + Math.floor(P[i][1] / CONNECT);
    if (!cells.has(k)) cells.set(k, []);
    cells.get(k).push(i);
  }
  const seen = new Set();
  let best = [];
  for (const k of cells.keys()) {
    if (seen.has(k)) continue;
    const comp = [], stack = [k];
    seen.add(k);
    while (stack.length) {
      const c = stack.pop();
      comp.push(...cells.get(c));
      const [cx, cy] = c.split(',').map(Number);
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
        const nk = (cx + dx) + ',' + (cy + dy);
        if (cells.has(nk) && !seen.has(nk)) { seen.add(nk); stack.push(nk); }
      }
    }
    if (comp.length > best.length) best = comp;
  }
  return best;
}

// pointNormals: unit normal (upward) of each point from the total least
// squares plane of its neighbours within NRAD (null when fewer than 6).
function pointNormals(P) {
  const grid = new Map();
  const key = (x, y) => Math.floor(x / NRAD) + ',' + Math.floor(y / NRAD);
  P.forEach((p, i) => { const k = key(p[0], p[1]); if (!grid.has(k)) grid.set(k, []); grid.get(k).push(i); });
  return P.map(p => {
    const gx = Math.floor(p[0] / NRAD), gy = Math.floor(p[1] / NRAD);
    const nb = [];
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      const c = grid.get((gx + dx) + ',' + (gy + dy));
      if (c) for (const j of c) if (Math.hypot(P[j][0] - p[0], P[j][1] - p[1], P[j][2] - p[2]) <= NRAD) nb.push(j);
    }
    return nb.length >= 6 ? fitTLS(P, nb).n : null;
  });
}

// topSurface keeps the points within TOP_TOL of the highest class-6 point of
// their TOP_CELL cell: the surface seen from above, which is what a roof
// carries modules on and what any surface model (and aerial survey) sees.
// Without it the fit also finds surfaces under overhangs, pergolas and
// canopies (multiple returns), which no surface model can hold.
function topSurface(P) {
  const top = new Map();
  const key = p => Math.floor(p[0] / TOP_CELL) + ',' + Math.floor(p[1] / TOP_CELL);
  for (const p of P) { const k = key(p); if (!top.has(k) || p[2] > top.get(k)) top.set(k, p[2]); }
  return P.filter(p => p[2] >= top.get(key(p)) - TOP_TOL);
}

function ransacPlanes(P, rnd) {
  const N = pointNormals(P);
  const cosA = Math.cos(ALPHA * Math.PI / 180);
  // Inlier test of Schnabel et al. (2007): distance ≤ DIST and point normal
  // within ALPHA of the plane normal (rejects walls, gutters and cross-cutting
  // "planes" that touch several roof faces along a line).
  const fits = (i, a, n) => Math.abs((P[i][0] - a[0]) * n[0] + (P[i][1] - a[1]) * n[1] + (P[i][2] - a[2]) * n[2]) <= DIST &&
    N[i] !== null && Math.abs(N[i][0] * n[0] + N[i][1] * n[1] + N[i][2] * n[2]) >= cosA;
  let rest = P.map((_, i) => i);
  const planes = [];
  while (rest.length >= MIN_INLIERS) {
    let best = null;
    for (let it = 0; it < ITER; it++) {
      const a = P[rest[(rnd() * rest.length) | 0]], b = P[rest[(rnd() * rest.length) | 0]], c = P[rest[(rnd() * rest.length) | 0]];
      const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]], v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
      let n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
      const l = Math.hypot(...n); if (l < 1e-6) continue; n = n.map(x => x / l);
      let cnt = 0;
      for (const i of rest) if (fits(i, a, n)) cnt++;
      if (!best || cnt > best.cnt) best = { cnt, a, n };
    }
    if (!best || best.cnt < MIN_INLIERS) break;
    // A hypothesis whose connected inliers are too few is dropped by
    // removing them from the pool (they stay unassigned), so the search goes on.
    let inl = rest.filter(i => fits(i, best.a, best.n));
    // Keep the largest spatially connected part (Schnabel et al. 2007,
    // doi:10.1111/j.1467-8659.2007.01016.x, "cluster epsilon"): a RANSAC
    // plane otherwise collects coplanar-by-chance strips of other facets.
    inl = largestComponent(P, inl);
    if (inl.length < MIN_INLIERS) { const drop = new Set(inl); rest = rest.filter(i => !drop.has(i)); continue; }
    // Refit by total least squares and take the connected inliers of the refined plane.
    let f = fitTLS(P, inl);
    inl = largestComponent(P, rest.filter(i => fits(i, f.c, f.n)));
    if (inl.length < MIN_INLIERS) { const drop = new Set(inl); rest = rest.filter(i => !drop.has(i)); continue; }
    f = fitTLS(P, inl);
    const inSet = new Set(inl);
    rest = rest.filter(i => !inSet.has(i));
    const tilt = Math.acos(Math.min(1, f.n[2])) * 180 / Math.PI;
    if (tilt > MAX_TILT) continue; // wall
    const cells = new Set(inl.map(i => Math.floor(P[i][0] / CELL) + ',' + Math.floor(P[i][1] / CELL)));
    let az = Math.atan2(f.n[0], f.n[1]) * 180 / Math.PI; if (az < 0) az += 360;
    // Medoid: the inlier nearest the centroid (on the plane even when the
    // plane is not convex), to locate the plane in other segmentations.
    let md = inl[0], mdd = Infinity;
    for (const i of inl) { const d = Math.hypot(P[i][0] - f.c[0], P[i][1] - f.c[1]); if (d < mdd) { mdd = d; md = i; } }
    planes.push({ n: inl.length, areaH: cells.size * CELL * CELL, tilt, az, c: f.c, rms: f.rms, m: P[md] });
  }
  return planes;
}

(async () => {
  const LazPerf = await createLazPerf();
  const files = fs.readdirSync(dir).filter(f => f.endsWith('.laz')).sort();
  let all = [], total = 0;
  for (const f of files) { const r = await readLAZ(LazPerf, path.join(dir, f)); total += r.n; all = all.concat(r.pts); }
  const gj = JSON.parse(fs.readFileSync(path.join(dir, 'montpellier_770500_6277500_buildings_from_lidar.geojson'), 'utf8'));
  console.log('# Reference roof planes: sequential RANSAC (Fischler & Bolles 1981) + total-least-squares refit on');
  console.log('# IGN LiDAR HD class-6 points (' + all.length + ' of ' + total + ' points in ' + files.length + ' LAZ tiles, IGNF/ign-pdal-tools');
  console.log('# test data, commit ccb4819f4c4a8070f0a93fb1e0c43023d261ed3c, Licence Ouverte 2.0) inside each footprint of');
  console.log('# montpellier_770500_6277500_buildings_from_lidar.geojson. Generated by geo/surface/testdata/lidarref/fit_planes.js');
  console.log('# (laz-perf 0.0.7). azimuth_grid_deg: downslope direction clockwise from Lambert-93 grid north; tilt from horizontal;');
  console.log('# area_h_m2: occupied 0.5 m cells x 0.25 m2; rms_m: orthogonal RMS of the inliers; RANSAC distance ' + DIST + ' m, normal deviation ' + ALPHA + ' deg (point normals within ' + NRAD + ' m), min ' + MIN_INLIERS + ' points, largest ' + CONNECT + ' m-cell connected part;');
  console.log('# points kept: within ' + TOP_TOL + ' m of the highest class-6 point of their ' + TOP_CELL + ' m cell (surface seen from above).');
  console.log('# mx,my: the inlier point nearest the centroid.');
  console.log('building_id,plane,n_points,area_h_m2,tilt_deg,azimuth_grid_deg,cx,cy,cz,rms_m,mx,my');
  for (const ft of gj.features) {
    const id = ft.properties.id;
    const polys = ft.geometry.type === 'Polygon' ? [ft.geometry.coordinates] : ft.geometry.coordinates;
    const P = topSurface(all.filter(p => polys.some(pg => inPolygon(p[0], p[1], pg))));
    const planes = ransacPlanes(P, mulberry32(12345));
    planes.sort((a, b) => b.areaH - a.areaH);
    planes.forEach((p, k) => console.log([id, k, p.n, p.areaH.toFixed(2), p.tilt.toFixed(2), p.az.toFixed(1),
      p.c[0].toFixed(2), p.c[1].toFixed(2), p.c[2].toFixed(2), p.rms.toFixed(3), p.m[0].toFixed(2), p.m[1].toFixed(2)].join(',')));
  }
})().catch(e => { console.error(e); process.exit(1); });
