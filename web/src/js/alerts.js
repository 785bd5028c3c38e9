// The open alerts the console knows of, kept current from GET /api/alerts and the SSE stream.

import { get, routes, token } from './api.js';

export const ACTIVE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'DISPATCHED'];
const SEVERITY = { SOS: 'high', DANGER: 'high', WANDER: 'high', LOITER: 'medium', OFFLINE: 'low' };
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

const EVENTS = ['opened', 'acknowledged', 'dispatched', 'accepted', 'arrived', 'resolved', 'updated', 'changed', 'message'];

/**
 * Follows GET /api/alerts/stream with EventSource, calling onAlert(feature) for each event and onState(true|false)
 * as the connection opens or drops. Reconnects with back-off after errors. Returns a function that stops it.
 */
export function followAlerts(onAlert, onState) {
    let source = null;
    let stopped = false;
    let delay = 1000;
    let timer = null;
    const connect = () => {
        if (stopped || !token()) return;
        source = new EventSource(routes.stream(token()));
        source.onopen = () => {
            delay = 1000;
            onState(true);
        };
        const handle = (event) => {
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
