// The admin's officer units: each unit with its officers by status, renamed, relabelled or deleted (a unit that still
// has officers is refused, and the server says how many); new units; officers moved between units.

import { del, get, post, put, routes } from '../api.js';
import { label, t } from '../i18n.js';
import '../strings/units.js';
import { h, replace } from './dom.js';
import { input, row, showError, showOk, textOf } from './form.js';

/** The name people read for unit u from GET /api/units: its stored label, else the console's own. */
export function unitLabel(u) {
    return u.label || label('unit', u.name);
}

/** Renders the units panel into el; returns {refresh()}. */
export function renderUnits(el) {
    const list = h('ul', { class: 'record-list unit-list', id: 'unit-list', 'aria-label': t('units') });
    const message = h('div', { class: 'form-error', role: 'alert', id: 'unit-message' });
    const listForm = h('form', { class: 'unit-list-form', id: 'unit-list-form', onsubmit: (e) => e.preventDefault() }, list, message);
    const name = input('unit-new-name', 'name', { required: true, autocomplete: 'off', spellcheck: 'false' });
    const labelInput = input('unit-new-label', 'label', { autocomplete: 'off' });
    const createMessage = h('div', { class: 'form-error', role: 'alert', id: 'unit-create-message' });
    const createForm = h('form', { class: 'stacked-form', id: 'unit-create-form' },
        h('h3', {}, t('newUnit')), row(name, t('unitName')), h('p', { class: 'hint' }, t('unitNameHint')), row(labelInput, t('unitLabel')),
        createMessage, h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'unit-create' }, t('createUnit'))));
    const officer = h('select', { id: 'unit-move-officer', name: 'officerIds' });
    const target = h('select', { id: 'unit-move-target', name: 'unit' });
    const moveMessage = h('div', { class: 'form-error', role: 'alert', id: 'unit-move-message' });
    const moveForm = h('form', { class: 'stacked-form', id: 'unit-move-form' },
        h('h3', {}, t('moveOfficer')), row(officer, t('officerToMove')), row(target, t('moveOfficerTo')),
        moveMessage, h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'unit-move' }, t('moveOfficerSubmit'))));
    let units = [];

    /** Runs a change; on success refreshes and says so, on failure shows the server's answer in form. */
    const change = async (form, slot, work, okText) => {
        try {
            await work();
            await refresh();
            showOk(form, slot, okText);
        } catch (e) {
            showError(form, slot, e);
        }
    };
    const unitItem = (u) => {
        const rename = input(`unit-rename-${u.name}`, 'name', { value: u.name, autocomplete: 'off', spellcheck: 'false', 'aria-label': `${t('newUnitName')} ${u.name}` });
        const relabel = input(`unit-label-${u.name}`, 'label', { value: u.label || '', autocomplete: 'off', placeholder: label('unit', u.name), 'aria-label': `${t('unitLabel')} ${u.name}` });
        return h('li', { class: 'record unit', dataset: { unit: u.name } },
            h('div', {}, h('b', { class: 'unit-label' }, unitLabel(u)), ' ', h('code', {}, u.name),
                u.configured ? h('span', { class: 'tag' }, t('configuredUnit')) : null),
            h('small', { class: 'unit-counts' }, t('unitCounts', u.officers, u.available, u.busy, u.offDuty)),
            h('div', { class: 'unit-edit' },
                relabel,
                h('button', { type: 'button', class: 'unit-relabel', onclick: () => change(listForm, message,
                    () => put(routes.unit(u.name), { label: textOf(relabel) }), t('savedUnit', u.name)) }, t('relabelUnit')),
                u.configured ? null : [rename,
                    h('button', { type: 'button', class: 'unit-rename', onclick: () => change(listForm, message,
                        () => put(routes.unit(u.name), { name: rename.value.trim() }), t('savedUnit', rename.value.trim())) }, t('renameUnit')),
                    h('button', { type: 'button', class: 'unit-delete danger', onclick: () => window.confirm(t('confirmDeleteUnit', u.name))
                        && change(listForm, message, () => del(routes.unit(u.name)), t('deletedUnit', u.name)) }, t('deleteUnit'))]));
    };
    const refresh = async () => {
        let officers;
        try {
            [units, officers] = await Promise.all([get(routes.units()), get(routes.subjects('OFFICER'))]);
        } catch (e) {
            replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
            return;
        }
        replace(list, units.map(unitItem));
        const [chosenOfficer, chosenUnit] = [officer.value, target.value];
        replace(officer, officers.map((o) => h('option', { value: String(o.id) }, `${o.name}${o.unit ? ` · ${o.unit}` : ''}`)));
        replace(target, units.map((u) => h('option', { value: u.name }, `${unitLabel(u)} (${u.name})`)));
        if (chosenOfficer) officer.value = chosenOfficer;
        if (chosenUnit) target.value = chosenUnit;
    };
    createForm.addEventListener('submit', (event) => {
        event.preventDefault();
        const unit = name.value.trim();
        change(createForm, createMessage, async () => {
            await post(routes.units(), { name: unit, label: textOf(labelInput) });
            name.value = '';
            labelInput.value = '';
        }, t('createdUnit', unit));
    });
    moveForm.addEventListener('submit', (event) => {
        event.preventDefault();
        const who = officer.selectedOptions[0] ? officer.selectedOptions[0].textContent.split(' · ')[0] : '';
        const into = target.value;
        change(moveForm, moveMessage, () => post(routes.unitOfficers(into), { officerIds: [officer.value] }), t('movedOfficer', who, into));
    });
    el.append(h('section', { class: 'panel', id: 'units-admin', 'aria-labelledby': 'units-title' },
        h('h2', { id: 'units-title' }, t('units')), listForm, createForm, moveForm));
    refresh();
    return { refresh };
}
