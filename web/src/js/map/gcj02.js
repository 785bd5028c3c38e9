// WGS 84 ↔ GCJ-02 ("Mars coordinates"), the offset Chinese map providers (AMap, Tencent) apply by law.
// The standard public formula (eviltransform); inside China only, identity outside.

const A = 6378245.0;
const EE = 0.00669342162296594323;

/** True when (lon, lat) lies outside the rough box of China, where no offset applies. */
export function isOutsideChina(lon, lat) {
    return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x, y) {
    let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
    r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
    r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
    return r;
}

function transformLon(x, y) {
    let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
    r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
    r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
    return r;
}

function delta(lon, lat) {
    let dLat = transformLat(lon - 105.0, lat - 35.0);
    let dLon = transformLon(lon - 105.0, lat - 35.0);
    const radLat = (lat / 180.0) * Math.PI;
    let magic = Math.sin(radLat);
    magic = 1 - EE * magic * magic;
    const sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
    dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
    return [dLon, dLat];
}

/** WGS 84 [lon, lat] → GCJ-02 [lon, lat]. */
export function wgs84ToGcj02(lon, lat) {
    if (isOutsideChina(lon, lat)) return [lon, lat];
    const [dLon, dLat] = delta(lon, lat);
    return [lon + dLon, lat + dLat];
}

/** GCJ-02 [lon, lat] → WGS 84 [lon, lat], by fixed-point iteration (error well under 1 cm). */
export function gcj02ToWgs84(lon, lat) {
    if (isOutsideChina(lon, lat)) return [lon, lat];
    let wLon = lon;
    let wLat = lat;
    for (let i = 0; i < 10; i++) {
        const [gLon, gLat] = wgs84ToGcj02(wLon, wLat);
        const eLon = gLon - lon;
        const eLat = gLat - lat;
        wLon -= eLon;
        wLat -= eLat;
        if (Math.abs(eLon) < 1e-9 && Math.abs(eLat) < 1e-9) break;
    }
    return [wLon, wLat];
}
