-- Every group the evaluation writes updates the position and last fix of every open alert of each subject in it
-- (AlertWriter.followAll), about once per subject per group commit: under the JSON load of docs/benchmarks.md (branch
-- perf6) 0.5-0.9 rows updated per fix stored. None of the updated columns (pos, last_fix_at, updated_at,
-- evidence_url) is indexed, so with free room in the page PostgreSQL can update the row in place (a HOT update: no
-- new entry in the table's seven indexes, less to vacuum); with full pages (fillfactor 100) none was HOT. In a
-- throwaway copy of the table with 6,000 open alerts, 100 rounds of the follow update for 1,000 subjects took 27-30 s
-- at fillfactor 50 against 58-72 s at 100 (two runs each). Pages written from now on keep half their room free; the
-- pages already full stay so until a VACUUM FULL or until their alerts are resolved and vacuumed.
ALTER TABLE alert SET (fillfactor = 50);
