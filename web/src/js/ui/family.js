// The family view: only the wards the server returns for this user, where and when each was last seen, their
// safe zones and alerts. Phone-sized first.

import { get, routes } from '../api.js';
import { createAlertStore } from '../alerts.js';
import { ago, formatTime, t } from '../i18n.js';
import { createMap } from '../map/basemap.js';
import { alertOverlay, fenceOverlay } from '../map/overlays.js';
import { positionMarker } from '../map/layers.js';
import { settings } from '../settings.js';
import { h, replace } from './dom.js';
import { renderQueue } from './queue.js';
import { renderReplay } from './replay.js';

/** A ward's last position as {lonLat, time, battery}, from whichever shape the subject carries it in. */
export function lastSeenOf(ward) {
    const last = ward.lastSeen || ward.lastPosition || ward.position || null;
    if (!last) return null;
    const lonLat = last.coordinates || (last.geometry && last.geometry.coordinates) || (last.lon != null ? [last.lon, last.lat] : null);
    return lonLat ? { lonLat, time: last.time || ward.lastSeenAt || ward.fixAt, battery: last.battery ?? ward.battery } : null;
}

/** Mounts the family view; returns its teardown. */
export function mountFamily(shell) {
    const { map, proj } = createMap(shell.mapElement, settings());
    const wardsBox = h('section', { class: 'panel wards', id: 'wards' }, h('h2', {}, t('myWards')));
    shell.side.append(wardsBox);
    let wardIds = new Set();
    const store = createAlertStore((f) => wardIds.has(String(f.properties.subjectId)));
    fenceOverlay(map, proj, (f) => f.properties.kind === 'SAFE' && (f.properties.subjects || []).some((id) => wardIds.has(String(id))));
    alertOverlay(map, proj, store, () => {});
    const queue = renderQueue(shell.side, store, () => {});
    const load = async () => {
        const answer = await get(routes.subjects());
        const wards = (Array.isArray(answer) ? answer : (answer.features || []).map((f) => ({ ...f.properties, position: f.geometry }))).filter((s) => !s.kind || s.kind === 'WARD');
        wardIds = new Set(wards.map((w) => String(w.id)));
        replace(wardsBox, h('h2', {}, t('myWards')), h('ul', { class: 'ward-list' }, wards.map((w) => wardItem(w, map, proj))));
        renderReplay(shell.side, map, proj, wards);
        const first = wards.map(lastSeenOf).find(Boolean);
        if (first) map.setView(proj.toLatLng(first.lonLat), 15);
        else map.fire('moveend');
        await store.load();
    };
    load().catch((e) => wardsBox.append(h('p', { class: 'form-error' }, e.message)));
    return () => {
        queue.stop();
        map.remove();
    };
}

function wardItem(ward, map, proj) {
    const last = lastSeenOf(ward);
    if (last) {
        positionMarker(last.lonLat, proj, ward.name, 'ward-marker').unbindTooltip().bindTooltip(ward.name, { permanent: true, direction: 'top' }).addTo(map);
    }
    return h('li', { class: 'ward', dataset: { subjectId: String(ward.id) } },
        h('b', {}, ward.name),
        h('div', {}, `${t('lastSeen')}: `, last && last.time ? h('time', { datetime: last.time }, `${formatTime(last.time)} (${ago(last.time)})`) : t('never')),
        last && last.battery != null ? h('div', {}, `${t('battery')}: ${Math.round(last.battery)}%`) : null,
        last ? h('button', { type: 'button', onclick: () => map.setView(proj.toLatLng(last.lonLat), 16) }, t('map')) : null);
}
