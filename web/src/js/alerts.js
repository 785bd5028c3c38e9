// The open alerts the console knows of, kept current from GET /api/alerts and the SSE stream.

import { get, routes, token } from './api.js';

export const ACTIVE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'DISPATCHED'];
const SEVERITY = {
    SOS: 'high', DANGER: 'high', WANDER: 'high', LOITER: 'medium', OFFLINE: 'low',
    GAS: 'high', SMOKE: 'high', FALL: 'high', DOOR_OPEN: 'medium', WATER_LEAK: 'medium',
};
const RANK = { high: 0, medium: 1, low: 2 };

/** high, medium or low for an alert type. */
export function severityOf(type) {
    return SEVERITY[type] || 'low';
}

/** A store of alert Features by id; subscribers are called with the sorted list after every change. */
export function createAlertStore(filter = () => true) {
    const byId = new Map();
    const listeners = new Set();
    const sorted = () =>
        [...byId.values()].sort(
            (a, b) =>
                RANK[severityOf(a.properties.type)] - RANK[severityOf(b.properties.type)] ||
                new Date(a.properties.openedAt) - new Date(b.properties.openedAt),
        );
    const emit = (changed) => listeners.forEach((fn) => fn(sorted(), changed));
    return {
        async load() {
            const collection = await get(routes.alerts(ACTIVE_STATUSES));
            byId.clear();
            (collection.features || []).filter(filter).forEach((f) => byId.set(String(f.properties.id), f));
            emit(null);
        },
        /** Adds or replaces an alert; a RESOLVED one leaves the store. */
        upsert(feature) {
            const id = String(feature.properties.id);
            if (ACTIVE_STATUSES.includes(feature.properties.status) && filter(feature)) byId.set(id, feature);
            else byId.delete(id);
            emit(id);
        },
        get(id) {
            return byId.get(String(id));
        },
        list: sorted,
        subscribe(fn) {
            listeners.add(fn);
            return () => listeners.delete(fn);
        },
    };
}

// The server names each event by its timeline action in lower case; EventSource has no wildcard, so all are listed.
const EVENTS = ['opened', 'acknowledged', 'assigned', 'reassigned', 'unassigned', 'accepted', 'arrived', 'resolved', 'message'];

/**
 * Follows GET /api/alerts/stream with EventSource, calling onAlert(feature) for each event (the alert Feature with
 * its top-level `step`) and onState('connecting' | true | false) as the connection starts, opens or drops. The
 * server sends its response headers with the first event, so a quiet stream stays 'connecting' until something
 * happens. Reconnects with back-off after errors, resuming after the last event seen. Returns a function that stops it.
 */
export function followAlerts(onAlert, onState) {
    let source = null;
    let stopped = false;
    let delay = 1000;
    let timer = null;
    let lastEventId = null;
    const connect = () => {
        if (stopped || !token()) return;
        // a fresh EventSource after an error: resume after the last event seen, so nothing missed is lost
        source = new EventSource(routes.stream(token(), lastEventId));
        onState('connecting');
        source.onopen = () => {
            delay = 1000;
            onState(true);
        };
        const handle = (event) => {
            if (event.lastEventId) lastEventId = event.lastEventId;
            try {
                const data = JSON.parse(event.data);
                if (data && data.properties) onAlert(data);
            } catch {
                /* a comment or keep-alive */
            }
        };
        EVENTS.forEach((name) => source.addEventListener(name, handle));
        source.onerror = () => {
            onState(false);
            source.close();
            if (!stopped) timer = setTimeout(connect, delay);
            delay = Math.min(delay * 2, 30000);
        };
    };
    connect();
    return () => {
        stopped = true;
        clearTimeout(timer);
        if (source) source.close();
    };
}
