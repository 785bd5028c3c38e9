// The family view: only the wards the server lets this user see, where and when each was last seen, their safe
// zones, their alerts and "back home" notices. Phone-sized first.

import { get, routes } from '../api.js';
import { ACTIVE_STATUSES, createAlertStore } from '../alerts.js';
import { ago, formatTime, label, t } from '../i18n.js';
import { createMap } from '../map/basemap.js';
import { alertOverlay, fenceOverlay } from '../map/overlays.js';
import { positionMarker } from '../map/layers.js';
import { settings } from '../settings.js';
import { h, replace } from './dom.js';
import { renderNotifications } from './notifications.js';
import { renderQueue } from './queue.js';
import { renderReplay } from './replay.js';

const ALL_STATUSES = [...ACTIVE_STATUSES, 'RESOLVED'];

/** A ward's last position as {lonLat, time, battery} from its track (a FeatureCollection of Points), or null. */
export function lastSeenOf(track) {
    const points = ((track && track.features) || []).filter((f) => f.geometry && f.geometry.type === 'Point');
    const last = points[points.length - 1];
    if (!last) return null;
    const p = last.properties || {};
    return { lonLat: last.geometry.coordinates, time: p.time, battery: p.battery };
}

/** Mounts the family view; returns its teardown. */
export function mountFamily(shell) {
    const { map, proj } = createMap(shell.mapElement, settings());
    const wardsBox = h('section', { class: 'panel wards', id: 'wards', 'aria-labelledby': 'wards-title' }, h('h2', { id: 'wards-title' }, t('myWards')), h('p', { class: 'loading' }, '…'));
    shell.side.append(wardsBox);
    let wardIds = new Set();
    const store = createAlertStore((f) => wardIds.has(String(f.properties.subjectId)));
    fenceOverlay(map, proj, (f) => f.properties.kind === 'SAFE' && (f.properties.subjects || []).some((id) => wardIds.has(String(id))));
    alertOverlay(map, proj, store, () => {});
    const queue = renderQueue(shell.side, store, () => {});
    const noticesBox = h('section', { class: 'panel notices', id: 'notices' });
    shell.side.append(noticesBox);
    const messages = renderNotifications(shell.side);
    const load = async () => {
        const history = (await get(routes.alertsOf(ALL_STATUSES))).features || [];
        const wards = await get(routes.subjects('WARD'));
        wardIds = new Set(wards.map((w) => String(w.id)));
        const since = new Date(Date.now() - 86400000).toISOString();
        const seen = await Promise.all(
            wards.map((w) =>
                get(routes.track(w.id, since))
                    .then(lastSeenOf)
                    .catch(() => null)
                    .then((last) => last || lastSeenFromAlerts(w, history)),
            ),
        );
        replace(
            wardsBox,
            h('h2', { id: 'wards-title' }, t('myWards')),
            wards.length === 0 ? h('p', { class: 'empty' }, t('noWards')) : h('ul', { class: 'ward-list' }, wards.map((w, i) => wardItem(w, seen[i], map, proj))),
        );
        renderNotices(noticesBox, history.filter((f) => wardIds.has(String(f.properties.subjectId))));
        messages.refresh();
        renderReplay(shell.side, map, proj, wards);
        const first = seen.find(Boolean);
        if (first) map.setView(proj.toLatLng(first.lonLat), 15);
        else map.fire('moveend');
        await store.load();
    };
    load().catch((e) => wardsBox.append(h('p', { class: 'form-error' }, `${t('error')}: ${e.message}`)));
    const poll = setInterval(() => messages.refresh(), 30000);
    return () => {
        clearInterval(poll);
        queue.stop();
        map.remove();
    };
}

/** Where the newest alert of ward put it, when its track has nothing recent. */
function lastSeenFromAlerts(ward, alerts) {
    const mine = alerts.filter((f) => String(f.properties.subjectId) === String(ward.id) && f.geometry);
    mine.sort((a, b) => new Date(b.properties.lastFixAt || b.properties.updatedAt) - new Date(a.properties.lastFixAt || a.properties.updatedAt));
    const f = mine[0];
    return f ? { lonLat: f.geometry.coordinates, time: f.properties.lastFixAt || f.properties.updatedAt, battery: null } : null;
}

function wardItem(ward, last, map, proj) {
    if (last) {
        positionMarker(last.lonLat, proj, ward.name, 'ward-marker').unbindTooltip().bindTooltip(ward.name, { permanent: true, direction: 'top' }).addTo(map);
    }
    return h('li', { class: 'ward', dataset: { subjectId: String(ward.id) } },
        h('b', {}, ward.name),
        h('div', {}, `${t('lastSeen')}: `, last && last.time ? h('time', { datetime: last.time }, `${formatTime(last.time)} (${ago(last.time)})`) : t('never')),
        last && last.battery != null ? h('div', {}, `${t('battery')}: ${Math.round(last.battery)}%`) : null,
        last ? h('button', { type: 'button', onclick: () => map.setView(proj.toLatLng(last.lonLat), 16) }, t('map')) : null);
}

/** Resolved alerts of the user's wards, newest first: "back home" when a WANDER ended with the ward's return. */
function renderNotices(el, alerts) {
    const resolved = alerts.filter((f) => f.properties.status === 'RESOLVED').slice(0, 10);
    replace(
        el,
        h('h2', {}, t('notices')),
        resolved.length === 0
            ? h('p', { class: 'empty' }, t('noAlerts'))
            : h('ul', { class: 'notice-list' }, resolved.map((f) => {
                const p = f.properties;
                const back = p.outcome === 'RETURNED';
                return h('li', { class: back ? 'notice back-home' : 'notice' },
                    h('b', {}, p.subjectName), ' · ', back ? t('backHome') : `${t(`type.${p.type}`)} → ${label('outcome', p.outcome)}`,
                    ' ', h('time', { datetime: p.resolvedAt }, formatTime(p.resolvedAt)));
            })),
    );
}
