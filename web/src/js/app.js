// The app: settings, login, then the view that follows the user's role; re-rendered on a language change.

import { get, logout, onUnauthorized, routes, token } from './api.js';
import { language, onLanguageChange, setTimeZone } from './i18n.js';
import { loadSettings } from './settings.js';
import { renderLogin } from './ui/login.js';
import { renderShell } from './ui/shell.js';
import { mountDispatcher } from './ui/dispatcher.js';
import { mountFisheries } from './ui/fisheries.js';
import { mountFamily } from './ui/family.js';
import { mountAdmin } from './ui/admin.js';
import { mountAuditor } from './ui/auditor.js';

const VIEWS = { ADMIN: mountAdmin, DISPATCHER: mountDispatcher, OFFICER: mountFisheries, FAMILY: mountFamily, AUDITOR: mountAuditor };
const PRECEDENCE = ['ADMIN', 'DISPATCHER', 'OFFICER', 'FAMILY', 'AUDITOR'];

/** The view for a user's roles: the most capable one they hold. */
export function viewFor(roles) {
    const role = PRECEDENCE.find((r) => roles.includes(r));
    return role ? { role, mount: VIEWS[role] } : null;
}

/** Starts the console in root. */
export async function start(root) {
    const config = await loadSettings();
    setTimeZone(config.timeZone);
    document.documentElement.lang = language();
    let teardown = () => {};
    let me = null;

    const show = async () => {
        teardown();
        teardown = () => {};
        root.replaceChildren();
        if (!token()) {
            me = null;
            renderLogin(root, show);
            return;
        }
        try {
            me = me || (await get(routes.me()));
        } catch {
            logout();
            renderLogin(root, show);
            return;
        }
        const view = viewFor(me.roles || []);
        const shell = renderShell(root, me, view ? view.role : null, () => {
            logout();
            me = null;
            show();
        });
        if (view) teardown = view.mount(shell, me) || (() => {});
    };

    onUnauthorized(() => {
        logout();
        me = null;
        show();
    });
    onLanguageChange(() => {
        document.title = 'Geoward';
        show();
    });
    await show();
}
