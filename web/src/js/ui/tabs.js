// Tabs in the side panel, after the WAI-ARIA tabs pattern: arrow keys, Home and End move between tabs.

import { h } from './dom.js';

/**
 * Tabs with id for entries [{key, label, onShow?}]: onShow(panel) runs each time its tab is chosen. Returns
 * {element, panel(key), select(key)}; the first tab starts selected.
 */
export function tabs(id, entries) {
    const buttons = new Map();
    const panels = new Map();
    let current = null;
    const select = (key, focus = false) => {
        current = key;
        entries.forEach((entry) => {
            const on = entry.key === key;
            const button = buttons.get(entry.key);
            button.setAttribute('aria-selected', String(on));
            button.tabIndex = on ? 0 : -1;
            panels.get(entry.key).hidden = !on;
            if (on && focus) button.focus();
        });
        const entry = entries.find((e) => e.key === key);
        if (entry.onShow) entry.onShow(panels.get(key));
    };
    const move = (event) => {
        const keys = entries.map((e) => e.key);
        const at = keys.indexOf(current);
        const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: keys.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        select(keys[(next + keys.length) % keys.length], true);
    };
    const list = h('div', { class: 'tab-list', role: 'tablist', onkeydown: move });
    entries.forEach((entry) => {
        const button = h('button', { type: 'button', role: 'tab', id: `${id}-tab-${entry.key}`, 'aria-controls': `${id}-${entry.key}`,
            onclick: () => select(entry.key) }, entry.label);
        const panel = h('div', { role: 'tabpanel', id: `${id}-${entry.key}`, 'aria-labelledby': button.id, class: 'tab-panel' });
        buttons.set(entry.key, button);
        panels.set(entry.key, panel);
        list.append(button);
    });
    const element = h('div', { class: 'tabs', id }, list, [...panels.values()]);
    select(entries[0].key);
    return { element, panel: (key) => panels.get(key), select };
}
