package org.geoward.grid;

/**
 * What an officer is responsible for in a grid: the "5+X" of the reference city's grid management, five kinds of
 * officer (community, grid, building, road, special area) with volunteers as the X.
 */
public enum OfficerRole {
    /** 社区干部: the community's own cadre. */
    COMMUNITY,
    /** 网格员: the grid's full-time officer. */
    GRID,
    /** 楼栋长: the head of a building. */
    BUILDING,
    /** 路长: the officer of a road. */
    ROAD,
    /** 专属网格员: the officer of a special area (a school, a market, a river bank). */
    SPECIAL_AREA,
    /** 志愿者: a volunteer, the X. */
    VOLUNTEER
}
