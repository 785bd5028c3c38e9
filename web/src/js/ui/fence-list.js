// Every fence in force, by name, to pick one for editing without hunting for it on the map.

import { get, routes } from '../api.js';
import { t } from '../i18n.js';
import { h, replace } from './dom.js';

/** A filterable list of GET /api/fences; onSelect(feature) when one is chosen. Returns {element, refresh(), mark(id)}. */
export function fenceList(onSelect) {
    const filter = h('input', { id: 'fence-filter', type: 'search', placeholder: t('filter'), 'aria-label': `${t('fences')}: ${t('filter')}` });
    const list = h('ul', { class: 'fence-list', id: 'fence-list', 'aria-label': t('fences') });
    let fences = [];
    let marked = null;
    const draw = () => {
        const words = filter.value.trim().toLowerCase();
        const shown = fences.filter((f) => !words || (f.properties.name || '').toLowerCase().includes(words));
        replace(list, shown.length === 0 ? h('li', { class: 'empty' }, t('noneFound')) : shown.map((f) => {
            const p = f.properties;
            const id = String(p.id);
            return h('li', {}, h('button', { type: 'button', class: `fence-item${id === marked ? ' selected' : ''}`, dataset: { fenceId: id },
                'aria-pressed': String(id === marked), onclick: () => onSelect(f) },
                h('span', { class: `swatch fence-${p.kind.toLowerCase()}` }), p.name, ' ', h('small', {}, t(`kind.${p.kind}`))));
        }));
    };
    filter.addEventListener('input', draw);
    const refresh = async () => {
        try {
            fences = (await get(routes.fences())).features || [];
        } catch (e) {
            replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
            return;
        }
        draw();
    };
    return {
        element: h('div', { class: 'fence-picker' }, h('h3', {}, t('fences')), filter, list),
        refresh,
        mark(id) {
            marked = id == null ? null : String(id);
            draw();
        },
    };
}
