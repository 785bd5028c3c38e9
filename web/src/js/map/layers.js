// How fences and alerts look on the map: fences coloured by kind, alerts as markers that stand out.

import { L } from 'leaflet';
import { corridorRings } from './geo.js';
import { t } from '../i18n.js';

export const KIND_COLOURS = { SAFE: '#2e9d4b', DANGER: '#d7263d', BAN: '#1f5fbf', GRID: '#8a6d3b' };

/** A layer for one fence Feature: polygon, circle (Point + radiusMeters) or corridor (LineString + bufferMeters). */
export function fenceLayer(feature, proj) {
    const p = feature.properties || {};
    const colour = KIND_COLOURS[p.kind] || '#555';
    const style = { color: colour, weight: 2, fillColor: colour, fillOpacity: 0.18, className: `fence fence-${(p.kind || '').toLowerCase()}` };
    if (p.kind === 'GRID') Object.assign(style, { weight: 1, dashArray: '6 3', fillOpacity: 0.05 });
    const g = feature.geometry;
    let layer;
    if (g.type === 'Point') {
        layer = L.circle(proj.toLatLng(g.coordinates), { ...style, radius: p.radiusMeters || 50 });
    } else if (g.type === 'LineString' || g.type === 'MultiLineString') {
        const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
        const buffer = p.bufferMeters || 30;
        const pieces = lines.flatMap((line) => corridorRings(line, buffer)).map((ring) => [ring.map((c) => proj.toLatLng(c))]);
        layer = L.featureGroup([
            L.polygon(pieces, { ...style, stroke: false, fillRule: 'nonzero', fillOpacity: 0.3 }),
            L.polyline(lines.map((line) => line.map((c) => proj.toLatLng(c))), { color: colour, weight: 2, dashArray: '4 4' }),
        ]);
    } else {
        layer = L.geoJSON(feature, { style: () => style, coordsToLatLng: (c) => proj.toLatLng(c) });
    }
    layer.bindTooltip(`${p.name || ''} · ${t(`kind.${p.kind}`)}`);
    layer.feature = feature;
    return layer;
}

/** A marker for one alert Feature, pulsing while open. */
export function alertMarker(feature, proj) {
    const p = feature.properties;
    const icon = L.divIcon({
        className: `alert-marker alert-${p.type.toLowerCase()} status-${p.status.toLowerCase()} alert-id-${p.id}`,
        html: `<span class="pulse"></span><span class="dot" aria-hidden="true">${symbolFor(p.type)}</span>`,
        iconSize: [28, 28],
        iconAnchor: [14, 14],
    });
    const marker = L.marker(proj.toLatLng(feature.geometry.coordinates), {
        icon,
        keyboard: true,
        title: `${t(`type.${p.type}`)} · ${p.subjectName || p.subjectId}`,
        alt: t(`type.${p.type}`),
        zIndexOffset: 1000,
    });
    marker.alertId = p.id;
    return marker;
}

function symbolFor(type) {
    return { WANDER: '!', DANGER: '⚠', OFFLINE: '?', SOS: 'SOS', GAS: '🔥', SMOKE: '🔥', WATER_LEAK: '💧', FALL: '⬇', DOOR_OPEN: '🚪' }[type] || '!';
}

/** A small marker for a subject's or officer's last position. */
export function positionMarker(lonLat, proj, label, className = 'subject-marker') {
    return L.circleMarker(proj.toLatLng(lonLat), { radius: 7, color: '#fff', weight: 2, fillColor: '#444', fillOpacity: 1, className }).bindTooltip(label);
}
