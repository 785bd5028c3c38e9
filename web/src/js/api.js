// The HTTP API: one fetch wrapper with real error classes, and named routes instead of URLs all over.

const TOKEN_KEY = 'geoward.token';

/** A failed request: status and the problem document (title, detail, errors) when the server sent one. */
export class ApiError extends Error {
    constructor(status, problem) {
        super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
        this.name = 'ApiError';
        this.status = status;
        this.problem = problem || {};
    }

    /** Field errors as [{field, message}]. */
    get fieldErrors() {
        return this.problem.errors || [];
    }
}

/** The request never reached the server (offline, refused). */
export class NetworkError extends Error {
    constructor(cause) {
        super(String(cause && cause.message ? cause.message : cause));
        this.name = 'NetworkError';
    }
}

export const routes = {
    login: () => '/login',
    me: () => '/api/me',
    fences: (bbox) => (bbox ? `/api/fences?bbox=${bbox.join(',')}` : '/api/fences'),
    fence: (id) => `/api/fences/${encodeURIComponent(id)}`,
    alerts: (statuses) => `/api/alerts?status=${statuses.join(',')}`,
    alert: (id) => `/api/alerts/${encodeURIComponent(id)}`,
    ack: (id) => `/api/alerts/${encodeURIComponent(id)}/ack`,
    resolve: (id) => `/api/alerts/${encodeURIComponent(id)}/resolve`,
    assign: (id) => `/api/alerts/${encodeURIComponent(id)}/assign`,
    alertWorkOrder: (id) => `/api/alerts/${encodeURIComponent(id)}/work-order`,
    nearestOfficers: (id, limit = 5) => `/api/alerts/${encodeURIComponent(id)}/nearest-officers?limit=${limit}`,
    stream: (token, lastEventId) =>
        `/api/alerts/stream?access_token=${encodeURIComponent(token)}${lastEventId ? `&lastEventId=${encodeURIComponent(lastEventId)}` : ''}`,
    officers: () => '/api/officers',
    grids: () => '/api/grids',
    grid: (id) => `/api/grids/${encodeURIComponent(id)}`,
    workOrders: (filters = {}) => {
        const query = Object.entries(filters).filter(([, v]) => v != null && v !== '')
            .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        return `/api/work-orders${query ? `?${query}` : ''}`;
    },
    workOrder: (id) => `/api/work-orders/${encodeURIComponent(id)}`,
    /** step: analysis, order, follow-up, feedback or evaluation. */
    workOrderStep: (id, step) => `/api/work-orders/${encodeURIComponent(id)}/${step}`,
    units: () => '/api/units',
    unit: (name) => `/api/units/${encodeURIComponent(name)}`,
    unitOfficers: (name) => `/api/units/${encodeURIComponent(name)}/officers`,
    subjects: (kind) => (kind ? `/api/subjects?kind=${kind}` : '/api/subjects'),
    subject: (id) => `/api/subjects/${encodeURIComponent(id)}`,
    devices: () => '/api/devices',
    device: (id) => `/api/devices/${encodeURIComponent(id)}`,
    unknownDevices: () => '/api/devices/unknown',
    users: () => '/api/users',
    notifications: () => '/api/notifications',
    templates: () => '/api/notify/templates',
    templatePreview: () => '/api/notify/templates/preview',
    alertsOf: (statuses, limit = 500) => `/api/alerts?status=${statuses.join(',')}&limit=${limit}`,
    track: (id, from, to) =>
        `/api/subjects/${encodeURIComponent(id)}/track?from=${encodeURIComponent(from)}${to ? `&to=${encodeURIComponent(to)}` : ''}`,
    config: () => '/config.json',
    audit: (filters) => {
        const query = Object.entries(filters).filter(([, v]) => v != null && v !== '')
            .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        return `/api/audit${query ? `?${query}` : ''}`;
    },
    auditVerify: () => '/api/audit/verify',
};

const unauthorizedListeners = new Set();

/** The stored bearer token, or null. */
export function token() {
    return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
}

/** Calls fn when the server answers 401 (the token expired): the app shows the login page. */
export function onUnauthorized(fn) {
    unauthorizedListeners.add(fn);
}

/** Sends a request; JSON in, JSON out; throws ApiError or NetworkError. */
export async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
        response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
        throw new NetworkError(e);
    }
    const text = await response.text();
    let data = null;
    if (text) {
        try {
            data = JSON.parse(text);
        } catch {
            data = { detail: text };
        }
    }
    if (!response.ok) {
        if (response.status === 401 && path !== routes.login()) unauthorizedListeners.forEach((fn) => fn());
        throw new ApiError(response.status, data);
    }
    return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

/** Logs in and keeps the token; returns {access_token, roles, …}. */
export async function login(username, password) {
    const answer = await post(routes.login(), { username, password });
    setToken(answer.access_token);
    return answer;
}

export function logout() {
    setToken(null);
}
