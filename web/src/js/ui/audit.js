// The audit trail in the console: the admin's and auditor's audit tab (filter by ward, user and time, page back,
// verify the hash chain) and "who looked at this ward" on a ward's page (GET /api/audit).

import { get, routes } from '../api.js';
import { formatTime, label, t } from '../i18n.js';
import { h, replace } from './dom.js';
import { input, row } from './form.js';

/** One entry as a list item: when, who in which role, what, about whom, why, and the answer's status. */
function entryItem(e) {
    return h('li', { class: 'record audit-entry', dataset: { auditId: String(e.id) } },
        h('div', {}, h('b', {}, e.username), ' ', h('span', { class: 'tag' }, label('role', e.role.split(',')[0])), ' ',
            h('span', { class: 'tag' }, label('auditAction', e.action))),
        h('small', {}, [
            formatTime(e.at),
            `${e.method} ${e.path}${e.query ? `?${e.query}` : ''}`,
            e.subjectId && `${t('subject')} ${e.subjectId}`,
            e.purpose && `${t('purpose')}: ${e.purpose}`,
            `HTTP ${e.status}`,
        ].filter(Boolean).join(' · ')));
}

/** Renders the audit tab into el; returns {refresh()}. */
export function renderAudit(el) {
    const subject = input('audit-subject', 'subjectId', { inputmode: 'numeric', autocomplete: 'off' });
    const user = input('audit-user', 'user', { autocomplete: 'off' });
    const from = input('audit-from', 'from', { type: 'datetime-local' });
    const to = input('audit-to', 'to', { type: 'datetime-local' });
    const list = h('ul', { class: 'record-list', id: 'audit-list', 'aria-label': t('auditTrail') });
    const message = h('div', { class: 'form-error', role: 'alert', id: 'audit-message' });
    const verdict = h('div', { id: 'audit-verdict', role: 'status' });
    const more = h('button', { type: 'button', id: 'audit-more', hidden: true }, t('older'));
    let next = null;

    const filters = () => ({
        subjectId: subject.value.trim() || null,
        user: user.value.trim() || null,
        from: from.value ? new Date(from.value).toISOString() : null,
        to: to.value ? new Date(to.value).toISOString() : null,
    });
    const load = async (append) => {
        message.textContent = '';
        try {
            const page = await get(routes.audit({ ...filters(), before: append ? next : null }));
            next = page.next;
            more.hidden = next == null;
            const items = page.entries.map(entryItem);
            if (append) list.append(...items);
            else replace(list, items.length ? items : h('li', { class: 'empty' }, t('noneFound')));
        } catch (e) {
            message.textContent = `${t('error')}: ${e.message}`;
        }
    };
    const verify = async () => {
        try {
            const v = await get(routes.auditVerify());
            verdict.className = v.intact ? 'ok' : 'form-error';
            verdict.textContent = v.intact ? t('auditIntact', v.entries) : t('auditBroken', v.brokenAt, v.reason);
        } catch (e) {
            verdict.className = 'form-error';
            verdict.textContent = `${t('error')}: ${e.message}`;
        }
    };
    more.addEventListener('click', () => load(true));
    const form = h('form', { class: 'stacked-form', id: 'audit-form', onsubmit: (event) => { event.preventDefault(); load(false); } },
        row(subject, t('subjectId')), row(user, t('username')), row(from, t('from')), row(to, t('to')),
        h('div', { class: 'buttons' },
            h('button', { type: 'submit', class: 'primary', id: 'audit-search' }, t('filter')),
            h('button', { type: 'button', id: 'audit-verify', onclick: verify }, t('auditVerify'))));
    el.append(h('section', { class: 'panel', id: 'audit-admin', 'aria-labelledby': 'audit-title' },
        h('h2', { id: 'audit-title' }, t('auditTrail')), form, message, verdict, list, more));
    load(false);
    return { refresh: () => load(false) };
}

/** Renders "who looked at this ward" for subjectId into el: the reads of the ward's data, newest first. */
export async function renderWhoLooked(el, subjectId) {
    const list = h('ul', { class: 'record-list', id: 'who-looked', 'aria-label': t('whoLooked') });
    replace(el, h('h3', { id: 'who-looked-title' }, t('whoLooked')), list);
    try {
        const page = await get(routes.audit({ subjectId, limit: 20 }));
        const reads = page.entries.filter((e) => e.action === 'READ');
        replace(list, reads.length ? reads.map(entryItem) : h('li', { class: 'empty' }, t('nobodyLooked')));
    } catch (e) {
        replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
    }
}
