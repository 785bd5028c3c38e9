// The alert queue: one row per active alert, most severe and oldest first, ages counting up.

import { severityOf } from '../alerts.js';
import { ago, t } from '../i18n.js';
import { h, replace } from './dom.js';

/**
 * Renders the queue of store into el; onSelect(id) when a row is chosen. extra(feature) may add content to a
 * row (the fisheries view adds the dwell time). Returns a function that stops it.
 */
export function renderQueue(el, store, onSelect, extra = () => null) {
    const list = h('ol', { class: 'queue', id: 'alert-queue', 'aria-label': t('alertQueue') });
    const section = h('section', { class: 'panel' }, h('h2', {}, t('alertQueue'), ' ', h('span', { class: 'count', id: 'alert-count' }, '0')), list);
    el.append(section);
    let selected = null;
    const draw = (alerts) => {
        section.querySelector('#alert-count').textContent = String(alerts.length);
        if (alerts.length === 0) {
            replace(list, h('li', { class: 'empty' }, t('noAlerts')));
            return;
        }
        replace(
            list,
            alerts.map((f) => {
                const p = f.properties;
                const severity = severityOf(p.type);
                return h(
                    'li',
                    {},
                    h(
                        'button',
                        {
                            type: 'button',
                            class: `queue-item severity-${severity} status-${p.status.toLowerCase()}${String(p.id) === selected ? ' selected' : ''}`,
                            dataset: { alertId: String(p.id), type: p.type },
                            'aria-pressed': String(String(p.id) === selected),
                            onclick: () => {
                                selected = String(p.id);
                                onSelect(String(p.id));
                                draw(store.list());
                            },
                        },
                        h('span', { class: `badge type-${p.type.toLowerCase()}` }, t(`type.${p.type}`)),
                        h('span', { class: `severity sev-${severity}` }, t(`severity.${severity}`)),
                        h('span', { class: 'subject-name' }, p.subjectName || `#${p.subjectId}`),
                        h('span', { class: 'status' }, t(`status.${p.status}`)),
                        h('time', { class: 'age', datetime: p.openedAt, dataset: { since: p.openedAt } }, ago(p.openedAt)),
                        p.fenceName ? h('span', { class: 'fence-name' }, p.fenceName) : null,
                        extra(f),
                    ),
                );
            }),
        );
    };
    const unsubscribe = store.subscribe(draw);
    draw(store.list());
    const ticker = setInterval(() => {
        list.querySelectorAll('time[data-since]').forEach((el) => (el.textContent = ago(el.dataset.since)));
    }, 1000);
    return {
        select(id) {
            selected = String(id);
            draw(store.list());
        },
        stop() {
            unsubscribe();
            clearInterval(ticker);
        },
    };
}
