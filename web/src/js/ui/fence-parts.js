// The parts of a multi-part fence in the editor (a river's reaches, grid cells imported as one MultiPolygon): each
// part listed with its holes, shown on the map on demand, removed (one always stays), and new parts drawn.

import { L } from 'leaflet';
import { t } from '../i18n.js';
import { EDIT_STYLE, startEditing, stopEditing } from '../map/editing.js';
import { h, replace } from './dom.js';

/**
 * The parts box for map; onChange() after a part was added or removed. Returns {element, show(group or null),
 * isAdding(), add(layer)}: while isAdding(), the editor hands the next drawn polygon to add().
 */
export function fenceParts(map, onChange) {
    const list = h('ol', { class: 'fence-parts', id: 'fence-parts', 'aria-label': t('fenceParts') });
    const addButton = h('button', { type: 'button', id: 'fence-add-part' }, t('addPart'));
    const element = h('fieldset', { class: 'fence-parts-box', id: 'fence-parts-box', hidden: true },
        h('legend', {}, t('fenceParts')), h('p', { class: 'hint' }, t('partsHint')), list, addButton);
    let group = null;
    let drawer = null;

    const render = () => {
        if (!group) return;
        const parts = group.getLayers();
        replace(list, parts.map((part, i) => {
            const holes = part.getLatLngs().length - 1;
            return h('li', { class: 'fence-part', dataset: { part: String(i) } },
                h('button', { type: 'button', class: 'link part-show', onclick: () => map.fitBounds(part.getBounds().pad(0.3)) },
                    t('partN', i + 1)),
                holes > 0 ? h('small', { class: 'part-holes' }, ` ${t('partHoles', holes)}`) : null,
                ' ',
                h('button', { type: 'button', class: 'part-remove danger', disabled: parts.length < 2,
                    'aria-label': `${t('removePart')} ${t('partN', i + 1)}`, onclick: () => remove(part) }, t('removePart')));
        }));
    };
    const remove = (part) => {
        if (!group || group.getLayers().length < 2) return;
        stopEditing(part);
        group.removeLayer(part);
        render();
        onChange();
    };
    addButton.addEventListener('click', () => {
        if (!group) return;
        drawer = new L.Draw.Polygon(map, { showArea: false, allowIntersection: false, shapeOptions: EDIT_STYLE });
        drawer.enable();
    });
    map.on(L.Draw.Event.DRAWSTOP, () => {
        // the CREATED event comes before DRAWSTOP: by now a drawn part has been added
        drawer = null;
    });
    return {
        element,
        show(next) {
            group = next;
            element.hidden = !group;
            if (group) render();
            else replace(list);
        },
        isAdding: () => Boolean(drawer && group),
        add(layer) {
            const part = L.polygon(layer.getLatLngs(), EDIT_STYLE);
            group.addLayer(part);
            startEditing(part);
            drawer = null;
            render();
            onChange();
        },
    };
}
