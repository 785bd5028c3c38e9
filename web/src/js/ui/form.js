// Labelled form controls and the server's answer shown next to them: a problem document's field errors go under the
// control whose data-field names that field (or the part of it: properties.active.daily for …daily.from).

import { ApiError } from '../api.js';
import { t } from '../i18n.js';
import { announce, h, replace } from './dom.js';

/**
 * A label, its control and a slot for the control's error, for a two-column form grid. field is the JSON path the
 * server names in its errors (defaults to the control's name).
 */
export function row(control, labelText, field = control.name) {
    if (field) control.dataset.field = field;
    const error = h('p', { class: 'field-error', id: `${control.id}-error` });
    return h('div', { class: 'form-row', dataset: { rowOf: control.id } }, h('label', { for: control.id }, labelText), control, error);
}

/** An input with id, name and further attributes. */
export function input(id, name, attrs = {}) {
    return h('input', { id, name, ...attrs });
}

/** A select of values, each labelled by labelOf(value). */
export function select(id, name, values, labelOf, attrs = {}) {
    return h('select', { id, name, ...attrs }, values.map((v) => h('option', { value: v }, labelOf(v))));
}

/** The number in an input, or null when it is empty. */
export function numberOf(control) {
    const text = control.value.trim();
    return text === '' ? null : Number(text);
}

/** The text of an input, or null when it is blank. */
export function textOf(control) {
    const text = control.value.trim();
    return text === '' ? null : text;
}

/** Shows or hides the row that holds control. */
export function showRow(control, visible) {
    const rowEl = control.closest('.form-row') || control;
    rowEl.hidden = !visible;
}

/** Removes every error shown in form and empties message. */
export function clearErrors(form, message) {
    form.querySelectorAll('[aria-invalid]').forEach((el) => {
        el.removeAttribute('aria-invalid');
        el.removeAttribute('aria-describedby');
    });
    form.querySelectorAll('.field-error').forEach((el) => (el.textContent = ''));
    message.classList.remove('ok');
    replace(message);
}

/** The control in form whose data-field is field or the longest leading part of it. */
function controlFor(form, field) {
    if (!field) return null;
    let best = null;
    form.querySelectorAll('[data-field]').forEach((el) => {
        const own = el.dataset.field;
        const covers = field === own || field.startsWith(`${own}.`) || field.startsWith(`${own}[`);
        if (covers && (!best || own.length > best.dataset.field.length)) best = el;
    });
    return best;
}

/**
 * Shows a failed request in form: each field error under its control (marked aria-invalid) and, in message, a
 * summary naming each field by its label; other failures as their detail.
 */
export function showError(form, message, error) {
    clearErrors(form, message);
    const faults = error instanceof ApiError ? error.fieldErrors : [];
    if (faults.length === 0) {
        replace(message, error instanceof ApiError ? error.message : `${t('error')}: ${error.message}`);
        announce(message.textContent);
        return;
    }
    const lines = faults.map(({ field, message: text }) => {
        const control = controlFor(form, field);
        if (!control) return field ? `${field}: ${text}` : text;
        const slot = form.querySelector(`#${CSS.escape(control.id)}-error`);
        if (slot) {
            slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
            control.setAttribute('aria-describedby', slot.id);
        }
        control.setAttribute('aria-invalid', 'true');
        const label = form.querySelector(`label[for="${CSS.escape(control.id)}"], #${CSS.escape(control.id)} > legend`);
        return `${label ? label.textContent : field}: ${text}`;
    });
    replace(message, h('b', {}, t('fixFields')), h('ul', {}, lines.map((line) => h('li', {}, line))));
    announce(`${t('fixFields')} ${lines.join('; ')}`);
    const first = form.querySelector('[aria-invalid]');
    if (first && first.focus) first.focus();
}

/** Clears form's errors and shows text in message as a success. */
export function showOk(form, message, text) {
    clearErrors(form, message);
    replace(message, text);
    message.classList.add('ok');
    announce(text);
}
