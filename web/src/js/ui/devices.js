// The admin's devices: the registry (GET /api/devices), registering one for a subject with its token shown once,
// removing one, and the devices that tried to report unregistered, each claimable into the register form.

import { del, get, post, routes } from '../api.js';
import { ago, formatTime, label, t } from '../i18n.js';
import { h, replace } from './dom.js';
import { clearErrors, input, row, select, showError, showOk } from './form.js';
import { SUBJECT_KINDS } from './subjects.js';

const PROTOCOLS = ['JSON', 'OSMAND', 'OWNTRACKS', 'GT06'];

/** Renders the devices panel into el; returns {refresh()}. */
export function renderDevices(el) {
    const list = h('ul', { class: 'record-list', id: 'device-list', 'aria-label': t('devices') });
    const unknownList = h('ul', { class: 'record-list', id: 'unknown-devices', 'aria-label': t('unknownDevices') });
    const uniqueId = input('device-unique-id', 'uniqueId', { required: true, autocomplete: 'off', spellcheck: 'false' });
    const protocol = select('device-protocol', 'protocol', PROTOCOLS, (p) => label('protocol', p));
    const subject = h('select', { id: 'device-subject', name: 'subjectId', required: true });
    const message = h('div', { class: 'form-error', role: 'alert', id: 'device-message' });
    const tokenBox = h('div', { id: 'device-token', class: 'token-box', hidden: true });
    const form = h('form', { class: 'stacked-form', id: 'device-form', 'aria-labelledby': 'device-form-title' },
        h('h3', { id: 'device-form-title' }, t('registerDevice')),
        row(uniqueId, t('uniqueId')), row(protocol, t('protocol')), row(subject, t('subject')),
        message,
        h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'device-save' }, t('register'))));
    let names = new Map();

    const fillSubjects = (subjects) => {
        const chosen = subject.value;
        names = new Map(subjects.map((s) => [String(s.id), s.name]));
        replace(subject, h('option', { value: '' }, t('chooseSubject')), SUBJECT_KINDS.map((kind) =>
            h('optgroup', { label: label('subjectKind', kind) },
                subjects.filter((s) => s.kind === kind).map((s) => h('option', { value: s.id }, s.name)))));
        subject.value = chosen;
    };
    // newest first (the server lists oldest first)
    const drawDevices = (devices) => replace(list, devices.length === 0 ? h('li', { class: 'empty' }, t('noneFound')) : [...devices].reverse().map((d) =>
        h('li', { class: 'record', dataset: { deviceId: d.id, uniqueId: d.uniqueId } },
            h('div', {}, h('b', { class: 'mono' }, d.uniqueId), ' ', h('span', { class: 'tag' }, label('protocol', d.protocol))),
            h('small', {}, `${t('subject')}: ${names.get(d.subjectId) || `#${d.subjectId}`} · ${t('lastSeen')}: ${d.lastSeenAt ? ago(d.lastSeenAt) : t('never')}`),
            h('button', { type: 'button', class: 'danger', 'aria-label': `${t('delete')} ${d.uniqueId}`, onclick: () => remove(d) }, t('delete')))));
    const drawUnknown = (unknown) => replace(unknownList, unknown.length === 0 ? h('li', { class: 'empty' }, t('noUnknownDevices')) : unknown.map((u) =>
        h('li', { class: 'record', dataset: { uniqueId: u.uniqueId } },
            h('div', {}, h('b', { class: 'mono' }, u.uniqueId), ' ', h('span', { class: 'tag' }, label('protocol', u.protocol))),
            h('small', {}, `${t('lastTried')}: ${formatTime(u.lastSeen)} · ${t('attempts', u.attempts)}${u.remote ? ` · ${u.remote}` : ''}`),
            h('button', { type: 'button', class: 'claim', 'aria-label': `${t('claim')} ${u.uniqueId}`, onclick: () => claim(u) }, t('claim')))));
    const refresh = async () => {
        try {
            const [subjects, devices, unknown] = await Promise.all([get(routes.subjects()), get(routes.devices()), get(routes.unknownDevices())]);
            fillSubjects(subjects);
            drawDevices(devices);
            drawUnknown(unknown);
        } catch (e) {
            replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
        }
    };
    const claim = (unknown) => {
        uniqueId.value = unknown.uniqueId;
        if (PROTOCOLS.includes(unknown.protocol)) protocol.value = unknown.protocol;
        clearErrors(form, message);
        subject.focus();
    };
    const remove = async (device) => {
        if (!window.confirm(t('confirmDeleteDevice', device.uniqueId))) return;
        try {
            await del(routes.device(device.id));
            showOk(form, message, t('deletedDevice', device.uniqueId));
            refresh();
        } catch (e) {
            showError(form, message, e);
        }
    };
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        tokenBox.hidden = true;
        try {
            const saved = await post(routes.devices(), { uniqueId: uniqueId.value.trim(), protocol: protocol.value, subjectId: subject.value || null });
            showOk(form, message, t('registeredDevice', saved.uniqueId));
            showToken(tokenBox, saved);
            uniqueId.value = '';
            refresh();
        } catch (e) {
            showError(form, message, e);
        }
    });
    el.append(h('section', { class: 'panel', id: 'devices-admin', 'aria-labelledby': 'devices-title' },
        h('h2', { id: 'devices-title' }, t('devices')), list, form, tokenBox,
        h('h3', {}, t('unknownDevices')), h('p', { class: 'hint' }, t('unknownDevicesHint')), unknownList));
    refresh();
    return { refresh };
}

/** The new device's token, shown this once with a copy button; GT06 devices have none. */
function showToken(box, device) {
    if (!device.token) {
        replace(box, h('p', {}, t('noTokenNeeded', label('protocol', device.protocol))));
        box.hidden = false;
        return;
    }
    const field = h('input', { id: 'device-token-value', readonly: true, value: device.token, class: 'mono', 'aria-describedby': 'device-token-note' });
    const copied = h('span', { class: 'copied', role: 'status' });
    const copy = async () => {
        field.select();
        try {
            await navigator.clipboard.writeText(device.token);
        } catch {
            document.execCommand('copy');
        }
        copied.textContent = t('copied');
    };
    replace(box,
        h('p', { id: 'device-token-note', class: 'token-note' }, h('b', {}, t('tokenOnce')), ' ', t('tokenOnceDetail', device.uniqueId)),
        h('label', { for: 'device-token-value' }, t('token')),
        h('div', { class: 'token-row' }, field, h('button', { type: 'button', id: 'device-token-copy', onclick: copy }, t('copy')), copied),
        h('button', { type: 'button', class: 'link', onclick: () => { replace(box); box.hidden = true; } }, t('tokenCopiedDone')));
    box.hidden = false;
    field.focus();
    field.select();
}
