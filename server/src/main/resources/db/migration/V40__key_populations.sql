-- Key populations (issue 19): a WARD has a category (dementia, severe mental disorder, intellectual disability, a
-- minor, an elder living alone) that decides which alerts apply to it (docs/key-populations.md). A fence may name
-- the categories it applies to (a DANGER river bank for minors only) and the months it is active in, every year
-- (a summer schedule: June to September).

ALTER TABLE subject ADD COLUMN category text
    CHECK (category IN ('DEMENTIA', 'SEVERE_MENTAL_DISORDER', 'INTELLECTUAL_DISABILITY', 'MINOR', 'ELDER_ALONE'));

ALTER TABLE fence ADD COLUMN categories text[] NOT NULL DEFAULT '{}';
ALTER TABLE fence ADD COLUMN active_months smallint[] NOT NULL DEFAULT '{}';
ALTER TABLE fence ADD CONSTRAINT fence_active_months_check CHECK (active_months <@ '{1,2,3,4,5,6,7,8,9,10,11,12}');
