// The officer's view (fisheries officers above all): ban zones, loiter alerts with the dwell time counting, and
// their assignments, each resolvable with an outcome; the work orders (follow up, feedback) in a tab.

import { humanizeDuration, t } from '../i18n.js';
import { mountConsole } from './console.js';
import { h } from './dom.js';
import { tabs } from './tabs.js';
import { renderWorkOrders } from './work-orders.js';

/** Mounts the officer view; returns its teardown. */
export function mountFisheries(shell, me) {
    let workOrders = null;
    const inAlerts = { ...shell };
    const panes = tabs('officer', [
        { key: 'alerts', label: t('alerts') },
        { key: 'workorders', label: t('workOrders'),
            onShow: (panel) => (workOrders ? workOrders.refresh() : (workOrders = renderWorkOrders(panel, inAlerts.console.map, inAlerts.console.proj, me))) },
    ]);
    shell.side.append(panes.element);
    inAlerts.side = panes.panel('alerts');
    const stop = mountConsole(inAlerts, {
        alertFilter: (f) => f.properties.type === 'LOITER' || f.properties.assignedOfficerId != null,
        fenceFilter: (f) => f.properties.kind === 'BAN',
        canAssign: false,
        canAck: true,
        canResolve: true,
        queueExtra: (f, fences) => dwellClock(f, fences),
    });
    shell.console = inAlerts.console;
    // the fences may load after the queue: the episode start is worked out again at every tick
    const timer = setInterval(() => {
        document.querySelectorAll('.dwell[data-opened-at]').forEach((el) => {
            const start = dwellStart(el.dataset.openedAt, el.dataset.fenceId, shell.console.fences, Number(el.dataset.limit || 0));
            el.querySelector('.dwell-time').textContent = humanizeDuration((Date.now() - start) / 1000);
        });
    }, 1000);
    return () => {
        clearInterval(timer);
        stop();
    };
}

/** When the stay began: the alert opened when the dwell reached the fence's limit. */
function dwellStart(openedAt, fenceId, fences, fallbackMinutes) {
    const fence = fences.fences().find((f) => String(f.properties.id) === String(fenceId));
    const limitMinutes = (fence && fence.properties.dwellMinutes) || fallbackMinutes || 0;
    return new Date(openedAt).getTime() - limitMinutes * 60000;
}

/** "Dwell: 34 min 5 s" counting up from the episode start. */
function dwellClock(feature, fences) {
    const p = feature.properties;
    if (p.type !== 'LOITER') return null;
    const start = dwellStart(p.openedAt, p.fenceId, fences, p.dwellMinutes);
    return h('span', { class: 'dwell', dataset: { openedAt: p.openedAt, fenceId: String(p.fenceId), limit: String(p.dwellMinutes || 0) } },
        `${t('dwell')}: `, h('span', { class: 'dwell-time' }, humanizeDuration((Date.now() - start) / 1000)));
}
