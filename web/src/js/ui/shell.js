// The frame around every view: a header (user, role, language, settings, logout), the map and a side panel.

import { t } from '../i18n.js';
import { saveSettings, settings } from '../settings.js';
import { h } from './dom.js';
import { languageSwitch } from './login.js';

/** Renders the frame into root and returns {header, mapElement, side}. */
export function renderShell(root, me, role, onLogout) {
    const dialog = settingsDialog();
    const header = h(
        'header',
        { class: 'topbar' },
        h('h1', { class: 'brand' }, t('appName')),
        h('span', { class: 'who', id: 'who' }, `${me.username} · ${role ? t(`role.${role}`) : '—'}`),
        h('span', { class: 'live-state', id: 'live-state', role: 'status' }),
        languageSwitch(),
        h('button', { type: 'button', id: 'open-settings', onclick: () => dialog.showModal() }, t('settings')),
        h('button', { type: 'button', id: 'logout', onclick: onLogout }, t('logout')),
    );
    const mapElement = h('div', { id: 'map', class: 'map', role: 'region', 'aria-label': t('map'), tabindex: '0' });
    const side = h('aside', { id: 'side', class: 'side', 'aria-label': t('alertQueue') });
    root.append(header, h('div', { class: `workspace view-${(role || 'none').toLowerCase()}` }, h('main', { class: 'map-area' }, mapElement), side), dialog);
    return { header, mapElement, side };
}

function settingsDialog() {
    const current = settings();
    const tiles = h('input', { id: 'tile-url', type: 'url', value: current.tiles || '', placeholder: 'https://…/{z}/{x}/{y}.png' });
    const crs = h(
        'select',
        { id: 'tile-crs' },
        h('option', { value: 'WGS84', selected: current.tileCrs !== 'GCJ02' }, 'WGS 84 / CGCS2000 (OSM, 天地图)'),
        h('option', { value: 'GCJ02', selected: current.tileCrs === 'GCJ02' }, 'GCJ-02 (高德, 腾讯)'),
    );
    const dialog = h(
        'dialog',
        { id: 'settings-dialog', 'aria-labelledby': 'settings-title' },
        h(
            'form',
            { method: 'dialog', class: 'settings-form' },
            h('h2', { id: 'settings-title' }, t('settings')),
            h('label', { for: 'tile-url' }, t('tileUrl')),
            tiles,
            h('label', { for: 'tile-crs' }, t('tileCrs')),
            crs,
            h(
                'div',
                { class: 'buttons' },
                h('button', { value: 'cancel', type: 'submit' }, t('close')),
                h('button', { value: 'apply', type: 'submit', id: 'apply-settings', class: 'primary' }, t('apply')),
            ),
        ),
    );
    dialog.addEventListener('close', () => {
        if (dialog.returnValue !== 'apply') return;
        saveSettings({ tiles: tiles.value.trim() || null, tileCrs: crs.value });
        location.reload();
    });
    return dialog;
}
