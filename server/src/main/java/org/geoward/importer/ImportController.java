package org.geoward.importer;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.geoward.problem.ProblemException;
import org.geoward.subject.SubjectDirectory;

/**
 * {@code POST /api/subjects/{id}/import}: a recorded track as the raw request body, GPX ({@code application/gpx+xml},
 * or any XML type) or CSV ({@code text/csv}: {@code lon,lat,time[,accuracy]}, header optional). The body is read as
 * a stream and recorded in batches, so big files are never held whole. Answers
 * {@code {accepted, duplicates, rejectedCount, rejected: [{line, error}]}}.
 */
@Controller("/api/subjects")
@Secured({"ADMIN", "DISPATCHER"})
@Tag(name = "sightings")
final class ImportController {
    static final String GPX = "application/gpx+xml";

    private final TrackImporter importer;
    private final SubjectDirectory directory;
    private final ImportRuns runs;

    ImportController(TrackImporter importer, SubjectDirectory directory, ImportRuns runs) {
        this.importer = importer;
        this.directory = directory;
        this.runs = runs;
    }

    @Post(
            value = "/{id}/import",
            consumes = {GPX, MediaType.APPLICATION_XML, MediaType.TEXT_XML, "text/csv", MediaType.TEXT_PLAIN})
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(
            summary = "Import a recorded track (GPX or CSV) as the subject's sightings",
            description = "Streams the body; points without a time or with bad coordinates are listed by line. "
                    + "GET /api/imports shows the progress of a running import.")
    ImportResult importTrack(
            @PathVariable String id,
            @Nullable @Header(HttpHeaders.CONTENT_TYPE) String contentType,
            @Nullable @Header(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @Body InputStream body,
            Authentication user) {
        long subjectId;
        try {
            subjectId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("subject", id);
        }
        if (directory.find(subjectId).isEmpty()) {
            throw ProblemException.notFound("subject", id);
        }
        TrackImporter.Format format = format(contentType);
        try (InputStream in = body) {
            return importer.importTrack(
                    subjectId, format, in, runs.start(subjectId, format, user.getName(), contentLength));
        } catch (IOException e) {
            throw ProblemException.badRequest(null, e.getMessage());
        }
    }

    static TrackImporter.Format format(String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("gpx") || type.contains("xml")) {
            return TrackImporter.Format.GPX;
        }
        if (type.contains("csv") || type.startsWith("text/plain")) {
            return TrackImporter.Format.CSV;
        }
        throw new ProblemException(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "send the track as application/gpx+xml (GPX) or text/csv (lon,lat,time[,accuracy])");
    }
}
