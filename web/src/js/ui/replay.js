// Track replay: a subject's positions over a time range, walked through with a slider.

import { L } from 'leaflet';
import { get, routes } from '../api.js';
import { formatTime, t } from '../i18n.js';
import { h, replace } from './dom.js';

/** The points of a track answer as [{lonLat, time}], whether it is Point Features or a LineString with times. */
export function trackPoints(answer) {
    if (!answer) return [];
    const features = answer.type === 'FeatureCollection' ? answer.features : [answer];
    const points = [];
    for (const f of features) {
        const g = f.geometry || {};
        const props = f.properties || {};
        if (g.type === 'Point') points.push({ lonLat: g.coordinates, time: props.time || props.at });
        if (g.type === 'LineString') {
            const times = props.times || props.coordTimes || [];
            g.coordinates.forEach((c, i) => points.push({ lonLat: c, time: times[i] || null }));
        }
    }
    return points;
}

function localInput(date) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Renders the replay panel into el, drawing on map. subjects may be given (the family view); else loaded. */
export function renderReplay(el, map, proj, subjects = null) {
    const layer = L.layerGroup().addTo(map);
    const now = new Date();
    const subject = h('select', { id: 'replay-subject' });
    const from = h('input', { id: 'replay-from', type: 'datetime-local', value: localInput(new Date(now - 86400000)) });
    const to = h('input', { id: 'replay-to', type: 'datetime-local', value: localInput(now) });
    const slider = h('input', { id: 'replay-slider', type: 'range', min: '0', max: '0', value: '0', disabled: true, 'aria-label': t('trackReplay') });
    const label = h('output', { id: 'replay-time', for: 'replay-slider' });
    let points = [];
    let marker = null;
    let trail = null;
    const show = (i) => {
        const p = points[i];
        if (!p) return;
        const latLngs = points.slice(0, i + 1).map((q) => proj.toLatLng(q.lonLat));
        trail.setLatLngs(latLngs);
        marker.setLatLng(latLngs[latLngs.length - 1]);
        label.textContent = formatTime(p.time);
    };
    const load = async (event) => {
        event.preventDefault();
        layer.clearLayers();
        try {
            const answer = await get(routes.track(subject.value, new Date(from.value).toISOString(), new Date(to.value).toISOString()));
            points = trackPoints(answer);
        } catch (e) {
            points = [];
            label.textContent = e.message;
            return;
        }
        if (points.length === 0) {
            label.textContent = t('noTrack');
            slider.disabled = true;
            return;
        }
        L.polyline(points.map((q) => proj.toLatLng(q.lonLat)), { color: '#888', weight: 2, dashArray: '2 4' }).addTo(layer);
        trail = L.polyline([], { color: '#7b2cbf', weight: 4 }).addTo(layer);
        marker = L.circleMarker(proj.toLatLng(points[0].lonLat), { radius: 8, color: '#fff', fillColor: '#7b2cbf', fillOpacity: 1 }).addTo(layer);
        slider.max = String(points.length - 1);
        slider.value = String(points.length - 1);
        slider.disabled = false;
        show(points.length - 1);
        map.fitBounds(L.latLngBounds(points.map((q) => proj.toLatLng(q.lonLat))).pad(0.2));
    };
    slider.addEventListener('input', () => show(Number(slider.value)));
    const fill = (list) => replace(subject, list.map((s) => h('option', { value: String(s.id) }, s.name || `#${s.id}`)));
    if (subjects) fill(subjects);
    else get(routes.subjects()).then((list) => fill(Array.isArray(list) ? list : list.features?.map((f) => f.properties) || [])).catch(() => {});
    el.append(
        h('details', { class: 'panel replay', id: 'replay' },
            h('summary', {}, t('trackReplay')),
            h('form', { class: 'replay-form', onsubmit: load },
                h('label', { for: 'replay-subject' }, t('subject')), subject,
                h('label', { for: 'replay-from' }, t('from')), from,
                h('label', { for: 'replay-to' }, t('to')), to,
                h('button', { type: 'submit' }, t('load'))),
            slider, label),
    );
}
