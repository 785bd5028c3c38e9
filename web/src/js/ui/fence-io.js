// Fences in and out as GeoJSON files: import posts each Feature of a file, export saves the fences around the view.

import { get, post, routes } from '../api.js';
import { t } from '../i18n.js';
import { announce, h } from './dom.js';

/** The import and export buttons; onImported() after a file was read, message shows what went wrong. */
export function fenceFiles(map, proj, message, onImported) {
    const file = h('input', { type: 'file', id: 'fence-import', accept: '.geojson,.json,application/geo+json', class: 'visually-hidden' });
    file.addEventListener('change', async () => {
        const data = JSON.parse(await file.files[0].text());
        const features = data.type === 'FeatureCollection' ? data.features : [data];
        let saved = 0;
        for (const f of features) {
            try {
                await post(routes.fences(), f);
                saved++;
            } catch (e) {
                message.textContent = `${f.properties && f.properties.name}: ${e.message}`;
            }
        }
        announce(`${t('saved')}: ${saved}`);
        file.value = '';
        onImported();
    });
    return h('div', { class: 'buttons' },
        h('label', { for: 'fence-import', class: 'button', tabindex: '0', onkeydown: (e) => e.key === 'Enter' && file.click() }, t('importGeoJson')), file,
        h('button', { type: 'button', id: 'fence-export', onclick: () => exportFences(map, proj) }, t('exportGeoJson')));
}

async function exportFences(map, proj) {
    const b = map.getBounds().pad(2);
    const [w, s] = proj.toLonLat(b.getSouthWest());
    const [e, n] = proj.toLonLat(b.getNorthEast());
    const collection = await get(routes.fences([w, s, e, n].map((v) => v.toFixed(5))));
    const url = URL.createObjectURL(new Blob([JSON.stringify(collection, null, 2)], { type: 'application/geo+json' }));
    const a = h('a', { href: url, download: 'geoward-fences.geojson' });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
}
