// The dispatcher's view: everything on one map, the queue, one-click assignment, track replay.

import { mountConsole } from './console.js';

/** Mounts the dispatcher view; returns its teardown. */
export function mountDispatcher(shell) {
    return mountConsole(shell, { canAssign: true, canAck: true, canResolve: true, showOfficers: true, replay: true });
}
