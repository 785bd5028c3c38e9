// The admin's user accounts: the list (GET /api/users) and a new account (POST /api/users); a FAMILY account is
// linked to the wards it may see, and an officer's or guardian's account to their own subject.

import { get, post, routes } from '../api.js';
import { formatTime, label, t } from '../i18n.js';
import { checklist } from './checklist.js';
import { h, replace } from './dom.js';
import { input, row, select, showError, showOk, showRow } from './form.js';

const ROLES = ['FAMILY', 'OFFICER', 'DISPATCHER', 'ADMIN'];
/** Whose own subject an account of a role may be: a family member is a guardian, an officer an officer. */
const OWN_KIND = { FAMILY: 'GUARDIAN', OFFICER: 'OFFICER' };

/** The request body for the form's values; ids as numbers, wards only for FAMILY, own subject where the role has one. */
export function userBody(values) {
    return {
        username: values.username,
        password: values.password,
        role: values.role,
        wardIds: values.role === 'FAMILY' ? values.wardIds.map(Number) : [],
        subjectId: OWN_KIND[values.role] && values.subjectId ? Number(values.subjectId) : null,
    };
}

/** Renders the users panel into el; returns {refresh()}. */
export function renderUsers(el) {
    const list = h('ul', { class: 'record-list', id: 'user-list', 'aria-label': t('users') });
    const username = input('user-name', 'username', { required: true, autocomplete: 'off', spellcheck: 'false' });
    const password = input('user-password', 'password', { type: 'password', required: true, autocomplete: 'new-password', minlength: '10' });
    const role = select('user-role', 'role', ROLES, (r) => label('role', r));
    const wards = checklist('user-wards', t('wardsOfUser'), 'wardIds', t('wardsOfUserHint'));
    const own = h('select', { id: 'user-subject', name: 'subjectId' });
    const message = h('div', { class: 'form-error', role: 'alert', id: 'user-message' });
    const form = h('form', { class: 'stacked-form', id: 'user-form', 'aria-labelledby': 'user-form-title' },
        h('h3', { id: 'user-form-title' }, t('newUser')),
        row(username, t('username')), row(password, t('password')), h('p', { class: 'hint' }, t('passwordHint')),
        row(role, t('role')), wards.element, row(own, t('ownSubject')),
        message,
        h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'user-save' }, t('createUser'))));
    let subjects = [];
    let names = new Map();

    const showFor = () => {
        wards.element.hidden = role.value !== 'FAMILY';
        const kind = OWN_KIND[role.value];
        showRow(own, Boolean(kind));
        const chosen = own.value;
        replace(own, h('option', { value: '' }, t('notSet')), subjects.filter((s) => s.kind === kind).map((s) => h('option', { value: s.id }, s.name)));
        own.value = chosen;
    };
    role.addEventListener('change', showFor);
    const refresh = async () => {
        let users;
        try {
            [users, subjects] = await Promise.all([get(routes.users()), get(routes.subjects())]);
        } catch (e) {
            replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
            return;
        }
        names = new Map(subjects.map((s) => [String(s.id), s.name]));
        wards.setItems(subjects.filter((s) => s.kind === 'WARD'));
        showFor();
        // newest first (the server lists oldest first)
        replace(list, [...users].reverse().map((u) =>
            h('li', { class: 'record', dataset: { username: u.username } },
                h('div', {}, h('b', {}, u.username), ' ', h('span', { class: 'tag' }, label('role', u.role))),
                h('small', {}, [
                    u.wardIds && u.wardIds.length ? `${t('wardsOfUser')}: ${u.wardIds.map((id) => names.get(String(id)) || `#${id}`).join('、')}` : null,
                    u.subjectId ? `${t('ownSubject')}: ${names.get(String(u.subjectId)) || `#${u.subjectId}`}` : null,
                    `${t('created')}: ${formatTime(u.createdAt)}`,
                ].filter(Boolean).join(' · ')))));
    };
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const values = { username: username.value.trim(), password: password.value, role: role.value, wardIds: wards.value(), subjectId: own.value };
        try {
            const saved = await post(routes.users(), userBody(values));
            showOk(form, message, t('createdUser', saved.username));
            username.value = '';
            password.value = '';
            wards.set([]);
            refresh();
        } catch (e) {
            showError(form, message, e);
        }
    });
    el.append(h('section', { class: 'panel', id: 'users-admin', 'aria-labelledby': 'users-title' },
        h('h2', { id: 'users-title' }, t('users')), list, form));
    refresh();
    return { refresh };
}
