// gisement web map: parcels and buildings from the API's vector tiles,
// coloured by an indicator, filtered with MapLibre expressions; side panel
// with the parcel's results, monthly PV chart (plain SVG) and assumptions.
// Works offline: no glyphs, sprites or external base map unless the user
// switches the online raster base map on.
import * as maplibregl from './vendor/maplibre-gl.mjs';
import { dict, columns, codes, scales } from './i18n.js';

const params = new URLSearchParams(location.search);
const lang = params.get('lang') === 'en' ? 'en' : 'fr';
const T = (k) => (dict[lang][k] ?? dict.fr[k] ?? k);
// Column label and unit in the page language (i18n.js columns); an unknown
// column shows its raw name (web_test.go keeps the list complete).
const colLabel = (k) => columns[k]?.[lang] ?? k;
const colUnit = (k) => columns[k]?.unit[lang === 'en' ? 1 : 0] ?? '';
// Indicator title: a column's label and unit, or the dictionary's ind_ entry
// for a derived indicator (heat-pump suitability).
// The unit is the legend's: the one the largest class break reads best in.
const indUnit = (k) => scaled(Math.max(...INDICATORS[k].stops.map(Math.abs)), colUnit(k))[1];
const indLabel = (k) => (k in columns ? colLabel(k) + (indUnit(k) ? ` (${indUnit(k)})` : '') : T('ind_' + k));
const API = (params.get('api') || '').replace(/\/$/, ''); // same origin by default

// Online raster base map (off by default). URL template configurable with
// ?basemap_url=...; attribution with ?basemap_attr=...
const BASEMAP_URL = params.get('basemap_url') || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const BASEMAP_ATTR = params.get('basemap_attr') || '© OpenStreetMap contributors';

// Indicators: property, class breaks and colours (ColorBrewer YlOrRd / RdYlGn
// sequential and diverging ramps); labels and units come from columns.js.
export const INDICATORS = {
  pv_kwh_yr: { stops: [0, 5000, 10000, 20000, 40000],
    colors: ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] },
  pv_specific_yield_kwh_kwp: { stops: [800, 950, 1100, 1250, 1400],
    colors: ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] },
  pv_shading_loss_pct: { stops: [0, 2, 5, 10, 20], // as the annex's shading map
    colors: ['#1a9641', '#a6d96a', '#ffffbf', '#fdae61', '#d7191c'] },
  // Heat-pump suitability: 0 none, 1 air-source only, 2 ground-source only,
  // 3 both (computed from ashp_siting_ok and gshp_boreholes, as the report).
  hp_suitability: { categorical: true, stops: [0, 1, 2, 3],
    colors: ['#fdae61', '#1a9850', '#67a9cf', '#2166ac'] },
  npv_eur: { stops: [-10000, 0, 5000, 10000, 20000],
    colors: ['#d7191c', '#fdae61', '#ffffbf', '#a6d96a', '#1a9641'] },
};
const NO_DATA = '#cfcfcf';
// The API's tiles carry parcels from zoom 12 and buildings from zoom 14
// (api.MinZoomParcels, api.MinZoomBuildings).
const MINZOOM_PARCELS = 12;
const MINZOOM_BUILDINGS = 14;

// URL parameters (README "Web map"): lang, commune, layer (parcels or
// buildings), indicator, parcel, lon/lat/zoom, api, basemap_url/attr.
const LAYER = ['parcels', 'buildings'].includes(params.get('layer')) ? params.get('layer') : '';
// state.layer: the screened layer, 'parcels', or 'buildings' (?layer, or
// a study run without parcels: issue 13, /v1/parcels answers 404 then).
const state = { indicator: 'pv_kwh_yr', technology: '', minYield: null, minKWp: null, scenario: null, layer: LAYER || 'parcels' };
if (params.get('indicator') in INDICATORS) state.indicator = params.get('indicator');

// scaled returns x in the unit it reads best in (columns.js scales,
// generated from data.ScaleUnit: kWh/an → MWh/an → GWh/an, kWc → MWc, …):
// [value, unit]. ref chooses the step (default: x itself).
function scaled(x, unit, ref = x) {
  let f = 1, u = unit;
  for (const [fac, su] of (scales[unit] || [])) if (Math.abs(ref) >= fac) { f = fac; u = su; }
  return [x / f, u];
}
const sig = (v) => (typeof v === 'number' && isFinite(v))
  ? v.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumSignificantDigits: 3 })
  : '—';
// codeLabel: the display form of a code value (columns.js codes).
const codeLabel = (v) => codes[v]?.[lang === 'en' ? 1 : 0] ?? v;

// hpExpr is the heat-pump class of a feature, or -1 when it has neither
// ashp_siting_ok nor gshp_boreholes (buildings).
const hpExpr = ['case',
  ['all', ['!', ['has', 'ashp_siting_ok']], ['!', ['has', 'gshp_boreholes']]], -1,
  ['+', ['case', ['==', ['to-number', ['get', 'ashp_siting_ok'], 0], 1], 1, 0],
    ['case', ['>', ['to-number', ['get', 'gshp_boreholes'], 0], 0], 2, 0]]];

function colorExpr(key) {
  const ind = INDICATORS[key];
  if (key === 'hp_suitability') {
    return ['match', hpExpr, 0, ind.colors[0], 1, ind.colors[1], 2, ind.colors[2], 3, ind.colors[3], NO_DATA];
  }
  // Classes (step), as the legend shows them: colors[0] below stops[1],
  // colors[i] from stops[i] to stops[i+1], the last colour from the last stop.
  const ramp = ['step', ['to-number', ['get', key]], ind.colors[0]];
  ind.stops.slice(1).forEach((s, i) => ramp.push(s, ind.colors[i + 1]));
  return ['case', ['==', ['typeof', ['get', key]], 'number'], ramp, NO_DATA];
}

// filterExpr returns the MapLibre filter of the current technology and
// thresholds; forBuildings keeps only the criteria buildings carry.
function filterExpr(forBuildings) {
  const all = ['all'];
  const num = (p) => ['coalesce', ['to-number', ['get', p]], -1];
  if (state.technology === 'pv') all.push(['>', num('pv_kwp'), 0]);
  if (!forBuildings && state.technology === 'ashp') all.push(['==', num('ashp_siting_ok'), 1]);
  if (!forBuildings && state.technology === 'gshp') all.push(['>', num('gshp_boreholes'), 0]);
  if (state.minYield != null) all.push(['>=', num('pv_specific_yield_kwh_kwp'), state.minYield]);
  if (state.minKWp != null) all.push(['>=', num('pv_kwp'), state.minKWp]);
  return all.length === 1 ? null : all;
}

const fmt = (v, d = 0) => (typeof v === 'number' && isFinite(v))
  ? v.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: d, minimumFractionDigits: 0 })
  : '—';
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function status(msg) { document.getElementById('status').textContent = msg || ''; }

async function getJSON(path, opts) {
  const r = await fetch(API + path, opts);
  if (!r.ok) {
    let detail = r.statusText;
    try { const p = await r.json(); detail = p.detail || p.title || detail; } catch { /* not JSON */ }
    const e = new Error(`${r.status} ${detail}`); e.status = r.status; throw e;
  }
  return r.json();
}

// ---------- i18n ----------
function applyI18n() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = T(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = T(el.dataset.i18nPlaceholder);
  const sel = document.getElementById('indicator');
  for (const k of Object.keys(INDICATORS)) sel.append(new Option(indLabel(k), k));
  const sw = document.getElementById('lang-switch');
  const other = lang === 'fr' ? 'en' : 'fr';
  const u = new URL(location.href); u.searchParams.set('lang', other);
  sw.href = u.toString(); sw.textContent = other.toUpperCase();
}

// ---------- map ----------
function style() {
  return {
    version: 8,
    sources: {
      gisement: { type: 'vector', tiles: [new URL(API + '/v1/tiles/{z}/{x}/{y}.mvt', location.href).href.replace(/%7B/g, '{').replace(/%7D/g, '}')],
        minzoom: 0, maxzoom: 16 }, // attribution: studyInfo (the study's sources)
      basemap: { type: 'raster', tiles: [BASEMAP_URL], tileSize: 256, attribution: BASEMAP_ATTR },
      commune: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      selected: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#eef0ea' } },
      { id: 'basemap', type: 'raster', source: 'basemap', layout: { visibility: 'none' } },
      { id: 'commune-fill', type: 'fill', source: 'commune', paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.5 } },
      { id: 'commune-line', type: 'line', source: 'commune', paint: { 'line-color': '#555', 'line-width': 2, 'line-dasharray': [3, 2] } },
      { id: 'parcels-fill', type: 'fill', source: 'gisement', 'source-layer': 'parcels', minzoom: MINZOOM_PARCELS,
        paint: { 'fill-color': colorExpr(state.indicator), 'fill-opacity': 0.75 } },
      { id: 'parcels-line', type: 'line', source: 'gisement', 'source-layer': 'parcels', minzoom: 15,
        paint: { 'line-color': '#6b6b6b', 'line-width': 0.5 } },
      { id: 'buildings-fill', type: 'fill', source: 'gisement', 'source-layer': 'buildings', minzoom: MINZOOM_BUILDINGS,
        paint: { 'fill-color': colorExpr(state.indicator), 'fill-opacity': 0.95, 'fill-outline-color': '#333' } },
      { id: 'selected-line', type: 'line', source: 'selected', paint: { 'line-color': '#0b5fff', 'line-width': 3 } },
    ],
  };
}

const map = new maplibregl.Map({
  container: 'map',
  style: style(),
  center: [Number(params.get('lon')) || 2.5, Number(params.get('lat')) || 46.5],
  zoom: Number(params.get('zoom')) || 5,
  // The attribution control is added once the served study's sources are
  // known (studyInfo: they follow its inputs, e.g. © OpenStreetMap
  // contributors for OSM buildings).
  attributionControl: false,
  maxZoom: 20,
});
window.__gisementMap = map;
window.__gisementReady = false;
map.addControl(new maplibregl.NavigationControl(), 'top-left');
map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');

function refreshLayers() {
  const c = colorExpr(state.indicator);
  if (LAYER) {
    map.setLayoutProperty('parcels-fill', 'visibility', LAYER === 'parcels' ? 'visible' : 'none');
    map.setLayoutProperty('buildings-fill', 'visibility', LAYER === 'buildings' ? 'visible' : 'none');
  }
  map.setPaintProperty('parcels-fill', 'fill-color', c);
  map.setPaintProperty('buildings-fill', 'fill-color', c);
  map.setFilter('parcels-fill', filterExpr(false));
  map.setFilter('parcels-line', filterExpr(false));
  map.setFilter('buildings-fill', filterExpr(true));
  drawLegend();
}

// drawLegend writes the class ranges of the indicator ("< 5", "5 – 10",
// "≥ 40" MWh/an), in the unit the largest break reads best in.
function drawLegend() {
  const ind = INDICATORS[state.indicator];
  const top = Math.max(...ind.stops.map(Math.abs));
  const [, unit] = scaled(top, colUnit(state.indicator));
  const v = (x) => sig(scaled(x, colUnit(state.indicator), top)[0]);
  const n = ind.stops.length;
  const label = (s, i) => {
    if (ind.categorical) return T(`hp_${s}`);
    if (i === 0) return `< ${v(ind.stops[1])}`;
    if (i === n - 1) return `≥ ${v(s)}`;
    return `${v(s)} – ${v(ind.stops[i + 1])}`;
  };
  const rows = ind.stops.map((s, i) => `<div class="row"><span class="sw" style="background:${ind.colors[i]}"></span>${esc(label(s, i))}${!ind.categorical && unit ? '\u00a0' + esc(unit) : ''}</div>`);
  rows.push(`<div class="row"><span class="sw" style="background:${NO_DATA}"></span>${esc(T('no_data'))}</div>`);
  const title = ind.categorical ? indLabel(state.indicator) : colLabel(state.indicator) + (unit ? ` (${unit})` : '');
  document.getElementById('legend').innerHTML = `<strong>${esc(title)}</strong>${rows.join('')}`;
}

// zoomHint shows, below the zoom levels that carry them, that parcels
// and buildings appear when zooming in.
// A study without parcels (state.layer 'buildings') says so.
function zoomHint() {
  const z = map.getZoom();
  const el = document.getElementById('zoom-hint');
  if (state.layer === 'buildings') el.textContent = z < MINZOOM_BUILDINGS ? T('zoom_in_buildings') : '';
  else el.textContent = z < MINZOOM_PARCELS ? T('zoom_in') : z < MINZOOM_BUILDINGS ? T('zoom_buildings') : '';
  el.hidden = z >= MINZOOM_BUILDINGS;
}

// showWarnings fills the info panel with the served study's warnings
// (GET /v1/study, studyInfo; in French as warnings_fr). It is the map's one
// warnings panel, closable.
function showWarnings(info) {
  const ws = (lang === 'fr' ? info?.warnings_fr : null) ?? info?.warnings;
  const el = document.getElementById('info');
  if (!Array.isArray(ws) || !ws.length) { el.hidden = true; return; }
  el.innerHTML = `<button type="button" class="close" aria-label="close">×</button><strong>${esc(T('warnings'))} (${ws.length})</strong><ul id="study-warnings">${ws.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`;
  el.querySelector('.close').onclick = () => { el.hidden = true; };
  el.hidden = false;
}

// ---------- side panel ----------
function monthlyChart(monthly) {
  const W = 330, H = 150, L = 36, B = 18, top = 8;
  const max = Math.max(...monthly, 1);
  const bw = (W - L - 4) / 12;
  const months = T('months').split(',');
  let s = `<svg class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(T('monthly'))}">`;
  for (const f of [0, 0.5, 1]) {
    const y = top + (H - B - top) * (1 - f);
    s += `<line x1="${L}" x2="${W}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${L - 3}" y="${y + 3}" text-anchor="end">${fmt(max * f)}</text>`;
  }
  monthly.forEach((v, i) => {
    const h = (H - B - top) * (Math.max(v, 0) / max);
    const x = L + 2 + i * bw;
    s += `<rect class="bar" x="${x.toFixed(1)}" y="${(H - B - h).toFixed(1)}" width="${(bw - 3).toFixed(1)}" height="${h.toFixed(1)}"><title>${esc(months[i])}: ${fmt(v)} kWh</title></rect>`;
    s += `<text x="${(x + bw / 2 - 1.5).toFixed(1)}" y="${H - 5}" text-anchor="middle">${esc(months[i])}</text>`;
  });
  return s + '</svg>';
}

function parseMonthly(v) {
  if (typeof v === 'string') { try { v = JSON.parse(v); } catch { return null; } }
  return Array.isArray(v) && v.length === 12 && v.every((x) => typeof x === 'number') ? v : null;
}

// assumptions flattens the study scenario into {key, value, unit, source}
// rows: the planned list form [{key, value, unit, source, date}] (top level
// or under "assumptions"), or any nested object (dotted keys).
export function assumptions(sc) {
  if (!sc) return [];
  // The API wraps the study scenario: {study_id, hash, assumptions: <scenario>}.
  if (!Array.isArray(sc) && sc.assumptions && !Array.isArray(sc.assumptions) && typeof sc.assumptions === 'object') return assumptions(sc.assumptions);
  if (typeof sc === 'string') { try { return assumptions(JSON.parse(sc)); } catch { return []; } }
  const list = Array.isArray(sc) ? sc : Array.isArray(sc.assumptions) ? sc.assumptions : null;
  if (list) return list.map((a) => ({ key: a.key, value: a.value, unit: a.unit || '', source: a.source || '', date: a.date || '' }));
  const out = [];
  const walk = (o, pre) => {
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, pre + k + '.');
      else out.push({ key: pre + k, value: Array.isArray(v) ? v.join(', ') : v, unit: '', source: '', date: '' });
    }
  };
  walk(sc, '');
  return out;
}

// valueCell formats one column value with its unit (numbers in the page
// locale with the column's decimals; flags as yes/no).
function valueCell(k, v) {
  const c = columns[k] || {};
  if (v == null || v === '') return '—';
  if (c.kind === 'bool') return v ? T('yes') : T('no');
  if (c.kind === 'year') return v > 0 ? String(v) : T('unknown');
  if (c.kind === 'code') return codeLabel(String(v));
  if (typeof v === 'number') {
    const [x, u] = scaled(v, colUnit(k));
    const txt = u !== colUnit(k) ? sig(x) : fmt(x, c.d ?? 1);
    return txt + (u ? '\u00a0' + u : '');
  }
  return String(v);
}

// resultRows renders the rows of a result table: the known columns in the
// order of i18n.js, then any other, skipping ids, JSON and hidden columns.
function resultRows(p) {
  const keys = [...Object.keys(columns).filter((k) => k in p), ...Object.keys(p).filter((k) => !(k in columns)).sort()];
  let h = '';
  for (const k of keys) {
    const kind = columns[k]?.kind;
    const v = p[k];
    if (kind === 'id' || kind === 'json' || kind === 'hide' || (v && typeof v === 'object')) continue;
    if (v === '' || (k === 'model_errors' && !v)) continue; // empty text: nothing to say
    h += `<tr><td>${esc(colLabel(k))}</td><td class="num" data-col="${esc(k)}">${esc(valueCell(k, v))}</td></tr>`;
  }
  return h;
}

function renderFeature(kind, f) {
  const p = f.properties || {};
  const id = kind === 'parcel' ? p.parcel_id : p.building_id;
  let h = `<h2>${esc(T(kind))} <span id="panel-id">${esc(id ?? f.id)}</span></h2>`;
  h += `<div class="muted">${esc(T('commune'))} ${esc(p.commune_insee)}${p.section ? ' — ' + esc(T('section')) + ' ' + esc(p.section) : ''}</div>`;
  h += '<h3>' + esc(T('results')) + '</h3><table id="panel-results">' + resultRows(p);
  h += '</table>';
  const m = parseMonthly(p.pv_monthly_kwh);
  if (m) h += `<h3>${esc(T('monthly'))} (kWh)</h3>` + monthlyChart(m);
  const rows = assumptions(f.scenario || state.scenario);
  if (rows.length) {
    h += `<h3>${esc(T('assumptions'))}</h3><table id="panel-assumptions">`;
    for (const a of rows.slice(0, 40)) {
      h += `<tr><td>${esc(a.key)}</td><td class="num">${esc(typeof a.value === 'number' ? fmt(a.value, 4) : a.value)} ${esc(a.unit)}</td><td class="muted">${esc(a.source)}</td></tr>`;
    }
    h += '</table>';
  }
  if (kind === 'parcel' && state.clickedBuilding) {
    h += `<p><a href="#" id="panel-building" data-id="${esc(state.clickedBuilding)}">${esc(T('building'))} ${esc(state.clickedBuilding)}</a></p>`;
  }
  if (p.commune_insee) h += `<p><a href="#" id="panel-commune" data-insee="${esc(p.commune_insee)}">${esc(T('commune_summary'))} ${esc(p.commune_insee)}</a></p>`;
  showPanel(h);
  const link = document.getElementById('panel-commune');
  if (link) link.onclick = (e) => { e.preventDefault(); showCommune(link.dataset.insee); };
  const bl = document.getElementById('panel-building');
  if (bl) bl.onclick = (e) => { e.preventDefault(); state.clickedBuilding = null; showFeature('building', bl.dataset.id, false); };
}

function showPanel(html) {
  const panel = document.getElementById('panel');
  document.getElementById('panel-body').innerHTML = html;
  panel.hidden = false;
}

async function showFeature(kind, id, fly) {
  try {
    status(T('loading'));
    const f = await getJSON(`/v1/${kind === 'parcel' ? 'parcels' : 'buildings'}/${encodeURIComponent(id)}`);
    if (f.scenario) state.scenario = f.scenario;
    map.getSource('selected').setData(f.geometry ? { type: 'Feature', geometry: f.geometry, properties: {} } : { type: 'FeatureCollection', features: [] });
    renderFeature(kind, f);
    if (fly && f.geometry) map.fitBounds(bounds(f.geometry), { padding: 80, maxZoom: 18, duration: 800 });
    status('');
    return f;
  } catch (e) {
    status(e.status === 404 ? T('not_found') + ' ' + id : T('error') + ': ' + e.message);
    return null;
  }
}

function bounds(geom) {
  const b = new maplibregl.LngLatBounds();
  const walk = (c) => (typeof c[0] === 'number' ? b.extend(c) : c.forEach(walk));
  if (geom.type === 'FeatureCollection') geom.features.forEach((f) => f.geometry && walk(f.geometry.coordinates));
  else walk(geom.coordinates);
  return b;
}

// drawCommune draws the commune outline (no panel); errors are ignored
// (a store without a communes layer has no outline to draw).
async function drawCommune(insee) {
  try {
    const s = await getJSON(`/v1/communes/${encodeURIComponent(insee)}/summary`);
    if (s.geometry) map.getSource('commune').setData({ type: 'Feature', geometry: s.geometry, properties: {} });
  } catch { /* no outline */ }
}

async function showCommune(insee) {
  try {
    status(T('loading'));
    const s = await getJSON(`/v1/communes/${encodeURIComponent(insee)}/summary`);
    const flat = s.totals || s.properties || s;
    let h = `<h2>${esc(T('commune'))} <span id="panel-id">${esc(insee)}</span> ${esc(flat.name || '')}</h2>`;
    h += `<table id="panel-results">${resultRows(flat)}</table>`;
    showPanel(h);
    if (s.geometry) {
      map.getSource('commune').setData({ type: 'Feature', geometry: s.geometry, properties: {} });
      map.fitBounds(bounds(s.geometry), { padding: 40, duration: 800 });
    } else if (Array.isArray(s.bbox) && s.bbox.length === 4) {
      map.fitBounds([[s.bbox[0], s.bbox[1]], [s.bbox[2], s.bbox[3]]], { padding: 40, duration: 800 });
    }
    status('');
  } catch (e) {
    status(e.status === 404 ? T('not_found') + ' ' + insee : T('error') + ': ' + e.message);
  }
}

// ---------- downloads ----------
function selectionQuery() {
  const b = map.getBounds();
  const q = new URLSearchParams({ bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(','), sort: '-pv_kwh_yr', limit: '1000' });
  if (state.technology) q.set('technology', state.technology);
  if (state.minYield != null) q.set('min_specific_yield', String(state.minYield));
  if (state.minKWp != null) q.set('min_kwp', String(state.minKWp));
  return q;
}

function saveBlob(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob); a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// GeoPackage of the whole selection (the API writes it; at most 20,000
// parcels, else it answers 413 and the status line says so).
async function downloadGPKG() {
  status(T('loading'));
  const q = selectionQuery();
  q.delete('limit'); q.set('format', 'gpkg');
  const r = await fetch(API + `/v1/${state.layer}?` + q);
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).detail || detail; } catch { /* not JSON */ }
    status(T('error') + ': ' + detail); return;
  }
  saveBlob(await r.blob(), `gisement-${state.layer}.gpkg`);
  status('');
}

async function downloadCSV() {
  status(T('loading'));
  const r = await fetch(API + `/v1/${state.layer}?` + selectionQuery(), { headers: { Accept: 'text/csv' } });
  if (!r.ok) { status(T('error') + ': ' + r.status); return; }
  saveBlob(await r.blob(), `gisement-${state.layer}.csv`);
  status('');
}

// GeoJSON of the whole selection: follows next_cursor (at most 50 pages of 1000).
async function downloadGeoJSON() {
  status(T('loading'));
  const q = selectionQuery();
  const all = { type: 'FeatureCollection', features: [] };
  for (let i = 0; i < 50; i++) {
    const fc = await getJSON(`/v1/${state.layer}?` + q, { headers: { Accept: 'application/geo+json' } }).catch((e) => { status(T('error') + ': ' + e.message); return null; });
    if (!fc) return;
    all.features.push(...fc.features);
    if (!fc.next_cursor) break;
    q.set('cursor', fc.next_cursor);
  }
  saveBlob(new Blob([JSON.stringify(all)], { type: 'application/geo+json' }), `gisement-${state.layer}.geojson`);
  status('');
}

// ---------- wiring ----------
function numOrNull(el) { const v = parseFloat(el.value); return isFinite(v) ? v : null; }

function wire() {
  const ind = document.getElementById('indicator');
  ind.value = state.indicator;
  ind.onchange = () => { state.indicator = ind.value; refreshLayers(); };
  const tech = document.getElementById('technology');
  tech.onchange = () => { state.technology = tech.value; refreshLayers(); };
  const my = document.getElementById('min-yield');
  my.oninput = () => { state.minYield = numOrNull(my); refreshLayers(); };
  const mk = document.getElementById('min-kwp');
  mk.oninput = () => { state.minKWp = numOrNull(mk); refreshLayers(); };
  document.getElementById('search').onsubmit = (e) => {
    e.preventDefault();
    const id = document.getElementById('search-id').value.trim();
    if (id) showFeature('parcel', id, true);
  };
  document.getElementById('commune-form').onsubmit = (e) => {
    e.preventDefault();
    const insee = document.getElementById('commune-insee').value.trim();
    if (insee) showCommune(insee);
  };
  document.getElementById('dl-csv').onclick = downloadCSV;
  document.getElementById('dl-geojson').onclick = downloadGeoJSON;
  document.getElementById('dl-gpkg').onclick = downloadGPKG;
  document.getElementById('panel-close').onclick = () => { document.getElementById('panel').hidden = true; };
  const bm = document.getElementById('basemap');
  bm.onchange = () => map.setLayoutProperty('basemap', 'visibility', bm.checked ? 'visible' : 'none');

  map.on('click', (e) => {
    const hit = map.queryRenderedFeatures(e.point, { layers: ['buildings-fill', 'parcels-fill'] });
    const b = hit.find((f) => f.layer.id === 'buildings-fill');
    const p = hit.find((f) => f.layer.id === 'parcels-fill');
    // A click on a parcel (or a building inside it) opens the parcel; the
    // building's own results are one click away from the panel.
    const pid = p?.properties.parcel_id ?? b?.properties.parcel_id;
    state.clickedBuilding = pid ? (b?.properties.building_id ?? null) : null;
    if (pid) showFeature('parcel', pid, false);
    else if (b) showFeature('building', b.properties.building_id, false);
  });
  for (const l of ['parcels-fill', 'buildings-fill']) {
    map.on('mouseenter', l, () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', l, () => { map.getCanvas().style.cursor = ''; });
  }
}

// Initial view: ?lon&lat&zoom, ?parcel=ID, ?commune=INSEE, else the extent
// of the first page of parcels — or of buildings when the study has no
// parcels layer (the zoom hint then asks to zoom in to the buildings), or
// of ?layer.
async function initialView() {
  if (params.get('parcel')) { await showFeature('parcel', params.get('parcel'), true); return; }
  if (params.get('commune')) { await showCommune(params.get('commune')); return; }
  if (params.get('lon') && params.get('lat')) return;
  try {
    const hdr = { headers: { Accept: 'application/geo+json' } };
    let fc = await getJSON(`/v1/${state.layer}?limit=200`, hdr).catch((e) => { if (e.status === 404 && state.layer === 'parcels') return null; throw e; });
    if (!fc) {
      state.layer = 'buildings';
      fc = await getJSON('/v1/buildings?limit=200', hdr);
    }
    if (fc.features?.length) {
      map.fitBounds(bounds(fc), { padding: 30, duration: 0, maxZoom: 17 });
      const insee = fc.features[0].properties?.commune_insee;
      if (insee) drawCommune(insee);
    } else status(T('empty'));
  } catch (e) { status(T('error') + ': ' + e.message); }
}

// studyInfo shows what the served study stored with its figures (issue 13,
// GET /v1/study): its data sources in the attribution control, and its
// warnings (input coherence, default heights, weather) in the info panel
// (showWarnings).
async function studyInfo() {
  let info = null;
  try { info = await getJSON('/v1/study'); } catch { /* older API: defaults */ }
  const credits = (info?.attribution || []).map((a) => a.attribution).filter(Boolean);
  map.addControl(new maplibregl.AttributionControl({ compact: false,
    customAttribution: credits.length ? ['gisement', ...new Set(credits)] : T('attribution') }));
  showWarnings(info);
}

applyI18n();
drawLegend();
studyInfo();
wire();
map.on('load', async () => {
  refreshLayers();
  await initialView();
  // Ready for drivers and tests once parcels are drawn.
  const check = () => {
    if (map.queryRenderedFeatures({ layers: [state.layer === 'buildings' ? 'buildings-fill' : 'parcels-fill'] }).length > 0) {
      window.__gisementReady = true;
      map.off('idle', check);
    }
  };
  map.on('idle', check);
  zoomHint();
  map.on('zoom', zoomHint);
  map.triggerRepaint();
});
