// The officer's view (fisheries officers above all): ban zones, loiter alerts with the dwell time counting, and
// their assignments, each resolvable with an outcome.

import { humanizeDuration, t } from '../i18n.js';
import { mountConsole } from './console.js';
import { h } from './dom.js';

/** Mounts the officer view; returns its teardown. */
export function mountFisheries(shell) {
    const stop = mountConsole(shell, {
        alertFilter: (f) => f.properties.type === 'LOITER' || f.properties.assignedOfficerId != null,
        fenceFilter: (f) => f.properties.kind === 'BAN',
        canAssign: false,
        canAck: true,
        canResolve: true,
        queueExtra: (f, fences) => dwellClock(f, fences),
    });
    const timer = setInterval(() => {
        document.querySelectorAll('.dwell[data-start]').forEach((el) => {
            el.querySelector('.dwell-time').textContent = humanizeDuration((Date.now() - Number(el.dataset.start)) / 1000);
        });
    }, 1000);
    return () => {
        clearInterval(timer);
        stop();
    };
}

/** "Dwell: 34 min 5 s" counting up from the episode start: the alert opened when dwell reached the fence's limit. */
function dwellClock(feature, fences) {
    const p = feature.properties;
    if (p.type !== 'LOITER') return null;
    const fence = fences.fences().find((f) => String(f.properties.id) === String(p.fenceId));
    const limitMinutes = (fence && fence.properties.dwellMinutes) || p.dwellMinutes || 0;
    const start = new Date(p.openedAt).getTime() - limitMinutes * 60000;
    return h('span', { class: 'dwell', dataset: { start: String(start) } }, `${t('dwell')}: `, h('span', { class: 'dwell-time' }, humanizeDuration((Date.now() - start) / 1000)));
}
