// The admin's fence editor: draw a polygon, circle or corridor with Leaflet.draw, set its properties, save it
// through POST /api/fences; import and export GeoJSON files.

import { L } from 'leaflet';
import { ApiError, get, post, routes } from '../api.js';
import { t } from '../i18n.js';
import { announce, h } from './dom.js';

const KINDS = ['SAFE', 'DANGER', 'BAN'];

/** The GeoJSON Feature for a drawn Leaflet layer and form values, in WGS 84 whatever the basemap's datum. */
export function featureOf(layer, values, proj) {
    const lonLat = (ll) => proj.toLonLat(ll).map((v) => Math.round(v * 1e7) / 1e7);
    const properties = {
        name: values.name,
        kind: values.kind,
        dwellMinutes: values.kind === 'BAN' ? values.dwellMinutes || 30 : values.dwellMinutes || null,
        hysteresisMeters: values.hysteresisMeters ?? 20,
        subjects: [],
        radiusMeters: null,
        bufferMeters: null,
        active: { from: null, until: null, daily: null, zone: 'Asia/Shanghai' },
    };
    let geometry;
    if (layer instanceof L.Circle) {
        geometry = { type: 'Point', coordinates: lonLat(layer.getLatLng()) };
        properties.radiusMeters = Math.round(layer.getRadius() * 10) / 10;
    } else if (layer instanceof L.Polygon) {
        const ring = layer.getLatLngs()[0].map(lonLat);
        ring.push(ring[0]);
        geometry = { type: 'Polygon', coordinates: [ring] };
    } else {
        geometry = { type: 'LineString', coordinates: layer.getLatLngs().map(lonLat) };
        properties.bufferMeters = values.bufferMeters || 30;
    }
    return { type: 'Feature', geometry, properties };
}

/** Adds the editor to the map and a form to el; reload() redraws the fences after a save. */
export function renderEditor(el, map, proj, reload) {
    const drawn = L.featureGroup().addTo(map);
    const control = new L.Control.Draw({
        position: 'topleft',
        draw: {
            polygon: { showArea: false, allowIntersection: false },
            circle: { showRadius: true },
            polyline: { showLength: false },
            rectangle: false,
            marker: false,
            circlemarker: false,
        },
        edit: { featureGroup: drawn, remove: true },
    });
    map.addControl(control);
    let pending = null;
    map.on(L.Draw.Event.CREATED, (event) => {
        drawn.clearLayers();
        pending = event.layer;
        drawn.addLayer(pending);
        form.querySelector('#fence-name').focus();
    });
    const field = (id, key, attrs = {}) => [h('label', { for: id }, t(key)), h('input', { id, name: key, ...attrs })];
    const message = h('p', { class: 'form-error', role: 'alert', id: 'fence-message' });
    const form = h('form', { class: 'fence-form', id: 'fence-form' },
        h('p', { class: 'hint' }, t('drawHint')),
        field('fence-name', 'name', { required: true }),
        h('label', { for: 'fence-kind' }, t('kind')),
        h('select', { id: 'fence-kind', name: 'kind' }, KINDS.map((k) => h('option', { value: k }, t(`kind.${k}`)))),
        field('fence-dwell', 'dwellMinutes', { type: 'number', min: '1', value: '30' }),
        field('fence-hysteresis', 'hysteresisMeters', { type: 'number', min: '0', value: '20' }),
        field('fence-buffer', 'bufferMeters', { type: 'number', min: '1', value: '30' }),
        message,
        h('button', { type: 'submit', class: 'primary', id: 'fence-save' }, t('save')));
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        message.classList.remove('ok');
        if (!pending) {
            message.textContent = t('drawHint');
            return;
        }
        const values = {
            name: form.querySelector('#fence-name').value.trim(),
            kind: form.querySelector('#fence-kind').value,
            dwellMinutes: Number(form.querySelector('#fence-dwell').value) || null,
            hysteresisMeters: Number(form.querySelector('#fence-hysteresis').value),
            bufferMeters: Number(form.querySelector('#fence-buffer').value) || null,
        };
        try {
            await post(routes.fences(), featureOf(pending, values, proj));
            drawn.clearLayers();
            pending = null;
            form.querySelector('#fence-name').value = '';
            message.classList.add('ok');
            message.textContent = t('saved');
            announce(t('saved'));
            reload();
        } catch (e) {
            message.textContent = e instanceof ApiError && e.fieldErrors.length ? e.fieldErrors.map((f) => `${f.field}: ${f.message}`).join('; ') : e.message;
        }
    });
    const file = h('input', { type: 'file', id: 'fence-import', accept: '.geojson,.json,application/geo+json', class: 'visually-hidden' });
    file.addEventListener('change', async () => {
        const text = await file.files[0].text();
        const data = JSON.parse(text);
        const features = data.type === 'FeatureCollection' ? data.features : [data];
        let saved = 0;
        for (const f of features) {
            try {
                await post(routes.fences(), f);
                saved++;
            } catch (e) {
                message.textContent = `${f.properties && f.properties.name}: ${e.message}`;
            }
        }
        announce(`${t('saved')}: ${saved}`);
        reload();
    });
    el.append(h('section', { class: 'panel editor', id: 'fence-editor' }, h('h2', {}, t('fenceEditor')), form,
        h('div', { class: 'buttons' },
            h('label', { for: 'fence-import', class: 'button', tabindex: '0', onkeydown: (e) => e.key === 'Enter' && file.click() }, t('importGeoJson')), file,
            h('button', { type: 'button', id: 'fence-export', onclick: () => exportFences(map, proj) }, t('exportGeoJson')))));
}

async function exportFences(map, proj) {
    const b = map.getBounds().pad(2);
    const [w, s] = proj.toLonLat(b.getSouthWest());
    const [e, n] = proj.toLonLat(b.getNorthEast());
    const collection = await get(routes.fences([w, s, e, n].map((v) => v.toFixed(5))));
    const url = URL.createObjectURL(new Blob([JSON.stringify(collection, null, 2)], { type: 'application/geo+json' }));
    const a = h('a', { href: url, download: 'geoward-fences.geojson' });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
}
