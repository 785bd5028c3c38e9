// The admin's subjects: the list (by kind), registering a ward with guardians or an officer with unit and travel
// mode, and changing one (POST and PUT /api/subjects).

import { get, post, put, routes } from '../api.js';
import { ago, label, t } from '../i18n.js';
import { renderWhoLooked } from './audit.js';
import { checklist } from './checklist.js';
import { h, replace } from './dom.js';
import { clearErrors, input, numberOf, row, select, showError, showOk, showRow, textOf } from './form.js';

export const SUBJECT_KINDS = ['WARD', 'GUARDIAN', 'OFFICER', 'VISITOR'];
const STATUSES = ['AVAILABLE', 'BUSY', 'OFF_DUTY'];
const TRAVEL = ['', 'WALK', 'CAR', 'BOAT'];
const UNITS = ['POLICE', 'FISHERIES'];

/** The request body for the form's values: only the members the kind has; kind itself only for a new subject. */
export function subjectBody(values, isNew) {
    const body = { name: values.name, phone: values.phone };
    if (isNew) body.kind = values.kind;
    if (values.kind === 'WARD') Object.assign(body, { guardians: values.guardians, offlineMinutes: values.offlineMinutes });
    if (isNew && values.kind === 'WARD' && (values.consentBy || values.consentVersion)) {
        body.consent = { by: values.consentBy, textVersion: values.consentVersion };
    }
    if (values.kind === 'OFFICER') Object.assign(body, { unit: values.unit, status: values.status, travelMode: values.travelMode });
    return body;
}

/** Renders the subjects panel into el; returns {refresh()}. */
export function renderSubjects(el) {
    const kindFilter = select('subject-filter', 'kind', ['', ...SUBJECT_KINDS], (k) => (k ? label('subjectKind', k) : t('allKinds')));
    const list = h('ul', { class: 'record-list', id: 'subject-list', 'aria-label': t('subjects') });
    const kind = select('subject-kind', 'kind', SUBJECT_KINDS, (k) => label('subjectKind', k));
    const name = input('subject-name', 'name', { required: true, autocomplete: 'off' });
    const phone = input('subject-phone', 'phone', { type: 'tel', autocomplete: 'off', placeholder: '+8613800000000' });
    const offline = input('subject-offline', 'offlineMinutes', { type: 'number', min: '1', placeholder: '30' });
    const consentBy = input('subject-consent-by', 'consent.by', { autocomplete: 'off' });
    const consentVersion = input('subject-consent-version', 'consent.textVersion', { autocomplete: 'off', placeholder: '2026-12' });
    const guardians = checklist('subject-guardians', t('guardians'), 'guardians', t('guardiansHint'));
    const unit = input('subject-unit', 'unit', { list: 'subject-units', autocomplete: 'off', value: UNITS[0] });
    const status = select('subject-status', 'status', STATUSES, (s) => label('officerStatus', s));
    const travel = select('subject-travel', 'travelMode', TRAVEL, (m) => (m ? label('travel', m) : t('notSet')));
    const heading = h('h3', { id: 'subject-form-title' });
    const message = h('div', { class: 'form-error', role: 'alert', id: 'subject-message' });
    const looked = h('section', { class: 'who-looked', id: 'subject-who-looked', 'aria-labelledby': 'who-looked-title', hidden: true });
    const form = h('form', { class: 'stacked-form', id: 'subject-form', 'aria-labelledby': 'subject-form-title' },
        heading,
        row(kind, t('kind')), row(name, t('name')), row(phone, t('phone')),
        row(offline, t('offlineMinutes')), guardians.element,
        row(consentBy, t('consentBy')), row(consentVersion, t('consentVersion')),
        row(unit, t('unit')), h('datalist', { id: 'subject-units' }, UNITS.map((u) => h('option', { value: u }, label('unit', u)))),
        row(status, t('status')), row(travel, t('travelMode')),
        message,
        h('div', { class: 'buttons' },
            h('button', { type: 'button', id: 'subject-new', onclick: () => edit(null) }, t('newSubject')),
            h('button', { type: 'submit', class: 'primary', id: 'subject-save' }, t('save'))));
    let editing = null; // the subject being changed, or null for a new one

    const showFor = () => {
        const k = kind.value;
        showRow(offline, k === 'WARD');
        [consentBy, consentVersion].forEach((c) => showRow(c, k === 'WARD' && !editing));
        guardians.element.hidden = k !== 'WARD';
        [unit, status, travel].forEach((c) => showRow(c, k === 'OFFICER'));
    };
    kind.addEventListener('change', showFor);
    const edit = (subject) => {
        editing = subject;
        clearErrors(form, message);
        const s = subject || { kind: kind.value };
        heading.textContent = subject ? t('editingSubject', subject.name) : t('newSubject');
        kind.value = s.kind;
        kind.disabled = Boolean(subject);
        name.value = s.name || '';
        phone.value = s.phone || '';
        offline.value = s.offlineMinutes ?? '';
        guardians.set(s.guardians || []);
        consentBy.value = '';
        consentVersion.value = '';
        unit.value = s.unit || UNITS[0];
        status.value = s.status || 'AVAILABLE';
        travel.value = s.travelMode || '';
        showFor();
        looked.hidden = !(subject && subject.kind === 'WARD');
        if (!looked.hidden) renderWhoLooked(looked, subject.id);
        if (subject) name.focus();
    };
    const loadGuardians = () => get(routes.subjects('GUARDIAN')).then((g) => guardians.setItems(g)).catch(() => guardians.setItems([]));
    let latest = 0; // a slower, older answer must not overwrite the list for the filter chosen since
    const refresh = async () => {
        const mine = ++latest;
        loadGuardians();
        let subjects;
        try {
            subjects = await get(routes.subjects(kindFilter.value || null));
            if (mine !== latest) return;
        } catch (e) {
            replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
            return;
        }
        // the server lists oldest first; the one just registered is wanted first
        replace(list, subjects.length === 0 ? h('li', { class: 'empty' }, t('noneFound')) : [...subjects].reverse().map((s) =>
            h('li', { class: 'record', dataset: { subjectId: s.id } },
                h('div', {}, h('b', {}, s.name), ' ', h('span', { class: 'tag' }, label('subjectKind', s.kind))),
                h('small', {}, [
                    s.phone,
                    s.unit && label('unit', s.unit),
                    s.status && label('officerStatus', s.status),
                    s.travelMode && label('travel', s.travelMode),
                    s.guardians && s.guardians.length ? `${t('guardians')}: ${s.guardians.length}` : null,
                    s.kind === 'WARD' ? (s.consent ? t('consented', s.consent.textVersion) : t('noConsent')) : null,
                    `${t('lastSeen')}: ${s.lastSeen ? ago(s.lastSeen.time) : t('never')}`,
                ].filter(Boolean).join(' · ')),
                h('button', { type: 'button', class: 'edit', 'aria-label': `${t('edit')} ${s.name}`, onclick: () => edit(s) }, t('edit')))));
    };
    kindFilter.addEventListener('change', refresh);
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const values = {
            kind: kind.value, name: name.value.trim(), phone: textOf(phone), offlineMinutes: numberOf(offline),
            guardians: guardians.value(), unit: textOf(unit), status: status.value, travelMode: travel.value || null,
            consentBy: textOf(consentBy), consentVersion: textOf(consentVersion),
        };
        try {
            const saved = editing ? await put(routes.subject(editing.id), subjectBody(values, false)) : await post(routes.subjects(), subjectBody(values, true));
            edit(editing ? saved : null);
            showOk(form, message, t('savedSubject', saved.name));
            refresh();
        } catch (e) {
            showError(form, message, e);
        }
    });
    el.append(h('section', { class: 'panel', id: 'subjects-admin', 'aria-labelledby': 'subjects-title' },
        h('h2', { id: 'subjects-title' }, t('subjects')),
        h('div', { class: 'form-row' }, h('label', { for: 'subject-filter' }, t('kind')), kindFilter),
        list, form, looked));
    edit(null);
    refresh();
    return { refresh };
}
