// One alert in detail: what, who, where, the timeline, the evidence photo, the nearest officers and the actions.

import { ApiError, get, post, routes } from '../api.js';
import { ago, formatDistance, formatTime, humanizeDuration, label, language, t } from '../i18n.js';
import { announce, h, replace } from './dom.js';
import { raiseForm } from './work-order-report.js';

const OUTCOMES = ['FOUND', 'RETURNED', 'WARNED', 'FINED', 'FALSE_ALARM'];

/**
 * Shows alert id in el. options: canAssign, canAck, canResolve, canRaiseWorkOrder; onChange(feature) after an action
 * changed it; onClose(); onOpenWorkOrder(id) opens a work order's page (offered for a work order and the ones raised
 * from this alert).
 */
export async function renderDetail(el, id, options) {
    replace(el, h('p', { class: 'loading' }, '…'));
    let alert;
    try {
        alert = await get(routes.alert(id));
    } catch (e) {
        replace(el, h('p', { class: 'form-error', role: 'alert' }, `${t('error')}: ${e.message}`));
        return;
    }
    const p = alert.properties || alert;
    const timeline = alert.timeline || [];
    // the timeline's newest dispatch step names the officer; the alert itself carries only the id
    const officerStep = [...timeline].reverse().find((e) => e.detail && e.detail.officerId === p.assignedOfficerId);
    const officerName = officerStep ? officerStep.detail.officerName : null;
    if (options.onLoaded) options.onLoaded(alert);
    const reload = async () => {
        const fresh = await get(routes.alert(id));
        if (options.onLoaded) options.onLoaded(fresh);
        options.onChange(fresh);
        renderDetail(el, id, options);
    };
    const openOrder = (orderId) => h('button', { type: 'button', class: 'link open-work-order', dataset: { workOrderId: String(orderId) },
        onclick: () => options.onOpenWorkOrder(orderId) }, t('openWorkOrder', orderId));
    const act = async (path, body) => {
        try {
            await post(path, body);
            const fresh = await get(routes.alert(id));
            if (options.onLoaded) options.onLoaded(fresh);
            options.onChange(fresh);
            renderDetail(el, id, options);
        } catch (e) {
            announce(e instanceof ApiError ? e.message : `${t('error')}: ${e.message}`);
            el.querySelector('.action-error').textContent = e.message;
        }
    };
    const outcome = h('select', { id: 'resolve-outcome' }, OUTCOMES.map((o) => h('option', { value: o }, t(`outcome.${o}`))));
    const note = h('input', { id: 'resolve-note', type: 'text' });
    replace(
        el,
        h(
            'section',
            { class: 'panel detail', id: 'alert-detail', dataset: { alertId: String(p.id) }, 'aria-labelledby': 'detail-title' },
            h('div', { class: 'detail-head' }, h('h2', { id: 'detail-title' }, t(`type.${p.type}`), ' · ', p.subjectName || `#${p.subjectId}`),
                h('button', { type: 'button', class: 'close', 'aria-label': t('close'), onclick: options.onClose }, '×')),
            h(
                'dl',
                { class: 'facts' },
                h('dt', {}, t('status')),
                h('dd', { id: 'detail-status' }, t(`status.${p.status}`)),
                p.fenceName || p.fenceId ? [h('dt', {}, t('fence')), h('dd', {}, p.fenceName || `#${p.fenceId}`)] : null,
                h('dt', {}, t('opened')),
                h('dd', {}, formatTime(p.openedAt), ' (', ago(p.openedAt), ')'),
                p.assignedOfficerId ? [h('dt', {}, t('assignedOfficer')), h('dd', { id: 'detail-officer' }, officerName || `#${p.assignedOfficerId}`,
                    officerStep && officerStep.detail.unit ? h('small', {}, ` ${label('unit', officerStep.detail.unit)}`) : null)] : null,
                p.lastFixAt ? [h('dt', {}, t('lastFix')), h('dd', {}, formatTime(p.lastFixAt), ' (', ago(p.lastFixAt), ')')] : null,
                p.outcome ? [h('dt', {}, t('outcome')), h('dd', {}, label('outcome', p.outcome))] : null,
                // the evaluator's detail is English free text ("left …", "in … since …"): shown only in English
                p.detail && language() === 'en' ? [h('dt', {}, t('detail')), h('dd', {}, p.detail)] : null,
                p.note ? [h('dt', {}, t('note')), h('dd', {}, p.note)] : null,
            ),
            p.evidenceUrl ? h('figure', { class: 'evidence' }, h('img', { src: p.evidenceUrl, alt: t('evidence') }), h('figcaption', {}, t('evidence'))) : null,
            h('div', { class: 'actions' },
                options.canAck && p.status === 'OPEN' ? h('button', { type: 'button', id: 'ack', onclick: () => act(routes.ack(id)) }, t('acknowledge')) : null),
            options.canResolve && p.status !== 'RESOLVED'
                ? h('form', { class: 'resolve', onsubmit: (e) => { e.preventDefault(); act(routes.resolve(id), { outcome: outcome.value, note: note.value }); } },
                    h('label', { for: 'resolve-outcome' }, t('outcome')), outcome,
                    h('label', { for: 'resolve-note' }, t('note')), note,
                    h('button', { type: 'submit', id: 'resolve' }, t('resolve')))
                : null,
            h('p', { class: 'action-error form-error', role: 'alert' }),
            p.type === 'WORK_ORDER' && options.onOpenWorkOrder
                ? h('button', { type: 'button', id: 'open-work-order-page', onclick: () => options.onOpenWorkOrder(p.id) }, t('openThisWorkOrder')) : null,
            options.canRaiseWorkOrder && p.type !== 'WORK_ORDER' ? raiseForm(p, () => reload().catch(() => {})) : null,
            options.canAssign && (p.status === 'OPEN' || p.status === 'ACKNOWLEDGED') ? h('div', { class: 'officers', id: 'nearest-officers' }, h('h3', {}, t('nearestOfficers')), h('p', {}, '…')) : null,
            h('h3', {}, t('timeline')),
            h('ol', { class: 'timeline', id: 'timeline' }, timeline.map((e) =>
                h('li', { dataset: { action: e.action } }, h('time', { datetime: e.at }, formatTime(e.at)), ' ', h('b', {}, label('action', e.action)),
                    ' · ', e.actor === 'system' ? t('system') : e.actor,
                    e.detail && e.detail.officerName ? ` · ${e.detail.officerName}` : '',
                    e.status ? ` → ${t(`status.${e.status}`)}` : '',
                    e.detail && e.detail.workOrderId ? [' · ', options.onOpenWorkOrder ? openOrder(e.detail.workOrderId) : `#${e.detail.workOrderId}`] : null))),
        ),
    );
    if (options.canAssign && (p.status === 'OPEN' || p.status === 'ACKNOWLEDGED')) renderOfficers(el.querySelector('#nearest-officers'), id, act);
}

async function renderOfficers(box, id, act) {
    let officers;
    try {
        officers = await get(routes.nearestOfficers(id, 5));
    } catch (e) {
        replace(box, h('h3', {}, t('nearestOfficers')), h('p', { class: 'form-error' }, e.message));
        return;
    }
    replace(
        box,
        h('h3', {}, t('nearestOfficers')),
        officers.length === 0
            ? h('p', {}, t('noOfficers'))
            : h('table', { class: 'officer-table' },
                h('thead', {}, h('tr', {}, h('th', {}, t('name')), h('th', {}, t('distance')), h('th', {}, t('eta')), h('th', {}, t('why')), h('th', {}, ''))),
                h('tbody', {}, officers.map((o) =>
                    h('tr', { class: o.stale ? 'stale' : '', dataset: { officerId: String(o.officerId) } },
                        h('td', {}, o.name, o.unit ? h('small', {}, ` ${label('unit', o.unit)}`) : null, o.stale ? h('small', { class: 'stale-note' }, ` (${t('stale')})`) : null),
                        h('td', {}, formatDistance(o.distanceMeters)),
                        h('td', {}, humanizeDuration(o.etaSeconds)),
                        h('td', { class: 'why', dataset: { reason: o.reason || 'NEAREST' }, title: o.why || '' }, whyText(o)),
                        h('td', {}, h('button', { type: 'button', class: 'assign primary', 'aria-label': `${t('assign')} ${o.name}`,
                            onclick: () => act(routes.assign(id), { officerId: String(o.officerId) }) }, t('assign'))))))),
    );
}

/** Why an officer is offered, in the console's language: the grid they are responsible for, or nearest; by river. */
function whyText(o) {
    const reason = o.reason === 'GRID_OFFICER' ? t('why.GRID_OFFICER', o.gridName, label('gridRole', o.gridRole)) : t('why.NEAREST');
    return o.route === 'RIVER' ? `${reason}; ${t('why.river', formatDistance(o.distanceMeters))}` : reason;
}
