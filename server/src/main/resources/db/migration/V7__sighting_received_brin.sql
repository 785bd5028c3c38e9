-- The evaluation catch-up looks for recently stored sightings that were never evaluated (a crash between the
-- store's commit and the evaluation's, or an evaluation that failed). received_at grows with insertion order, so a
-- BRIN index finds the recent rows for the cost of a few pages, and costs the ingest next to nothing.
CREATE INDEX sighting_received_brin ON sighting USING brin (received_at);
