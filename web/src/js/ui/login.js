// The login page.

import { ApiError, login } from '../api.js';
import { LANGUAGES, language, setLanguage, t } from '../i18n.js';
import { h } from './dom.js';

/** Renders the login form into root; calls onDone after a successful login. */
export function renderLogin(root, onDone) {
    const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
    const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
    const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const form = h(
        'form',
        { class: 'login-form', 'aria-labelledby': 'login-title' },
        h('h1', { id: 'login-title' }, t('appName')),
        h('label', { for: 'username' }, t('username')),
        username,
        h('label', { for: 'password' }, t('password')),
        password,
        error,
        h('button', { type: 'submit', id: 'login-submit', class: 'primary' }, t('login')),
        languageSwitch(),
    );
    form.addEventListener('submit', async (event) => {
        event.preventDefault();
        error.textContent = '';
        try {
            await login(username.value.trim(), password.value);
            onDone();
        } catch (e) {
            error.textContent = e instanceof ApiError && (e.status === 401 || e.status === 400) ? t('loginFailed') : `${t('error')}: ${e.message}`;
        }
    });
    root.append(h('main', { class: 'login-page' }, form));
    username.focus();
}

/** A labelled select for the language. */
export function languageSwitch() {
    const select = h(
        'select',
        { id: 'language', 'aria-label': t('language'), onchange: (e) => setLanguage(e.target.value) },
        LANGUAGES.map((code) => h('option', { value: code, selected: code === language() }, code === 'en' ? 'English' : '简体中文')),
    );
    return h('label', { class: 'language-switch' }, h('span', { class: 'visually-hidden' }, t('language')), select);
}
