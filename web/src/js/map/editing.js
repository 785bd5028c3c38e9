// Fence geometry in the editor: a fence Feature as a Leaflet layer that Leaflet.draw can edit, and back to GeoJSON
// in WGS 84 whatever the basemap's datum.

import { L } from 'leaflet';

// in a pane of its own above the fences (whose overlay is redrawn after each move), below the markers and handles
const EDIT_PANE = 'fence-editing';
export const EDIT_STYLE = { color: '#f08c00', weight: 3, dashArray: '6 4', fillColor: '#f08c00', fillOpacity: 0.2, className: 'fence-editing', pane: EDIT_PANE };

/** Creates the editing pane on map once. */
export function addEditPane(map) {
    if (!map.getPane(EDIT_PANE)) map.createPane(EDIT_PANE).style.zIndex = 450;
}

/** Whether layer is a multi-part fence's group of parts (one polygon per part of a MultiPolygon). */
export function isMultiPart(layer) {
    return Boolean(layer && layer.multiPart);
}

/** 'circle', 'line' or 'polygon' for a layer the editor holds. */
export function shapeOf(layer) {
    if (layer instanceof L.Circle) return 'circle';
    if (layer instanceof L.Polygon || isMultiPart(layer)) return 'polygon';
    return 'line';
}

/**
 * The editable layer for a fence Feature: a circle for Point + radiusMeters, the centre line for a corridor, the
 * polygon (with its holes) for a Polygon, and for a MultiPolygon a group of such polygons, one per part. A
 * MultiLineString comes back with editable false: its shape is kept as it is and only its properties change.
 */
export function editableLayer(feature, proj) {
    const g = feature.geometry;
    const p = feature.properties || {};
    const toLatLngs = (coords) => coords.map((c) => proj.toLatLng(c));
    switch (g.type) {
        case 'Point':
            return { layer: L.circle(proj.toLatLng(g.coordinates), { ...EDIT_STYLE, radius: p.radiusMeters || 50 }), editable: true };
        case 'LineString':
            return { layer: L.polyline(toLatLngs(g.coordinates), EDIT_STYLE), editable: true };
        case 'Polygon':
            return { layer: L.polygon(g.coordinates.map((ring) => toLatLngs(ring.slice(0, -1))), EDIT_STYLE), editable: true };
        case 'MultiLineString':
            return { layer: L.polyline(g.coordinates.map(toLatLngs), EDIT_STYLE), editable: false };
        default:
            return { layer: partsLayer(g.coordinates.map((part) => part.map((ring) => toLatLngs(ring.slice(0, -1))))), editable: true };
    }
}

/** A multi-part layer: a FeatureGroup of one polygon per part, each given as rings of LatLngs (shell, holes…). */
export function partsLayer(parts) {
    const group = L.featureGroup(parts.map((rings) => L.polygon(rings, EDIT_STYLE)));
    group.multiPart = true;
    return group;
}

/**
 * Shows the layer's handles (Leaflet.draw's vertex, move and resize markers). Leaflet.draw's edit handlers read the
 * layer's original and editing styles, which its edit toolbar would set; here they are set the same way. Every ring
 * of a polygon gets handles, holes too (Leaflet.draw alone would edit only the shell); each part of a multi-part
 * layer is edited so.
 */
export function startEditing(layer) {
    if (isMultiPart(layer)) {
        layer.eachLayer(startEditing);
        return;
    }
    layer.setStyle(EDIT_STYLE);
    layer.options.original = { ...layer.options };
    layer.options.editing = { ...EDIT_STYLE };
    // one vertex handler per ring: each is the ring array inside the polygon, so moves change the polygon itself
    if (layer instanceof L.Polygon && !L.LineUtil.isFlat(layer.getLatLngs())) layer.editing.latlngs = layer.getLatLngs();
    layer.editing.enable();
}

/** Hides the layer's handles. */
export function stopEditing(layer) {
    if (isMultiPart(layer)) layer.eachLayer(stopEditing);
    else if (layer.editing && layer.editing.enabled()) layer.editing.disable();
}

/** The GeoJSON geometry of an editable layer (a MultiPolygon for a multi-part one), and radiusMeters for a circle; coordinates rounded to 1e-7°. */
export function geometryOf(layer, proj) {
    const lonLat = (ll) => proj.toLonLat(ll).map((v) => Math.round(v * 1e7) / 1e7);
    if (layer instanceof L.Circle) {
        return { geometry: { type: 'Point', coordinates: lonLat(layer.getLatLng()) }, radiusMeters: Math.round(layer.getRadius() * 10) / 10 };
    }
    const ringsOf = (polygon) => {
        const latLngs = polygon.getLatLngs();
        return (L.LineUtil.isFlat(latLngs) ? [latLngs] : latLngs).map((ring) => closed(ring.map(lonLat)));
    };
    if (isMultiPart(layer)) {
        return { geometry: { type: 'MultiPolygon', coordinates: layer.getLayers().map(ringsOf) }, radiusMeters: null };
    }
    if (layer instanceof L.Polygon) {
        return { geometry: { type: 'Polygon', coordinates: ringsOf(layer) }, radiusMeters: null };
    }
    return { geometry: { type: 'LineString', coordinates: layer.getLatLngs().map(lonLat) }, radiusMeters: null };
}

function closed(ring) {
    return [...ring, ring[0]];
}
