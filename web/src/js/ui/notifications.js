// The messages sent about a family's wards (GET /api/notifications: the SMS to guardians' phones and this user's
// in-app messages; the server shows a family only their own): channel, text, status and time, "back home" marked.

import { get, routes } from '../api.js';
import { ago, formatTime, label, t } from '../i18n.js';
import { h, replace } from './dom.js';

/** Whether delivery n is the "back home" message: sent when the ward's alert was resolved as RETURNED. */
export function isBackHome(n) {
    return n.action === 'RESOLVED' && n.outcome === 'RETURNED';
}

/** The panel in el; refresh() reloads it. */
export function renderNotifications(el) {
    const list = h('ol', { class: 'message-list', id: 'notification-list' });
    el.append(h('section', { class: 'panel', id: 'my-notifications', 'aria-labelledby': 'notifications-title' },
        h('h2', { id: 'notifications-title' }, t('sentToMe')), list));
    return {
        async refresh() {
            let deliveries;
            try {
                deliveries = await get(routes.notifications());
            } catch (e) {
                replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
                return;
            }
            const shown = deliveries.filter((n) => n.channel !== 'WEBHOOK').slice(0, 50);
            replace(list, shown.length === 0 ? h('li', { class: 'empty' }, t('noMessages')) : shown.map((n) => {
                const back = isBackHome(n);
                const at = n.sentAt || n.createdAt;
                return h('li', { class: `message channel-${n.channel.toLowerCase()}${back ? ' back-home' : ''}`, dataset: { notificationId: String(n.id), channel: n.channel } },
                    h('div', { class: 'message-head' },
                        h('span', { class: 'tag' }, label('channel', n.channel)),
                        back ? h('span', { class: 'tag ok' }, t('backHome')) : n.alertType ? h('span', { class: 'tag' }, label('type', n.alertType)) : null,
                        h('span', { class: `delivery delivery-${n.status.toLowerCase()}` }, label('delivery', n.status)),
                        h('time', { datetime: at, title: ago(at) }, formatTime(at))),
                    h('p', { class: 'message-text' }, n.text),
                    n.channel === 'SMS' ? h('small', {}, `${t('sentTo')}: ${n.to}`) : null);
            }));
        },
    };
}
