// One work order's page: what, where (shown on the map), its deadline, every step of its timeline with who and
// when, and the steps the user may take next: analyse, order to a unit or an officer, follow up, feedback, evaluate.

import { L } from 'leaflet';
import { get, post, routes } from '../api.js';
import { formatDistance, formatTime, humanizeDuration, label, t } from '../i18n.js';
import { h, replace } from './dom.js';
import { input, row, select, showError, textOf } from './form.js';

export const CATEGORIES = ['SAFETY', 'CARE', 'WATER_SAFETY', 'ENVIRONMENT', 'FACILITY', 'DISPUTE', 'OTHER'];
const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** 'met', 'late' or 'open': how a work order stands against its deadline (late as soon as an open one is overdue). */
export function deadlineState(order, now = Date.now()) {
    if (order.deadlineMet === true) return 'met';
    if (order.deadlineMet === false || new Date(order.deadline).getTime() < now) return 'late';
    return 'open';
}

/** A badge saying how the work order stands against its deadline. */
export function deadlineBadge(order) {
    const state = deadlineState(order);
    const text = state === 'met' ? t('deadlineMet') : state === 'late' ? t('deadlineLate')
        : t('deadlineOpen', humanizeDuration((new Date(order.deadline).getTime() - Date.now()) / 1000));
    return h('span', { class: `deadline deadline-${state}`, dataset: { deadline: state }, title: formatTime(order.deadline) }, text);
}

/** Who may take which step of order, for me (GET /api/me): the server decides, the console offers only these. */
export function allowedSteps(order, me) {
    const roles = me.roles || [];
    const dispatcher = roles.includes('ADMIN') || roles.includes('DISPATCHER');
    const ownOfficer = me.subjectId != null && order.officerId != null && String(order.officerId) === String(me.subjectId);
    const open = order.status !== 'RESOLVED';
    return {
        analyse: dispatcher && open,
        orderToUnit: dispatcher && open,
        orderToOfficer: dispatcher && open,
        followUp: (dispatcher || ownOfficer) && open,
        feedback: (dispatcher || ownOfficer) && open,
        evaluate: !open && order.rating == null && (dispatcher || me.username === order.reporter),
    };
}

/** A timeline step's detail in words: category, severity, unit, officer, note, result, rating, comment. */
function stepDetail(detail) {
    if (!detail) return '';
    return [
        detail.category ? label('category', detail.category) : null,
        detail.severity ? label('severity', detail.severity) : null,
        detail.unit ? label('unit', detail.unit) : null,
        detail.officerName || null,
        detail.note || null,
        detail.result || null,
        detail.rating != null ? '★'.repeat(Number(detail.rating)) : null,
        detail.comment || null,
    ].filter(Boolean).join(' · ');
}

/**
 * Renders work order id into el. options: map, proj, me, onBack(), onChange() after a step. The order's place is
 * marked on the map while the page is open.
 */
export async function renderWorkOrderPage(el, id, options) {
    const { map, proj } = options;
    if (el.workOrderLayer) el.workOrderLayer.remove();
    const here = L.layerGroup().addTo(map);
    el.workOrderLayer = here;
    replace(el, h('p', { class: 'loading' }, '…'));
    let order;
    try {
        order = await get(routes.workOrder(id));
    } catch (e) {
        replace(el, h('p', { class: 'form-error', role: 'alert' }, `${t('error')}: ${e.message}`),
            h('button', { type: 'button', id: 'work-order-back', onclick: options.onBack }, t('back')));
        return;
    }
    const where = proj.toLatLng([order.lon, order.lat]);
    L.circleMarker(where, { radius: 11, color: '#e8590c', weight: 3, fillOpacity: 0.3, className: 'work-order-here' })
        .bindTooltip(label('category', order.category)).addTo(here);
    map.setView(where, Math.max(map.getZoom(), 15));
    const back = () => {
        here.remove();
        el.workOrderLayer = null;
        options.onBack();
    };
    const done = () => {
        options.onChange();
        renderWorkOrderPage(el, id, options);
    };
    const steps = allowedSteps(order, options.me);
    const fact = (key, value) => (value == null || value === '' ? null : [h('dt', {}, t(key)), h('dd', { dataset: { fact: key } }, value)]);
    replace(el, h('article', { class: 'work-order-page', id: 'work-order-page', dataset: { workOrderId: String(order.id), status: order.status } },
        h('div', { class: 'detail-head' },
            h('h3', { id: 'work-order-title' }, t('workOrderTitle', order.id), ' · ', label('category', order.category)),
            h('button', { type: 'button', id: 'work-order-back', onclick: back }, t('back'))),
        h('dl', { class: 'facts' },
            fact('status', label('status', order.status)),
            fact('severity', order.severity ? label('severity', order.severity) : null),
            fact('description', order.description),
            fact('source', label('source', order.source)),
            fact('reporter', order.reporter),
            fact('grid', order.gridName),
            fact('unit', order.unit ? label('unit', order.unit) : null),
            fact('officer', order.officerId ? officerName(order) : null),
            fact('opened', formatTime(order.openedAt)),
            [h('dt', {}, t('deadline')), h('dd', { id: 'work-order-deadline' }, formatTime(order.deadline), ' ', deadlineBadge(order))],
            fact('result', order.result),
            fact('rating', order.rating != null ? t('ratingBy', order.rating, order.ratedBy) : null)),
        h('button', { type: 'button', class: 'link', id: 'work-order-locate', onclick: () => map.setView(where, Math.max(map.getZoom(), 15)) }, t('showOnMap')),
        order.photos.length || order.resultPhoto
            ? h('div', { class: 'work-order-photos' }, [...order.photos, order.resultPhoto].filter(Boolean).map((src) => h('img', { src, alt: t('photos'), loading: 'lazy' })))
            : null,
        h('h4', {}, t('timeline')),
        h('ol', { class: 'timeline', id: 'work-order-timeline' }, order.timeline.map((s) =>
            h('li', { dataset: { action: s.action } },
                h('time', { datetime: s.at }, formatTime(s.at)), ' ',
                h('b', {}, s.action === 'OPENED' ? t('reported') : label('action', s.action)),
                ' · ', h('span', { class: 'actor' }, s.actor === 'system' ? t('system') : s.actor),
                s.status ? ` → ${label('status', s.status)}` : '',
                h('small', { class: 'step-detail' }, ` ${stepDetail(s.detail)}`)))),
        h('div', { class: 'work-order-actions', id: 'work-order-actions' },
            steps.analyse ? analyseForm(order, done) : null,
            steps.orderToUnit ? unitForm(order, done) : null,
            steps.orderToOfficer ? officerForm(order, done) : null,
            steps.followUp ? textForm('follow-up', t('followUp'), [['note', t('followUpNote'), true]], order, done) : null,
            steps.feedback ? textForm('feedback', t('feedback'), [['result', t('result'), true], ['photo', t('feedbackPhoto'), false]], order, done) : null,
            steps.evaluate ? evaluateForm(order, done) : null)));
}

/** The assigned officer's name from the newest step that names them, else their id. */
function officerName(order) {
    const step = [...order.timeline].reverse().find((s) => s.detail && s.detail.officerName && String(s.detail.officerId) === String(order.officerId));
    return step ? step.detail.officerName : `#${order.officerId}`;
}

/** A step's form: legend, controls, a message slot; on submit posts body() to the step and calls done(). */
function stepForm(key, title, controls, path, body, done) {
    const message = h('div', { class: 'form-error', role: 'alert', id: `wo-${key}-message` });
    const form = h('form', { class: 'stacked-form work-order-step', id: `wo-${key}` },
        h('fieldset', {}, h('legend', {}, title), controls, message,
            h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: `wo-${key}-submit` }, title))));
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
            await post(path, body());
            done();
        } catch (e) {
            showError(form, message, e);
        }
    });
    return form;
}

function analyseForm(order, done) {
    const category = select('wo-analyse-category', 'category', CATEGORIES, (c) => label('category', c));
    const severity = select('wo-analyse-severity', 'severity', SEVERITIES, (s) => label('severity', s));
    category.value = order.category;
    severity.value = order.severity || 'MEDIUM';
    return stepForm('analyse', t('analyse'), [row(category, t('category')), row(severity, t('severity'))],
        routes.workOrderStep(order.id, 'analysis'), () => ({ category: category.value, severity: severity.value }), done);
}

function unitForm(order, done) {
    const unit = h('select', { id: 'wo-order-unit', name: 'unit' });
    get(routes.units()).then((units) => {
        replace(unit, units.map((u) => h('option', { value: u.name }, u.label || label('unit', u.name))));
        if (order.unit) unit.value = order.unit;
    }).catch(() => {});
    return stepForm('order', t('orderToUnit'), [row(unit, t('unit'))], routes.workOrderStep(order.id, 'order'), () => ({ unit: unit.value }), done);
}

function officerForm(order, done) {
    const officer = h('select', { id: 'wo-assign-officer', name: 'officerId' });
    get(routes.nearestOfficers(order.id, 10)).then((officers) => {
        replace(officer, officers.length === 0 ? h('option', { value: '' }, t('noOfficersForOrder')) : officers.map((o) =>
            h('option', { value: String(o.officerId) }, `${o.name}${o.unit ? ` · ${label('unit', o.unit)}` : ''} · ${formatDistance(o.distanceMeters)}`)));
    }).catch(() => replace(officer, h('option', { value: '' }, t('noOfficersForOrder'))));
    return stepForm('assign', t('orderToOfficer'), [row(officer, t('officer'))], routes.assign(order.id), () => ({ officerId: officer.value }), done);
}

/** A form of text inputs [name, label, required]; empty optional ones are left out of the body. */
function textForm(step, title, fields, order, done) {
    const controls = fields.map(([name, text, required]) => [input(`wo-${step}-${name}`, name, { required, autocomplete: 'off' }), text]);
    const body = () => Object.fromEntries(controls.map(([c]) => [c.name, textOf(c)]).filter(([, v]) => v != null));
    return stepForm(step, title, controls.map(([c, text]) => row(c, text)), routes.workOrderStep(order.id, step), body, done);
}

function evaluateForm(order, done) {
    const rating = select('wo-evaluate-rating', 'rating', ['5', '4', '3', '2', '1'], (r) => '★'.repeat(Number(r)));
    const comment = input('wo-evaluate-comment', 'comment', { autocomplete: 'off' });
    return stepForm('evaluate', t('evaluate'), [row(rating, t('rating')), row(comment, t('comment'))],
        routes.workOrderStep(order.id, 'evaluation'), () => ({ rating: Number(rating.value), ...(textOf(comment) ? { comment: textOf(comment) } : {}) }), done);
}
