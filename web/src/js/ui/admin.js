// The admin's view: the dispatcher's console and, in tabs beside it, the fence editor, grids, work orders, subjects,
// devices, units, users, the message templates and the audit trail.

import { t } from '../i18n.js';
import { renderAudit } from './audit.js';
import { mountConsole } from './console.js';
import { renderDevices } from './devices.js';
import { renderEditor } from './editor.js';
import { renderGrids } from './grids.js';
import { renderSubjects } from './subjects.js';
import { renderUnits } from './units.js';
import { tabs } from './tabs.js';
import { renderTemplates } from './templates.js';
import { renderUsers } from './users.js';
import { renderWorkOrders } from './work-orders.js';

/** A tab's onShow that renders the panel the first time and refreshes it after. */
function lazy(render) {
    let view = null;
    return (panel) => (view ? view.refresh() : (view = render(panel)));
}

/** Mounts the admin view; returns its teardown. */
export function mountAdmin(shell, me) {
    let grids = null;
    let workOrders = null;
    const panes = tabs('admin', [
        { key: 'alerts', label: t('alerts') },
        { key: 'fences', label: t('fences') },
        { key: 'grids', label: t('grids'), onShow: (panel) => (grids ? grids.refresh() : (grids = renderGrids(panel, map(), proj()))) },
        { key: 'workorders', label: t('workOrders'),
            onShow: (panel) => (workOrders ? workOrders.refresh() : (workOrders = renderWorkOrders(panel, map(), proj(), me))) },
        { key: 'subjects', label: t('subjects'), onShow: lazy(renderSubjects) },
        { key: 'devices', label: t('devices'), onShow: lazy(renderDevices) },
        { key: 'units', label: t('units'), onShow: lazy(renderUnits) },
        { key: 'users', label: t('users'), onShow: lazy(renderUsers) },
        { key: 'templates', label: t('templates'), onShow: lazy(renderTemplates) },
        { key: 'audit', label: t('auditTrail'), onShow: lazy(renderAudit) },
    ]);
    const map = () => inAlerts.console.map;
    const proj = () => inAlerts.console.proj;
    shell.side.append(panes.element);
    let editor = null;
    const inAlerts = { ...shell, side: panes.panel('alerts') };
    const stop = mountConsole(inAlerts, {
        canAssign: true,
        canAck: true,
        canResolve: true,
        canRaiseWorkOrder: true,
        onOpenWorkOrder: (id) => {
            panes.select('workorders');
            workOrders.open(id);
        },
        showOfficers: true,
        replay: true,
        onFenceClick: (feature) => {
            panes.select('fences');
            editor.select(feature);
        },
    });
    editor = renderEditor(panes.panel('fences'), map(), proj(), () => map().fire('moveend'), () => panes.select('fences'));
    return stop;
}
