// The map console that dispatchers and officers share: map, fences, alert markers, queue, detail, live updates.

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
 * Mounts the console into the shell. options: alertFilter, fenceFilter, canAssign, canAck, canResolve, queueExtra,
 * showOfficers, replay. Returns a teardown function.
 */
export function mountConsole(shell, options) {
    const { map, proj } = createMap(shell.mapElement, settings());
    legend(map);
    const store = createAlertStore(options.alertFilter);
    const fences = fenceOverlay(map, proj, options.fenceFilter);
    const detailBox = h('div', { class: 'detail-box' });
    const select = (id) => {
        queue.select(id);
        const f = store.get(id);
        if (f && f.geometry) map.setView(proj.toLatLng(f.geometry.coordinates), Math.max(map.getZoom(), 14));
        renderDetail(detailBox, id, {
            canAssign: options.canAssign,
            canAck: options.canAck,
            canResolve: options.canResolve,
            onChange: (fresh) => fresh && fresh.properties && store.upsert(fresh),
            onClose: () => replace(detailBox),
        });
    };
    const queue = renderQueue(shell.side, store, select, (f) => (options.queueExtra ? options.queueExtra(f, fences) : null));
    shell.side.append(detailBox);
    alertOverlay(map, proj, store, select);
    const stopOfficers = options.showOfficers ? officerOverlay(map, proj) : () => {};
    if (options.replay) renderReplay(shell.side, map, proj);
    const liveState = document.getElementById('live-state');
    store.load().catch((e) => liveState && (liveState.textContent = `${t('error')}: ${e.message}`));
    const stopLive = followAlerts(
        (feature) => store.upsert(feature),
        (up) => {
            if (!liveState) return;
            liveState.textContent = up ? `● ${t('live')}` : t('offline');
            liveState.className = `live-state ${up ? 'up' : 'down'}`;
            if (up) store.load().catch(() => {});
        },
    );
    shell.console = { map, proj, store, fences };
    return () => {
        stopLive();
        stopOfficers();
        queue.stop();
        map.remove();
    };
}
