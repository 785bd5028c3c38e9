// The fence editor's form: name, kind, dwell, hysteresis, corridor buffer, the schedule (active dates, daily hours,
// time zone) and the wards the fence applies to. Field names follow the Feature's properties, so the server's field
// errors land next to the right control.

import { get, routes } from '../api.js';
import { t } from '../i18n.js';
import { checklist } from './checklist.js';
import { h } from './dom.js';
import { input, numberOf, row, select, showRow, textOf } from './form.js';

const KINDS = ['SAFE', 'DANGER', 'BAN', 'GRID'];
const DEFAULT_ZONE = 'Asia/Shanghai';

/** {from, until} of a daily window written "HH:MM-HH:MM", or empty strings. */
export function splitDaily(daily) {
    const [from = '', until = ''] = daily ? daily.split('-') : [];
    return { from: from.slice(0, 5), until: until.slice(0, 5) };
}

/** "HH:MM-HH:MM" from two time inputs' values; null when both are empty (one alone goes to the server to refuse). */
export function joinDaily(from, until) {
    return from || until ? `${from}-${until}` : null;
}

/** The fence properties for form values laid over base (a stored fence's properties, kept where the form says nothing). */
export function propertiesOf(values, shape, radiusMeters, base = {}) {
    return {
        ...base,
        name: values.name,
        kind: values.kind,
        dwellMinutes: values.kind === 'BAN' ? values.dwellMinutes : null,
        hysteresisMeters: values.hysteresisMeters,
        subjects: values.subjects,
        radiusMeters: shape === 'circle' ? radiusMeters : null,
        bufferMeters: shape === 'line' ? values.bufferMeters : null,
        active: values.active,
    };
}

/** Builds the form's controls; returns {controls: [elements], values(), fill(properties), reset(), setShape(shape)}. */
export function fenceFields() {
    const name = input('fence-name', 'name', { required: true, autocomplete: 'off' });
    const kind = select('fence-kind', 'kind', KINDS, (k) => t(`kind.${k}`));
    const dwell = input('fence-dwell', 'dwellMinutes', { type: 'number', min: '1', step: '1' });
    const hysteresis = input('fence-hysteresis', 'hysteresisMeters', { type: 'number', min: '0', max: '1000' });
    const buffer = input('fence-buffer', 'bufferMeters', { type: 'number', min: '1', max: '100000' });
    const from = input('fence-active-from', 'activeFrom', { type: 'date' });
    const until = input('fence-active-until', 'activeUntil', { type: 'date' });
    const dailyFrom = input('fence-daily-from', 'dailyFrom', { type: 'time' });
    const dailyUntil = input('fence-daily-until', 'dailyUntil', { type: 'time' });
    const zone = input('fence-zone', 'zone', { list: 'time-zones', autocomplete: 'off', spellcheck: 'false' });
    const zones = h('datalist', { id: 'time-zones' }, (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : [DEFAULT_ZONE]).map((z) => h('option', { value: z })));
    const wards = checklist('fence-subjects', t('appliesTo'), 'properties.subjects', t('appliesToHint'));
    get(routes.subjects('WARD')).then((list) => wards.setItems(list)).catch(() => wards.setItems([]));
    const shapeState = { shape: null };
    const showFor = () => {
        showRow(dwell, kind.value === 'BAN');
        showRow(buffer, shapeState.shape === 'line');
    };
    kind.addEventListener('change', showFor);
    const controls = [
        row(name, t('name'), 'properties.name'),
        row(kind, t('kind'), 'properties.kind'),
        row(dwell, t('dwellMinutes'), 'properties.dwellMinutes'),
        row(hysteresis, t('hysteresisMeters'), 'properties.hysteresisMeters'),
        row(buffer, t('bufferMeters'), 'properties.bufferMeters'),
        h('fieldset', { class: 'schedule', id: 'fence-schedule' },
            h('legend', {}, t('schedule')),
            h('p', { class: 'hint' }, t('scheduleHint')),
            row(from, t('activeFrom'), 'properties.active.from'),
            row(until, t('activeUntil'), 'properties.active.until'),
            row(dailyFrom, t('dailyFrom'), 'properties.active.daily'),
            row(dailyUntil, t('dailyUntil'), 'properties.active.daily.until'),
            row(zone, t('timeZone'), 'properties.active.zone'),
            zones),
        wards.element,
    ];
    const fill = (p) => {
        name.value = p.name || '';
        kind.value = p.kind || 'SAFE';
        dwell.value = p.dwellMinutes ?? 30;
        hysteresis.value = p.hysteresisMeters ?? 20;
        buffer.value = p.bufferMeters ?? 30;
        const active = p.active || {};
        from.value = active.from || '';
        until.value = active.until || '';
        const daily = splitDaily(active.daily);
        dailyFrom.value = daily.from;
        dailyUntil.value = daily.until;
        zone.value = active.zone || DEFAULT_ZONE;
        wards.set(p.subjects || []);
        showFor();
    };
    return {
        controls,
        values: () => ({
            name: name.value.trim(),
            kind: kind.value,
            dwellMinutes: numberOf(dwell),
            hysteresisMeters: numberOf(hysteresis),
            bufferMeters: numberOf(buffer),
            subjects: wards.value(),
            active: { from: from.value || null, until: until.value || null, daily: joinDaily(dailyFrom.value, dailyUntil.value), zone: textOf(zone) || DEFAULT_ZONE },
        }),
        fill,
        reset: () => fill({}),
        setShape(shape) {
            shapeState.shape = shape;
            showFor();
        },
        focus: () => name.focus(),
    };
}
