// Small geodesy for drawing: offsets in metres on a local tangent plane, and corridor buffers.

const R = 6371008.8;
const RAD = Math.PI / 180;

/** The point `metres` from [lon, lat] towards bearing (degrees clockwise from north), on the sphere. */
export function offset([lon, lat], metres, bearingDegrees) {
    const d = metres / R;
    const b = bearingDegrees * RAD;
    const p1 = lat * RAD;
    const l1 = lon * RAD;
    const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
    const l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return [l2 / RAD, p2 / RAD];
}

/** Great-circle distance in metres between two [lon, lat] points. */
export function distance([lon1, lat1], [lon2, lat2]) {
    const dp = (lat2 - lat1) * RAD;
    const dl = (lon2 - lon1) * RAD;
    const a = Math.sin(dp / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dl / 2) ** 2;
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The area within `metres` of a line, approximated as one polygon ring per segment (a rectangle with a
 * half-disc at each end), so overlapping pieces together cover the corridor. Returns rings of [lon, lat].
 */
export function corridorRings(line, metres) {
    const rings = [];
    for (let i = 0; i + 1 < line.length; i++) {
        const a = line[i];
        const b = line[i + 1];
        const bearing = bearingOf(a, b);
        const ring = [];
        for (let k = 0; k <= 8; k++) ring.push(offset(b, metres, bearing - 90 + k * 22.5));
        for (let k = 0; k <= 8; k++) ring.push(offset(a, metres, bearing + 90 + k * 22.5));
        ring.push(ring[0]);
        rings.push(ring);
    }
    return rings;
}

function bearingOf([lon1, lat1], [lon2, lat2]) {
    const p1 = lat1 * RAD;
    const p2 = lat2 * RAD;
    const dl = (lon2 - lon1) * RAD;
    const y = Math.sin(dl) * Math.cos(p2);
    const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
    return Math.atan2(y, x) / RAD;
}
