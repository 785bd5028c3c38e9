-- Removing a device keeps its past sightings: they lose the device reference, not their rows.
ALTER TABLE sighting DROP CONSTRAINT sighting_device_id_fkey;
ALTER TABLE sighting ADD CONSTRAINT sighting_device_id_fkey
    FOREIGN KEY (device_id) REFERENCES device (id) ON DELETE SET NULL;
