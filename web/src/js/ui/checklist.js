// Picking several subjects by name: a fieldset of checkboxes with a filter, usable from the keyboard.

import { t } from '../i18n.js';
import { h, replace } from './dom.js';

/**
 * A checklist with id, a legend and a data-field for the server's errors. Items are [{id, name}]; value() gives
 * the checked ids (strings), set(ids) checks exactly those, setItems(items) replaces the choices keeping checks.
 * A checked id that is not among the items (a subject of another kind) stays checked and is listed as #id.
 */
export function checklist(id, legend, field, hint = null) {
    const list = h('ul', { class: 'checklist-items' });
    const filter = h('input', { id: `${id}-filter`, type: 'search', 'aria-label': `${legend}: ${t('filter')}`, placeholder: t('filter') });
    const element = h('fieldset', { id, class: 'checklist', dataset: { field } },
        h('legend', {}, legend),
        hint ? h('p', { class: 'hint' }, hint) : null,
        filter, list,
        h('p', { class: 'field-error', id: `${id}-error` }));
    let items = [];
    let checked = new Set();
    const draw = () => {
        const words = filter.value.trim().toLowerCase();
        const known = new Set(items.map((item) => item.id));
        const others = [...checked].filter((itemId) => !known.has(itemId)).map((itemId) => ({ id: itemId, name: `#${itemId}` }));
        const shown = [...items, ...others].filter((item) => !words || item.name.toLowerCase().includes(words) || checked.has(item.id));
        replace(list, shown.length === 0 ? h('li', { class: 'empty' }, t('noneFound')) : shown.map((item) => {
            const box = h('input', { type: 'checkbox', id: `${id}-${item.id}`, value: item.id, checked: checked.has(item.id),
                onchange: (e) => (e.target.checked ? checked.add(item.id) : checked.delete(item.id)) });
            return h('li', {}, box, h('label', { for: box.id }, item.name));
        }));
    };
    filter.addEventListener('input', draw);
    return {
        element,
        value: () => [...checked],
        set(ids) {
            checked = new Set((ids || []).map(String));
            draw();
        },
        setItems(next) {
            items = next.map((item) => ({ id: String(item.id), name: item.name || `#${item.id}` }));
            draw();
        },
    };
}
