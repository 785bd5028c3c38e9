-- Grids (网格化管理): fences of kind GRID are a city's grid cells. They raise no alerts (the evaluator never loads
-- them); they say who is responsible for a place. Each grid has its officers, each in one of the "5+X" roles, and
-- its unit in properties->>'unit'. Dispatch offers an alert inside a grid to that grid's own available officer
-- first (geoward.dispatch.grid-meters).

ALTER TABLE fence DROP CONSTRAINT fence_kind_check;
ALTER TABLE fence ADD CONSTRAINT fence_kind_check CHECK (kind IN ('SAFE', 'DANGER', 'BAN', 'GRID'));

CREATE TABLE grid_officer (
    fence_id   bigint NOT NULL REFERENCES fence (id) ON DELETE CASCADE,
    officer_id bigint NOT NULL REFERENCES subject (id) ON DELETE CASCADE,
    role       text   NOT NULL
               CHECK (role IN ('COMMUNITY', 'GRID', 'BUILDING', 'ROAD', 'SPECIAL_AREA', 'VOLUNTEER')),
    PRIMARY KEY (fence_id, officer_id)
);
CREATE INDEX grid_officer_officer ON grid_officer (officer_id);

-- "Which grids contain this alert" reads only live grids.
CREATE INDEX fence_grid_area_gix ON fence USING gist (area) WHERE retired_at IS NULL AND kind = 'GRID';
