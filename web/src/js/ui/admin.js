// The admin's view: the dispatcher's console plus the fence editor.

import { mountConsole } from './console.js';
import { renderEditor } from './editor.js';

/** Mounts the admin view; returns its teardown. */
export function mountAdmin(shell) {
    const stop = mountConsole(shell, { canAssign: true, canAck: true, canResolve: true, showOfficers: true, replay: true });
    const { map, proj } = shell.console;
    renderEditor(shell.side, map, proj, () => map.fire('moveend'));
    return stop;
}
