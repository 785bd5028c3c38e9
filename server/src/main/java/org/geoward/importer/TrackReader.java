package org.geoward.importer;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/** Reads the points of an uploaded track one at a time, without holding the file in memory. Not thread-safe. */
interface TrackReader extends Closeable {

    /** The next point (possibly a bad one naming its line), or empty at the end of the file. */
    Optional<TrackLine> next() throws IOException;

    @Override
    void close() throws IOException;
}
