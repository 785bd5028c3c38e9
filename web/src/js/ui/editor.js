// The fence editor: draw a new fence with Leaflet.draw, or pick one (on the map or from the list) and change its shape
// (each part of a multi-part fence, parts added and removed: fence-parts.js) and properties; save with POST or PUT /api/fences, retire with DELETE after a confirmation; import and export GeoJSON.

import { L } from 'leaflet';
import { del, post, put, routes } from '../api.js';
import { t } from '../i18n.js';
import { EDIT_STYLE, addEditPane, editableLayer, geometryOf, isMultiPart, shapeOf, startEditing, stopEditing } from '../map/editing.js';
import { h } from './dom.js';
import { fenceFields, propertiesOf } from './fence-form.js';
import { fenceFiles } from './fence-io.js';
import { fenceList } from './fence-list.js';
import { fenceParts } from './fence-parts.js';
import { clearErrors, showError, showOk } from './form.js';

/**
 * Adds the drawing tools to map and the editor to el; reloadMap() redraws the map's fences after a change, reveal()
 * brings the editor into view when drawing starts. Returns {select(feature)} for fences clicked on the map.
 */
export function renderEditor(el, map, proj, reloadMap, reveal) {
    addEditPane(map);
    const drawn = L.featureGroup().addTo(map);
    map.addControl(new L.Control.Draw({
        position: 'topleft',
        draw: {
            polygon: { showArea: false, allowIntersection: false, shapeOptions: EDIT_STYLE },
            circle: { showRadius: true, shapeOptions: EDIT_STYLE },
            polyline: { showLength: false, shapeOptions: { ...EDIT_STYLE, fill: false } },
            rectangle: false,
            marker: false,
            circlemarker: false,
        },
        // the shape in the editor is always editable (its handles show at once), so no separate edit mode
        edit: false,
    }));
    const fields = fenceFields();
    const message = h('div', { class: 'form-error', role: 'alert', id: 'fence-message' });
    const heading = h('p', { class: 'editing-what', id: 'fence-editing' });
    const shapeNote = h('p', { class: 'hint', id: 'fence-shape-note' });
    const retire = h('button', { type: 'button', id: 'fence-delete', class: 'danger', hidden: true }, t('retireFence'));
    const cancel = h('button', { type: 'button', id: 'fence-cancel' }, t('cancel'));
    const parts = fenceParts(map, () => clearErrors(form, message));
    const form = h('form', { class: 'stacked-form fence-form', id: 'fence-form' },
        heading, shapeNote, parts.element, fields.controls, message,
        h('div', { class: 'buttons' }, retire, cancel, h('button', { type: 'submit', class: 'primary', id: 'fence-save' }, t('save'))));
    const list = fenceList((feature) => select(feature, true));
    let current = null; // {layer, editable, feature: the stored fence, or null for a new drawing}
    let drawing = false;

    const describe = () => {
        heading.textContent = current && current.feature ? t('editingFence', current.feature.properties.name) : t('newFence');
        shapeNote.textContent = !current ? t('drawHint') : !current.editable ? t('multiLineHint')
            : isMultiPart(current.layer) ? t('multiPartShapeHint') : t('shapeHint');
        parts.show(current && isMultiPart(current.layer) ? current.layer : null);
        retire.hidden = !(current && current.feature);
    };
    const clear = () => {
        if (current) stopEditing(current.layer);
        drawn.clearLayers();
        current = null;
        list.mark(null);
        describe();
    };
    const start = (state) => {
        clear();
        current = state;
        drawn.addLayer(state.layer);
        if (state.editable) startEditing(state.layer);
        fields.setShape(shapeOf(state.layer));
        if (state.feature) list.mark(state.feature.properties.id);
        describe();
    };
    const open = (feature) => {
        start({ ...editableLayer(feature, proj), feature });
        fields.fill(feature.properties);
    };
    /** Opens a stored fence for editing; zoom moves the map to it (when picked from the list). */
    const select = (feature, zoom = false) => {
        if (drawing) return;
        clearErrors(form, message);
        open(feature);
        if (zoom) map.fitBounds(drawn.getBounds().pad(0.3));
        fields.focus();
    };
    const changed = () => {
        reloadMap();
        list.refresh();
    };

    map.on(L.Draw.Event.DRAWSTART, () => {
        drawing = true;
        reveal();
    });
    map.on(L.Draw.Event.DRAWSTOP, () => (drawing = false));
    map.on(L.Draw.Event.CREATED, (event) => {
        if (parts.isAdding()) {
            parts.add(event.layer);
            return;
        }
        const wasStored = current && current.feature;
        start({ layer: event.layer, editable: true, feature: null });
        if (wasStored) fields.reset();
        clearErrors(form, message);
        fields.focus();
    });
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        if (!current) {
            clearErrors(form, message);
            message.textContent = t('drawHint');
            return;
        }
        const stored = current.feature;
        const { geometry, radiusMeters } = current.editable
            ? geometryOf(current.layer, proj)
            : { geometry: stored.geometry, radiusMeters: stored.properties.radiusMeters };
        const feature = { type: 'Feature', geometry, properties: propertiesOf(fields.values(), shapeOf(current.layer), radiusMeters, stored ? stored.properties : {}) };
        try {
            const saved = stored ? await put(routes.fence(stored.properties.id), feature) : await post(routes.fences(), feature);
            if (stored) open(saved);
            else {
                clear();
                fields.reset();
            }
            showOk(form, message, t('saved'));
            changed();
        } catch (e) {
            showError(form, message, e);
        }
    });
    cancel.addEventListener('click', () => {
        clear();
        fields.reset();
        clearErrors(form, message);
    });
    retire.addEventListener('click', async () => {
        const p = current && current.feature && current.feature.properties;
        if (!p || !window.confirm(t('confirmRetire', p.name))) return;
        try {
            await del(routes.fence(p.id));
            clear();
            fields.reset();
            showOk(form, message, t('retired', p.name));
            changed();
        } catch (e) {
            showError(form, message, e);
        }
    });
    fields.reset();
    describe();
    list.refresh();
    el.append(h('section', { class: 'panel editor', id: 'fence-editor', 'aria-labelledby': 'fence-editor-title' },
        h('h2', { id: 'fence-editor-title' }, t('fenceEditor')), list.element, form, fenceFiles(map, proj, message, changed)));
    return { select };
}
