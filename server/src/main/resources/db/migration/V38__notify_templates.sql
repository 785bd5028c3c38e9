-- Message texts editable in the console (GET/PUT /api/notify/templates): each template is a key (the alert type and
-- step it tells of, see org.geoward.notify.TemplateKey) in a language, per fence or (fence_id NULL) the default. The
-- in-app note to the officers answering LOITER, written into the V5 trigger until now, becomes the template
-- LOITER_OFFICERS. zh-CN is the language messages are sent in unless geoward.notify.language says otherwise; English
-- texts are seeded alongside. Placeholders: {name} {place} {time} {minutes}.

ALTER TABLE notify_template ADD COLUMN language text NOT NULL DEFAULT 'zh-CN' CHECK (language IN ('zh-CN', 'en'));
ALTER TABLE notify_template DROP CONSTRAINT notify_template_alert_type_check;
ALTER TABLE notify_template ADD CONSTRAINT notify_template_alert_type_check
    CHECK (alert_type IN ('WANDER', 'DANGER', 'LOITER', 'OFFLINE', 'SOS', 'RETURNED', 'LOITER_OFFICERS'));
ALTER TABLE notify_template ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE notify_template ADD COLUMN updated_by text;
DROP INDEX notify_template_one;
CREATE UNIQUE INDEX notify_template_one ON notify_template (coalesce(fence_id, 0), alert_type, language);

INSERT INTO notify_template (fence_id, alert_type, language, text) VALUES
    (NULL, 'LOITER_OFFICERS', 'zh-CN', '禁渔区“{place}”：{name} 已停留 {minutes} 分钟'),
    (NULL, 'WANDER',   'en', '[Geoward] {name} left the safe zone "{place}" alone at {time}. Please call or look for them now.'),
    (NULL, 'DANGER',   'en', '[Geoward] {name} entered the danger zone "{place}" at {time}. Please call them at once.'),
    (NULL, 'SOS',      'en', '[Geoward] {name} sent an SOS at {time}. Please call them at once.'),
    (NULL, 'OFFLINE',  'en', '[Geoward] {name}''s tracker has not reported a position for more than {minutes} minutes since {time}.'),
    (NULL, 'RETURNED', 'en', '[Geoward] {name} is back in the safe zone "{place}" since {time}.'),
    (NULL, 'LOITER',   'en', 'You have stayed {minutes} minutes in {place}, a no-fishing zone of the Yangtze ten-year fishing ban. '
                             || 'Please leave the zone. Thank you.'),
    (NULL, 'LOITER_OFFICERS', 'en', 'No-fishing zone "{place}": {name} has stayed {minutes} minutes');
