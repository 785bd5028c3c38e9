// Console settings: the server's config.json, overridden per browser by what the user saved.

import { get, routes } from './api.js';

const KEY = 'geoward.settings';
const DEFAULTS = {
    tiles: null,
    tileAttribution: '',
    tileCrs: 'WGS84',
    timeZone: 'Asia/Shanghai',
    center: [29.71, 107.39],
    zoom: 11,
};

let current = { ...DEFAULTS };

/** Loads config.json (if served) and applies the browser's saved overrides; returns the settings. */
export async function loadSettings() {
    let server = {};
    try {
        server = (await get(routes.config())) || {};
    } catch {
        server = {};
    }
    current = { ...DEFAULTS, ...server, ...savedOverrides() };
    return current;
}

function savedOverrides() {
    try {
        return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch {
        return {};
    }
}

/** The settings in force. */
export function settings() {
    return current;
}

/** Saves overrides in this browser (e.g. {tiles, tileCrs}) and applies them. */
export function saveSettings(changes) {
    const next = { ...savedOverrides(), ...changes };
    localStorage.setItem(KEY, JSON.stringify(next));
    current = { ...current, ...changes };
    return current;
}
