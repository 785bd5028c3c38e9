// Leaflet (and Leaflet.draw, which extends it) are vendored classic scripts that define `L`;
// this module is the one place our code reads it, so every other module imports it by name.
export const L = globalThis.L;
