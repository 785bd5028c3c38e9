-- Rules in Java, not in migrations: who is told about an alert step and with which text is decided by
-- org.geoward.notify.NotificationRouter, and the officer of a resolved alert is freed by
-- org.geoward.dispatch.OfficerRelease, both called by org.geoward.alert.AlertEvents inside the transaction that changes
-- the alert (the same guarantee the triggers gave: the change and its consequences commit or roll back together).
-- The triggers of V4, V5 and V8 go, with their helper functions and the one-row settings table they read (the router
-- reads geoward.notify.sms-quiet-hours from configuration).

DROP TRIGGER alert_event_notifies ON alert_event;
DROP FUNCTION notify_on_alert_event;
DROP FUNCTION notify_loiterer;
DROP FUNCTION notify_role;
DROP FUNCTION notify_guardians;
DROP FUNCTION notify_text;
DROP FUNCTION notify_enqueue;
DROP TABLE notify_setting;

DROP TRIGGER alert_resolved_frees_officer ON alert;
DROP FUNCTION dispatch_free_officer;
