-- Ingest keeps subjects, devices and camera tracks in memory (subject/SubjectDirectory). Whatever changes one of
-- them, a service of this node, another node, or a person with psql, tells every node on the channel
-- 'geoward_directory' at commit: 'subject:<id>' or 'device:<unique id>'. Only the columns ingest reads count, so that
-- officers' status changes (many a minute) stay silent.

CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'device' THEN
        PERFORM pg_notify('geoward_directory', 'device:' || OLD.unique_id);
    ELSE
        PERFORM pg_notify('geoward_directory', 'subject:' || OLD.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION ward_guardian_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('geoward_directory', 'subject:' || coalesce(NEW.ward_id, OLD.ward_id));
    RETURN NULL;
END $$;

CREATE TRIGGER device_directory AFTER UPDATE OR DELETE ON device
    FOR EACH ROW EXECUTE FUNCTION directory_changed();

CREATE TRIGGER subject_directory_update AFTER UPDATE ON subject
    FOR EACH ROW
    WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.name IS DISTINCT FROM NEW.name
          OR OLD.phone IS DISTINCT FROM NEW.phone OR OLD.offline_minutes IS DISTINCT FROM NEW.offline_minutes
          OR OLD.track_id IS DISTINCT FROM NEW.track_id)
    EXECUTE FUNCTION directory_changed();

CREATE TRIGGER subject_directory_delete AFTER DELETE ON subject
    FOR EACH ROW EXECUTE FUNCTION directory_changed();

CREATE TRIGGER ward_guardian_directory AFTER INSERT OR UPDATE OR DELETE ON ward_guardian
    FOR EACH ROW EXECUTE FUNCTION ward_guardian_changed();
