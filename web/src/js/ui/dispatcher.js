// The dispatcher's view: everything on one map, the queue, one-click assignment, track replay; grids and work orders
// in tabs.

import { t } from '../i18n.js';
import { mountConsole } from './console.js';
import { renderGrids } from './grids.js';
import { tabs } from './tabs.js';
import { renderWorkOrders } from './work-orders.js';

/** Mounts the dispatcher view; returns its teardown. */
export function mountDispatcher(shell, me) {
    let grids = null;
    let workOrders = null;
    const inAlerts = { ...shell };
    const panes = tabs('dispatch', [
        { key: 'alerts', label: t('alerts') },
        { key: 'grids', label: t('grids'),
            onShow: (panel) => (grids ? grids.refresh() : (grids = renderGrids(panel, inAlerts.console.map, inAlerts.console.proj))) },
        { key: 'workorders', label: t('workOrders'),
            onShow: (panel) => (workOrders ? workOrders.refresh() : (workOrders = renderWorkOrders(panel, inAlerts.console.map, inAlerts.console.proj, me))) },
    ]);
    shell.side.append(panes.element);
    inAlerts.side = panes.panel('alerts');
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
    });
    shell.console = inAlerts.console;
    return stop;
}
