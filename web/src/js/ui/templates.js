// The admin's message templates (GET/PUT /api/notify/templates): every message type with its zh-CN and English text,
// one edited at a time with a live preview of each language for a sample alert (POST /api/notify/templates/preview:
// the server fills the placeholders as it will for the real message, and names an unknown placeholder before saving).

import { ApiError, get, post, put, routes } from '../api.js';
import { formatTime, label, t } from '../i18n.js';
import '../strings/templates.js';
import { h, replace } from './dom.js';
import { row, showError, showOk } from './form.js';

/** The message types in the order people think of them (the server's TemplateKey). */
const KEYS = ['WANDER', 'DANGER', 'SOS', 'OFFLINE', 'RETURNED', 'GAS', 'SMOKE', 'WATER_LEAK', 'FALL', 'DOOR_OPEN', 'LOITER', 'LOITER_OFFICERS'];
/** zh-CN first, English second, whatever the console's language. */
const LANGUAGES = ['zh-CN', 'en'];
const PREVIEW_DELAY_MS = 250;

/** Who a template's message goes to. */
function recipients(key) {
    return ['LOITER', 'LOITER_OFFICERS', 'RETURNED'].includes(key) ? t(`templateTo.${key}`) : t('templateToFamily');
}

/** The templates grouped by message type and fence: [{id, key, fenceId, texts: {language: template}}], defaults first. */
export function groupTemplates(templates) {
    const groups = new Map();
    templates.forEach((tpl) => {
        const id = `${tpl.key}|${tpl.fenceId || ''}`;
        if (!groups.has(id)) groups.set(id, { id, key: tpl.key, fenceId: tpl.fenceId || null, texts: {} });
        groups.get(id).texts[tpl.language] = tpl;
    });
    const rank = (k) => (KEYS.includes(k) ? KEYS.indexOf(k) : KEYS.length);
    return [...groups.values()].sort((a, b) => (a.fenceId ? 1 : 0) - (b.fenceId ? 1 : 0) || rank(a.key) - rank(b.key)
        || String(a.fenceId).localeCompare(String(b.fenceId)));
}

/** Renders the templates panel into el; returns {refresh()}. */
export function renderTemplates(el) {
    const hint = h('div', { class: 'hint', id: 'templates-hint' });
    const list = h('ul', { class: 'record-list template-list', id: 'template-list', 'aria-label': t('templateList') });
    const listError = h('p', { class: 'form-error', role: 'alert', id: 'template-list-error' });
    const editorBox = h('div', { id: 'template-editor-box' });
    let fenceNames = new Map();
    let groups = [];
    let editing = null; // the id of the group in the editor

    const groupName = (g) => `${label('templateKey', g.key)}${g.fenceId ? ` · ${t('templateForFence', fenceNames.get(String(g.fenceId)) || `#${g.fenceId}`)}` : ''}`;
    const item = (g) => {
        const newest = Object.values(g.texts).sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)))[0];
        return h('li', { class: 'record template', dataset: { key: g.key, fenceId: g.fenceId || '' } },
            h('div', {}, h('b', {}, label('templateKey', g.key)), ' ', h('code', {}, g.key), ' ',
                h('span', { class: 'tag' }, g.fenceId ? t('templateForFence', fenceNames.get(String(g.fenceId)) || `#${g.fenceId}`) : t('templateDefault'))),
            h('small', { class: 'template-to' }, recipients(g.key)),
            LANGUAGES.map((language) => (g.texts[language]
                ? h('p', { class: 'template-snippet', lang: language, dataset: { language } }, g.texts[language].text) : null)),
            h('small', { class: 'template-updated' }, newest && newest.updatedBy ? t('templateUpdated', formatTime(newest.updatedAt), newest.updatedBy) : t('templateSeeded')),
            h('button', { type: 'button', class: 'edit template-edit', 'aria-label': `${t('editTemplate')} ${groupName(g)}`,
                onclick: () => edit(g.id) }, t('editTemplate')));
    };
    const refresh = async () => {
        let answer;
        try {
            answer = await get(routes.templates());
            replace(listError);
        } catch (e) {
            replace(listError, `${t('error')}: ${e.message}`);
            return;
        }
        groups = groupTemplates(answer.templates || []);
        if (groups.some((g) => g.fenceId)) {
            try {
                const fences = await get(routes.fences());
                fenceNames = new Map((fences.features || []).map((f) => [String(f.properties.id), f.properties.name]));
            } catch {
                // a fence's template is then named by its id
            }
        }
        replace(hint, t('templatesHint', label('languageName', answer.sendingLanguage)), ' ',
            h('ul', { class: 'placeholder-list' }, (answer.placeholders || []).map((p) => h('li', {}, h('code', {}, p), ` ${label('placeholder', p)}`))));
        replace(list, groups.map(item));
    };
    const edit = (id) => {
        const group = groups.find((g) => g.id === id);
        if (!group) return;
        editing = id;
        replace(editorBox, templateEditor(group, groupName(group), {
            onSaved: async () => {
                await refresh();
                const fresh = groups.find((g) => g.id === editing);
                if (fresh) Object.assign(group.texts, fresh.texts);
            },
            onClose: () => {
                editing = null;
                replace(editorBox);
            },
        }));
        editorBox.querySelector('textarea').focus();
    };
    el.append(h('section', { class: 'panel templates', id: 'templates-admin', 'aria-labelledby': 'templates-title' },
        h('h2', { id: 'templates-title' }, t('templates')), hint, listError, list, editorBox));
    refresh();
    return { refresh, edit };
}

/** The editor of one message type (and fence): a text per language, each with its live preview. */
function templateEditor(group, name, { onSaved, onClose }) {
    const message = h('div', { class: 'form-error', role: 'alert', id: 'template-message' });
    const areas = {};
    const previews = {};
    const fields = LANGUAGES.map((language) => {
        const tag = language === 'zh-CN' ? 'zh' : language;
        const area = h('textarea', { id: `template-text-${tag}`, name: 'text', rows: 4, lang: language, spellcheck: 'false',
            'aria-describedby': `template-preview-${tag}` });
        area.value = group.texts[language] ? group.texts[language].text : '';
        areas[language] = area;
        const preview = livePreview(group, language, area, tag);
        previews[language] = preview;
        area.addEventListener('input', preview.schedule);
        const langName = label('languageName', language);
        return h('fieldset', { class: 'template-language', dataset: { language } },
            h('legend', {}, langName),
            row(area, t('templateText', langName), 'text'),
            placeholderButtons(area, preview.schedule, tag),
            preview.element);
    });
    const form = h('form', { class: 'stacked-form template-form', id: 'template-form', dataset: { key: group.key, fenceId: group.fenceId || '' } },
        h('h3', { id: 'template-editing' }, t('editingTemplate', name)),
        h('p', { class: 'hint' }, recipients(group.key)),
        fields, message,
        h('div', { class: 'buttons' },
            h('button', { type: 'button', id: 'template-cancel', onclick: onClose }, t('close')),
            h('button', { type: 'submit', class: 'primary', id: 'template-save' }, t('saveTemplate'))));
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const changed = LANGUAGES.filter((language) => areas[language].value.trim() !== (group.texts[language] ? group.texts[language].text : ''));
        if (changed.length === 0) {
            showOk(form, message, t('noTemplateChange'));
            return;
        }
        // the server names a fault as templates[i].…: point each index at its text
        changed.forEach((language, i) => (areas[language].dataset.field = `templates[${i}]`));
        try {
            await put(routes.templates(), { templates: changed.map((language) => ({ key: group.key, language, fenceId: group.fenceId, text: areas[language].value })) });
            await onSaved();
            showOk(form, message, t('savedTemplate', name));
        } catch (e) {
            showError(form, message, e);
        }
    });
    LANGUAGES.forEach((language) => previews[language].now());
    return form;
}

/** Buttons that insert each placeholder at the cursor of area (then update the preview). */
function placeholderButtons(area, changed, tag) {
    return h('div', { class: 'placeholder-buttons', role: 'group', 'aria-label': t('insertPlaceholders') },
        ['{name}', '{place}', '{time}', '{minutes}'].map((p) => h('button', { type: 'button', class: 'insert-placeholder', dataset: { placeholder: p, for: tag },
            'aria-label': t('insertPlaceholder', p), title: label('placeholder', p),
            onclick: () => {
                const [start, end] = [area.selectionStart, area.selectionEnd];
                area.setRangeText(p, start, end, 'end');
                area.focus();
                changed();
            } }, p)));
}

/**
 * The preview of area's text in language, as the server renders it for a sample alert; its fault (an unknown
 * placeholder, an empty text) under the text, marked invalid. Returns {element, schedule(), now()}.
 */
function livePreview(group, language, area, tag) {
    const text = h('p', { class: 'preview-text', lang: language, id: `template-preview-${tag}-text` });
    const count = h('small', { class: 'preview-count' });
    const sample = h('small', { class: 'preview-sample' });
    const element = h('div', { class: 'template-preview', id: `template-preview-${tag}`, role: 'status', 'aria-live': 'polite',
        'aria-label': t('previewOf', label('languageName', language)), dataset: { state: 'pending' } },
    h('b', {}, t('previewTitle')), text, count, sample);
    let timer = null;
    let asked = 0;
    const errorSlot = () => document.getElementById(`${area.id}-error`);
    const now = async () => {
        clearTimeout(timer);
        const mine = ++asked;
        try {
            const answer = await post(routes.templatePreview(), { key: group.key, language, fenceId: group.fenceId, text: area.value });
            if (mine !== asked) return;
            element.dataset.state = 'ok';
            area.removeAttribute('aria-invalid');
            area.setAttribute('aria-describedby', element.id);
            if (errorSlot()) replace(errorSlot());
            replace(text, answer.text);
            replace(count, t('previewCount', answer.characters, answer.smsParts, answer.encoding));
            const s = answer.sample;
            replace(sample, t('previewSample', s.name, s.place, s.time, s.minutes));
        } catch (e) {
            if (mine !== asked) return;
            element.dataset.state = 'error';
            const said = e instanceof ApiError ? e.message : `${t('error')}: ${e.message}`;
            area.setAttribute('aria-invalid', 'true');
            if (errorSlot()) {
                replace(errorSlot(), said);
                area.setAttribute('aria-describedby', `${errorSlot().id} ${element.id}`);
            }
            replace(text, t('previewFailed'), said);
            replace(count);
            replace(sample);
        }
    };
    const schedule = () => {
        clearTimeout(timer);
        element.dataset.state = 'pending';
        timer = setTimeout(now, PREVIEW_DELAY_MS);
    };
    return { element, schedule, now };
}
