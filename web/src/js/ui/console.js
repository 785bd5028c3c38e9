// The map console that dispatchers and officers share: map, fences, alert markers, queue, detail, live updates.

import { L } from 'leaflet';
import { get, routes } from '../api.js';
import { createAlertStore, followAlerts } from '../alerts.js';
import { t } from '../i18n.js';
import { createMap } from '../map/basemap.js';
import { alertOverlay, fenceOverlay, legend, officerOverlay } from '../map/overlays.js';
import { settings } from '../settings.js';
import { renderDetail } from './detail.js';
import { h, replace } from './dom.js';
import { renderQueue } from './queue.js';
import { renderReplay } from './replay.js';

/**
 * Mounts the console into the shell. options: alertFilter, fenceFilter, onFenceClick, canAssign, canAck, canResolve,
 * canRaiseWorkOrder, onOpenWorkOrder(id), queueExtra, showOfficers, replay. Returns a teardown function.
 */
export function mountConsole(shell, options) {
    const { map, proj } = createMap(shell.mapElement, settings());
    legend(map);
    const store = createAlertStore(options.alertFilter);
    const fences = fenceOverlay(map, proj, options.fenceFilter, options.onFenceClick);
    const detailBox = h('div', { class: 'detail-box' });
    const trail = L.layerGroup().addTo(map);
    let selected = null; // {id, updatedAt} of the alert in the detail panel
    const showDetail = (id) =>
        renderDetail(detailBox, id, {
            canAssign: options.canAssign,
            canAck: options.canAck,
            canResolve: options.canResolve,
            canRaiseWorkOrder: options.canRaiseWorkOrder,
            onOpenWorkOrder: options.onOpenWorkOrder,
            onLoaded: (alert) => selected && selected.id === id && (selected.updatedAt = alert.properties.updatedAt),
            onChange: (fresh) => fresh && fresh.properties && store.upsert(fresh),
            onClose: () => {
                selected = null;
                trail.clearLayers();
                replace(detailBox);
            },
        });
    const select = (id) => {
        queue.select(id);
        selected = { id, updatedAt: null };
        const f = store.get(id);
        if (f && f.geometry) map.setView(proj.toLatLng(f.geometry.coordinates), Math.max(map.getZoom(), 14));
        showDetail(id);
        drawTrail(trail, proj, f);
    };
    // the open detail follows the stream too: another dispatcher's assignment shows without a click
    store.subscribe((alerts, changed) => {
        if (!selected || changed !== selected.id) return;
        const f = store.get(changed);
        if (!f || f.properties.updatedAt !== selected.updatedAt) showDetail(changed);
    });
    const queue = renderQueue(shell.side, store, select, (f) => (options.queueExtra ? options.queueExtra(f, fences) : null));
    shell.side.append(detailBox);
    alertOverlay(map, proj, store, select);
    const stopOfficers = options.showOfficers ? officerOverlay(map, proj) : () => {};
    if (options.replay) renderReplay(shell.side, map, proj);
    const liveState = document.getElementById('live-state');
    store.load().catch((e) => liveState && (liveState.textContent = `${t('error')}: ${e.message}`));
    let live = 'connecting';
    const stopLive = followAlerts(
        (feature) => store.upsert(feature),
        (state) => {
            live = state;
            if (state === true) store.load().catch(() => {});
            if (!liveState) return;
            liveState.textContent = state === true ? `● ${t('live')}` : state === 'connecting' ? t('connecting') : t('offline');
            liveState.className = `live-state ${state === true ? 'up' : state === 'connecting' ? 'connecting' : 'down'}`;
        },
    );
    // until the stream has delivered something (or while it is down), re-read the queue now and then
    const poll = setInterval(() => live !== true && store.load().catch(() => {}), 10000);
    shell.console = { map, proj, store, fences };
    return () => {
        stopLive();
        clearInterval(poll);
        stopOfficers();
        queue.stop();
        map.remove();
    };
}

/** The subject's fixes from 30 minutes before the alert opened until now, as a dashed line ending at the alert. */
async function drawTrail(layer, proj, feature) {
    layer.clearLayers();
    if (!feature) return;
    const p = feature.properties;
    const from = new Date(new Date(p.openedAt).getTime() - 30 * 60000).toISOString();
    try {
        const track = await get(routes.track(p.subjectId, from));
        const points = (track.features || []).filter((f) => f.geometry).map((f) => proj.toLatLng(f.geometry.coordinates));
        if (points.length > 1) {
            L.polyline(points, { color: '#7b2cbf', weight: 3, opacity: 0.8, dashArray: '6 4', className: 'recent-trail' })
                .bindTooltip(t('recentTrail'))
                .addTo(layer);
        }
        points.forEach((ll) => L.circleMarker(ll, { radius: 3, color: '#7b2cbf', weight: 1, fillOpacity: 0.8, className: 'trail-fix' }).addTo(layer));
    } catch {
        /* the trail is a help, not essential */
    }
}
