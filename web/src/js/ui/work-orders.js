// The work orders tab: the list (GET /api/work-orders) filtered by status, grid and unit, each with its deadline
// met, late or still running; the listed orders as markers on the map; one order's page (work-order-page.js); a new
// order reported from the console (work-order-report.js).

import { L } from 'leaflet';
import { get, routes } from '../api.js';
import { formatTime, label, t } from '../i18n.js';
import '../strings/workorders.js';
import { h, replace } from './dom.js';
import { select } from './form.js';
import { deadlineBadge, renderWorkOrderPage } from './work-order-page.js';
import { reportForm } from './work-order-report.js';

const STATUSES = ['OPEN', 'ACKNOWLEDGED', 'DISPATCHED', 'RESOLVED'];

/**
 * Renders the work orders into panel, their markers on map; me is GET /api/me (who may take which step). Returns
 * {refresh()}.
 */
export function renderWorkOrders(panel, map, proj, me) {
    const markers = L.layerGroup().addTo(map);
    const status = select('work-order-status', 'status', ['', ...STATUSES], (s) => (s ? label('status', s) : t('allStatuses')));
    const grid = h('select', { id: 'work-order-grid', name: 'gridId' }, h('option', { value: '' }, t('allGrids')));
    const unit = h('select', { id: 'work-order-unit', name: 'unit' }, h('option', { value: '' }, t('allUnits')));
    const filters = h('form', { class: 'work-order-filters', id: 'work-order-filters', onsubmit: (e) => e.preventDefault() },
        h('label', { for: 'work-order-status' }, t('status')), status,
        h('label', { for: 'work-order-grid' }, t('grid')), grid,
        h('label', { for: 'work-order-unit' }, t('unit')), unit);
    const list = h('ul', { class: 'record-list work-order-list', id: 'work-order-list', 'aria-label': t('workOrderList') });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const report = reportForm(map, proj, me, (order) => {
        refresh();
        open(order.id);
    });
    const newButton = h('button', { type: 'button', id: 'work-order-new', 'aria-controls': 'wo-report', onclick: () => report.open() }, t('reportWorkOrder'));
    const listView = h('div', { id: 'work-order-list-view' }, newButton, report.element, filters, error, list);
    const pageView = h('div', { id: 'work-order-page-view', hidden: true });
    replace(panel, h('section', { class: 'panel work-orders', id: 'work-orders', 'aria-labelledby': 'work-orders-title' },
        h('h2', { id: 'work-orders-title' }, t('workOrders')), listView, pageView));

    const fillChoices = async () => {
        try {
            const [grids, units] = await Promise.all([get(routes.grids()), get(routes.units())]);
            const keep = [grid.value, unit.value];
            replace(grid, h('option', { value: '' }, t('allGrids')), grids.map((g) => h('option', { value: String(g.id) }, g.name)));
            replace(unit, h('option', { value: '' }, t('allUnits')), units.map((u) => h('option', { value: u.name }, u.label || label('unit', u.name))));
            [grid.value, unit.value] = keep;
        } catch {
            // the filters stay at "all"; the list itself says what failed
        }
    };
    const query = () => routes.workOrders({ status: status.value, gridId: grid.value, unit: unit.value });
    const open = (id) => {
        report.close();
        listView.hidden = true;
        pageView.hidden = false;
        renderWorkOrderPage(pageView, id, { map, proj, me, onBack: back, onChange: refresh });
    };
    const back = () => {
        pageView.hidden = true;
        listView.hidden = false;
        replace(pageView);
        refresh();
    };
    const refresh = async () => {
        let orders;
        try {
            orders = await get(query());
            replace(error);
        } catch (e) {
            replace(error, `${t('error')}: ${e.message}`);
            return;
        }
        markers.clearLayers();
        orders.forEach((o) => L.circleMarker(proj.toLatLng([o.lon, o.lat]), { radius: 7, color: '#1971c2', weight: 2, fillOpacity: 0.6, className: `work-order-marker wo-${o.id}` })
            .bindTooltip(`${label('category', o.category)} · ${label('status', o.status)}`)
            .on('click', () => open(o.id))
            .addTo(markers));
        replace(list, orders.length === 0 ? h('li', { class: 'empty' }, t('noWorkOrders')) : orders.map((o) =>
            h('li', { class: 'record work-order', dataset: { workOrderId: String(o.id), status: o.status } },
                h('button', { type: 'button', class: 'link work-order-open', onclick: () => open(o.id) },
                    h('b', {}, label('category', o.category)), ` #${o.id}`),
                ' ', h('span', { class: 'tag' }, label('status', o.status)), ' ', deadlineBadge(o),
                h('small', {}, [o.gridName, o.unit ? label('unit', o.unit) : null, o.description, formatTime(o.openedAt)].filter(Boolean).join(' · ')))));
    };
    [status, grid, unit].forEach((control) => control.addEventListener('change', refresh));
    fillChoices();
    refresh();
    return {
        refresh: () => {
            fillChoices();
            return pageView.hidden ? refresh() : null;
        },
        open,
    };
}
