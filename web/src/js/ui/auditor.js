// The auditor's view: the audit trail only. An auditor sees who looked at whom, not where anyone is, so no map.

import { renderAudit } from './audit.js';

/** Mounts the auditor view; returns its teardown. */
export function mountAuditor(shell) {
    shell.mapElement.hidden = true;
    renderAudit(shell.side);
    return () => {};
}
