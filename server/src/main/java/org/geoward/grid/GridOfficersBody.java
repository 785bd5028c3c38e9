package org.geoward.grid;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;

/**
 * What the OpenAPI document shows for the body of {@code PUT /api/grids/{id}/officers}, which the controller reads as
 * text: an array of {@code {officerId, role}}. Never instantiated.
 */
@SuppressWarnings("serial")
final class GridOfficersBody extends ArrayList<GridOfficersBody.Member> {
    private GridOfficersBody() {}

    /** One officer of the grid. */
    record Member(
            @Schema(description = "the officer's subject id", example = "12") String officerId,
            @Schema(description = "the officer's role in the grid") String role) {}
}
