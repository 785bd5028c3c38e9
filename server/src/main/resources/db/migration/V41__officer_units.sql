-- Officer units as data an admin edits (POST/PUT/DELETE /api/units), no longer only the geoward.units setting.
-- A unit is a name (POLICE, FISHERIES, ...: what subject.unit, work_order.unit and a grid's properties->>'unit'
-- hold) and a label people read (派出所). Units configured in geoward.units are listed even without a row here and
-- cannot be renamed or deleted (dispatch routes alert types to them by name). Every unit an officer already has
-- becomes a row, so nothing an officer belongs to disappears from the list.

CREATE TABLE officer_unit (
    name       text        PRIMARY KEY CHECK (name ~ '^[A-Z][A-Z0-9_-]{0,31}$'),
    label      text        CHECK (length(label) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO officer_unit (name)
SELECT DISTINCT unit FROM subject
WHERE unit IS NOT NULL AND unit ~ '^[A-Z][A-Z0-9_-]{0,31}$'
ON CONFLICT DO NOTHING;
