// The live layers of a console map: fences (reloaded for the visible area), alert markers and officers.

import { L } from 'leaflet';
import { get, routes } from '../api.js';
import { alertMarker, fenceLayer, positionMarker } from './layers.js';
import { t } from '../i18n.js';

/**
 * Loads the fences in view (and again after the view moves) that pass filter; onSelect(feature), when given, is
 * called when one is clicked. Returns the layer group.
 */
export function fenceOverlay(map, proj, filter = () => true, onSelect = null) {
    const group = L.featureGroup().addTo(map);
    let loaded = [];
    const load = async () => {
        const b = map.getBounds().pad(0.5);
        const [w, s] = proj.toLonLat(b.getSouthWest());
        const [e, n] = proj.toLonLat(b.getNorthEast());
        try {
            const collection = await get(routes.fences([w, s, e, n].map((v) => v.toFixed(5))));
            loaded = (collection.features || []).filter(filter);
            group.clearLayers();
            loaded.forEach((f) => {
                const layer = fenceLayer(f, proj);
                if (onSelect) layer.on('click', () => onSelect(f));
                group.addLayer(layer);
            });
        } catch {
            /* fences are not essential to see alerts; keep the last ones */
        }
    };
    let timer = null;
    map.on('moveend', () => {
        clearTimeout(timer);
        timer = setTimeout(load, 300);
    });
    load();
    group.fences = () => loaded;
    return group;
}

/** Keeps one marker per alert of store on the map; onSelect(id) when one is clicked or activated by keyboard. */
export function alertOverlay(map, proj, store, onSelect) {
    const group = L.layerGroup().addTo(map);
    const draw = (alerts) => {
        group.clearLayers();
        alerts.forEach((f) => {
            if (!f.geometry) return;
            const marker = alertMarker(f, proj);
            marker.on('click keypress', () => onSelect(String(f.properties.id)));
            group.addLayer(marker);
        });
    };
    store.subscribe(draw);
    draw(store.list());
    return group;
}

/** Shows officers' last positions (GET /api/officers), refreshed every 30 s; returns a stop function. */
export function officerOverlay(map, proj) {
    const group = L.layerGroup().addTo(map);
    const load = async () => {
        try {
            const officers = await get(routes.officers());
            group.clearLayers();
            officers
                .filter((o) => o.position)
                .forEach((o) =>
                    group.addLayer(positionMarker(o.position.coordinates, proj, `${o.name} · ${o.unit || ''} · ${o.status || ''}`, `officer-marker officer-${(o.status || '').toLowerCase()}`)),
                );
        } catch {
            /* optional */
        }
    };
    load();
    const timer = setInterval(load, 30000);
    return () => clearInterval(timer);
}

/** A legend of fence kinds, as a Leaflet control. */
export function legend(map) {
    const control = L.control({ position: 'bottomright' });
    control.onAdd = () => {
        const div = L.DomUtil.create('div', 'legend');
        div.innerHTML = ['SAFE', 'DANGER', 'BAN', 'GRID'].map((k) => `<span class="swatch fence-${k.toLowerCase()}"></span>${t(`kind.${k}`)}`).join('<br>');
        return div;
    };
    control.addTo(map);
}
