// The map: a tile basemap when one is configured, otherwise (offline) a plain background with
// Fuling's outline and the Yangtze and Wu rivers; a scale bar; and the projection every layer draws through.

import { L } from 'leaflet';
import { gcj02ToWgs84, wgs84ToGcj02 } from './gcj02.js';
import { t } from '../i18n.js';

/**
 * How WGS 84 data is placed on the basemap: as it is, or shifted to GCJ-02 for AMap/Tencent-style tiles.
 * toLatLng takes [lon, lat] in WGS 84; toLonLat takes a Leaflet LatLng and returns WGS 84 [lon, lat].
 */
export function projection(crs) {
    const gcj = crs === 'GCJ02';
    return {
        crs: gcj ? 'GCJ02' : 'WGS84',
        toLatLng([lon, lat]) {
            const [x, y] = gcj ? wgs84ToGcj02(lon, lat) : [lon, lat];
            return L.latLng(y, x);
        },
        toLonLat(latLng) {
            return gcj ? gcj02ToWgs84(latLng.lng, latLng.lat) : [latLng.lng, latLng.lat];
        },
    };
}

/** Creates the map in element; returns {map, proj, basemap} where basemap is the background layer group. */
export function createMap(element, settings) {
    const map = L.map(element, { zoomControl: true, keyboard: true, attributionControl: true, preferCanvas: false });
    map.setView(settings.center, settings.zoom);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(map);
    const proj = projection(settings.tileCrs);
    const basemap = L.layerGroup().addTo(map);
    if (settings.tiles) {
        L.tileLayer(settings.tiles, { attribution: settings.tileAttribution || '', maxZoom: 19 }).addTo(basemap);
        element.classList.remove('offline-basemap');
    } else {
        element.classList.add('offline-basemap');
    }
    addOutlines(basemap, proj, !settings.tiles);
    return { map, proj, basemap };
}

async function addOutlines(group, proj, prominent) {
    const [district, rivers] = await Promise.all([loadJson('/data/fuling_district.geojson'), loadJson('/data/yangtze_wu_fuling.geojson')]);
    if (district) {
        group.addLayer(
            geoJson(district, proj, {
                style: { color: '#6b5b3e', weight: 2, dashArray: '6 4', fillColor: '#f4efe2', fillOpacity: prominent ? 0.6 : 0 },
                interactive: false,
                className: 'district-outline',
            }).bindTooltip(t('districtOutline')),
        );
    }
    if (rivers) {
        group.addLayer(geoJson(rivers, proj, { style: { color: '#4a90c8', weight: prominent ? 4 : 2, opacity: 0.9 }, interactive: false, className: 'river-line' }));
    }
}

async function loadJson(url) {
    try {
        const response = await fetch(url);
        return response.ok ? await response.json() : null;
    } catch {
        return null;
    }
}

/** L.geoJSON through the projection. */
export function geoJson(data, proj, options = {}) {
    return L.geoJSON(data, { ...options, coordsToLatLng: (c) => proj.toLatLng(c) });
}
