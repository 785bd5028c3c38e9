// The city's grids (网格化管理): each grid with its unit, its officers in their 5+X roles and its open items.

import { get, routes } from '../api.js';
import { label, t } from '../i18n.js';
import { fenceLayer } from '../map/layers.js';
import { h, replace } from './dom.js';

/** Renders GET /api/grids into panel; clicking a grid's name shows it on the map. Returns {refresh()}. */
export function renderGrids(panel, map, proj) {
    const list = h('ul', { class: 'grid-list', id: 'grid-list', 'aria-label': t('grids') });
    replace(panel, h('h3', {}, t('grids')), list);
    const focus = async (id) => {
        try {
            const feature = await get(routes.fence(id));
            map.fitBounds(fenceLayer(feature, proj).getBounds(), { maxZoom: 16 });
        } catch (e) {
            // the grid was retired meanwhile: the next refresh drops it
        }
    };
    const refresh = async () => {
        let grids;
        try {
            grids = await get(routes.grids());
        } catch (e) {
            replace(list, h('li', { class: 'form-error' }, `${t('error')}: ${e.message}`));
            return;
        }
        replace(list, grids.length === 0 ? h('li', { class: 'empty' }, t('noGrids')) : grids.map((g) =>
            h('li', { class: 'grid-item', dataset: { gridId: String(g.id) } },
                h('h4', {}, h('button', { type: 'button', class: 'grid-name link', onclick: () => focus(g.id) },
                    h('span', { class: 'swatch fence-grid' }), g.name),
                    g.unit ? h('small', {}, ` ${label('unit', g.unit)}`) : null),
                h('div', { class: 'grid-officers' }, `${t('gridOfficers')}:`,
                    h('ul', {}, g.officers.map((o) => h('li', { class: 'grid-officer', dataset: { officerId: String(o.officerId) } },
                        o.name, ' · ', label('gridRole', o.role), o.status ? h('small', {}, ` (${label('officerStatus', o.status)})`) : null)))),
                h('div', { class: 'grid-items' }, `${t('openItems')}: `, h('span', { class: 'grid-item-count' }, String(g.openItems.length)),
                    g.openItems.length === 0 ? null : h('ul', {}, g.openItems.map((a) => h('li', { class: 'grid-open-item', dataset: { alertId: String(a.alertId) } },
                        label('type', a.type), ' · ', a.subjectName || '', ' · ', label('status', a.status))))))));
    };
    refresh();
    return { refresh };
}
