// Reporting a work order from the console (POST /api/work-orders): category, the place by a click on the map (or typed
// as longitude and latitude), a description, a photo URL and the person concerned; and raising one from an alert
// (POST /api/alerts/{id}/work-order), linked both ways. The server checks; its answer is shown next to the field.

import { L } from 'leaflet';
import { get, post, routes } from '../api.js';
import { label, t } from '../i18n.js';
import '../strings/workorders.js';
import { announce, h, replace } from './dom.js';
import { input, numberOf, row, select, showError, textOf } from './form.js';
import { CATEGORIES } from './work-order-page.js';

/** The category a work order raised from an alert of type starts with (the dispatcher may change it). */
export function categoryFor(type) {
    return { WANDER: 'CARE', OFFLINE: 'CARE', FALL: 'CARE', DOOR_OPEN: 'CARE', DANGER: 'SAFETY', SOS: 'SAFETY', GAS: 'SAFETY',
        SMOKE: 'SAFETY', WATER_LEAK: 'FACILITY', LOITER: 'ENVIRONMENT' }[type] || 'OTHER';
}

/**
 * The report form, hidden until opened: while it is open a click on map places the work order there. me is GET
 * /api/me (an account with its own subject may leave the person concerned empty). onReported(order) after a 201.
 * Returns {element, open(), close()}.
 */
export function reportForm(map, proj, me, onReported) {
    const category = select('wo-report-category', 'category', CATEGORIES, (c) => label('category', c), { required: true });
    const description = h('textarea', { id: 'wo-report-description', name: 'description', rows: 3 });
    const lon = input('wo-report-lon', 'lon', { type: 'number', step: 'any', min: -180, max: 180, inputmode: 'decimal', autocomplete: 'off' });
    const lat = input('wo-report-lat', 'lat', { type: 'number', step: 'any', min: -90, max: 90, inputmode: 'decimal', autocomplete: 'off' });
    const photo = input('wo-report-photo', 'photos', { type: 'url', autocomplete: 'off', placeholder: 'https://…' });
    const subject = h('select', { id: 'wo-report-subject', name: 'subjectId' });
    const message = h('div', { class: 'form-error', role: 'alert', id: 'wo-report-message' });
    const picked = h('p', { class: 'hint', id: 'wo-report-picked', 'aria-live': 'polite' }, t('locationHint'));
    const here = L.layerGroup();
    const place = (lonLat) => {
        here.clearLayers();
        if (!lonLat) return;
        L.circleMarker(proj.toLatLng(lonLat), { radius: 9, color: '#e8590c', weight: 3, fillOpacity: 0.4, className: 'work-order-new-place' }).addTo(here);
    };
    const onMapClick = (event) => {
        const [x, y] = proj.toLonLat(event.latlng);
        lon.value = x.toFixed(6);
        lat.value = y.toFixed(6);
        place([x, y]);
        replace(picked, t('pickedOnMap', lon.value, lat.value));
    };
    const typed = () => {
        const [x, y] = [numberOf(lon), numberOf(lat)];
        place(x != null && y != null ? [x, y] : null);
    };
    lon.addEventListener('change', typed);
    lat.addEventListener('change', typed);
    const form = h('form', { class: 'stacked-form work-order-report', id: 'wo-report', hidden: true, 'aria-labelledby': 'wo-report-title' },
        h('h3', { id: 'wo-report-title' }, t('reportWorkOrder')),
        row(category, t('category')),
        h('fieldset', { class: 'wo-report-place', id: 'wo-report-place' }, h('legend', {}, t('location')), picked,
            row(lon, t('longitude')), row(lat, t('latitude'))),
        row(description, t('description')),
        row(photo, t('photoUrl')),
        row(subject, t('subjectConcerned')),
        message,
        h('div', { class: 'buttons' },
            h('button', { type: 'button', id: 'wo-report-cancel', onclick: () => close() }, t('cancel')),
            h('button', { type: 'submit', class: 'primary', id: 'wo-report-submit' }, t('submitReport'))));
    const fillSubjects = async () => {
        const none = h('option', { value: '' }, me.subjectId != null ? t('subjectSelf') : t('subjectChoose'));
        try {
            const subjects = await get(routes.subjects());
            replace(subject, none, subjects.filter((s) => s.kind !== 'OFFICER').map((s) => h('option', { value: String(s.id) }, `${s.name} · ${label('subjectKind', s.kind)}`)));
        } catch {
            replace(subject, none);
        }
    };
    const open = () => {
        form.hidden = false;
        here.addTo(map);
        map.on('click', onMapClick);
        fillSubjects();
        category.focus();
    };
    const close = () => {
        form.hidden = true;
        map.off('click', onMapClick);
        here.remove();
        here.clearLayers();
        form.reset();
        replace(message);
        replace(picked, t('locationHint'));
    };
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const body = { category: category.value, lon: numberOf(lon), lat: numberOf(lat) };
        if (textOf(description)) body.description = textOf(description);
        if (textOf(photo)) body.photos = [textOf(photo)];
        if (subject.value) body.subjectId = subject.value;
        try {
            const order = await post(routes.workOrders(), body);
            close();
            announce(t('reportedWorkOrder', order.id));
            onReported(order);
        } catch (e) {
            showError(form, message, e);
        }
    });
    return { element: form, open, close };
}

/**
 * The form on an alert's panel that raises a work order from it (ADMIN, DISPATCHER): category (a guess from the alert
 * type) and description; onRaised(order) after the 201.
 */
export function raiseForm(alert, onRaised) {
    const category = select('raise-category', 'category', CATEGORIES, (c) => label('category', c));
    category.value = categoryFor(alert.type);
    const description = input('raise-description', 'description', { autocomplete: 'off',
        placeholder: t('raiseDescriptionDefault', `from ${alert.type} alert ${alert.id}`) }); // the server's words when empty
    const message = h('div', { class: 'form-error', role: 'alert', id: 'raise-message' });
    const form = h('form', { class: 'stacked-form raise-work-order', id: 'raise-work-order' },
        h('fieldset', {}, h('legend', {}, t('raiseWorkOrder')), row(category, t('category')), row(description, t('description')), message,
            h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'raise-submit' }, t('raiseWorkOrderSubmit')))));
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
            const order = await post(routes.alertWorkOrder(alert.id), { category: category.value, ...(textOf(description) ? { description: textOf(description) } : {}) });
            announce(t('workOrderRaised', order.id));
            onRaised(order);
        } catch (e) {
            showError(form, message, e);
        }
    });
    return form;
}
