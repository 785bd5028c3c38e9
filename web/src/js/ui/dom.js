// A tiny element builder: h('button', {class: 'x', onclick}, 'text', child…).

/** Creates an element with attributes (on* become listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
        if (value == null || value === false) continue;
        if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
        else if (key === 'dataset') Object.assign(el.dataset, value);
        else if (value === true) el.setAttribute(key, '');
        else el.setAttribute(key, String(value));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const child of children.flat()) {
        if (child == null || child === false) continue;
        el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

/** Replaces el's children. */
export function replace(el, ...children) {
    el.replaceChildren();
    append(el, children);
    return el;
}

/** Shows a transient message in the status line (role=status, so screen readers announce it). */
export function announce(text) {
    const line = document.getElementById('status-line');
    if (line) line.textContent = text;
}
