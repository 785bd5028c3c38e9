-- Devices that tried to report without being registered: counted and listed for an admin to claim.
CREATE TABLE unknown_device (
    unique_id  text        NOT NULL,
    protocol   text        NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen  timestamptz NOT NULL,
    attempts   integer     NOT NULL,
    remote     text,
    PRIMARY KEY (unique_id, protocol)
);
