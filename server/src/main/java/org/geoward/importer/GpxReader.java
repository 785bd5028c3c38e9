package org.geoward.importer;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams the track points ({@code trkpt}) and route points ({@code rtept}) of a GPX 1.0 or 1.1 file with StAX;
 * waypoints ({@code wpt}) are places, not a track, and are skipped. A point's {@code time} is required; GPX has no
 * accuracy, so none is set. DTDs and external entities are refused.
 */
final class GpxReader implements TrackReader {
    private static final XMLInputFactory FACTORY = factory();

    private final XMLStreamReader xml;

    GpxReader(InputStream in) throws IOException {
        try {
            xml = FACTORY.createXMLStreamReader(in);
        } catch (XMLStreamException e) {
            throw new IOException("not a GPX file: " + e.getMessage(), e);
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    @Override
    public Optional<TrackLine> next() throws IOException {
        try {
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (name.equals("trkpt") || name.equals("rtept")) {
                        return Optional.of(point(name));
                    }
                }
            }
            return Optional.empty();
        } catch (XMLStreamException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
            throw new IOException("the GPX file is not well-formed XML at line " + line + ": " + e.getMessage(), e);
        }
    }

    /** Reads one point; the reader is on its start element and is left after its end element. */
    private TrackLine point(String element) throws XMLStreamException {
        long line = xml.getLocation().getLineNumber();
        String lat = xml.getAttributeValue(null, "lat");
        String lon = xml.getAttributeValue(null, "lon");
        String time = null;
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (depth == 1 && xml.getLocalName().equals("time")) {
                    time = xml.getElementText().trim();
                } else {
                    depth++;
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        if (lat == null || lon == null) {
            return TrackLine.bad(line, element + " needs lat and lon attributes");
        }
        double latValue;
        double lonValue;
        try {
            latValue = Double.parseDouble(lat.trim());
            lonValue = Double.parseDouble(lon.trim());
        } catch (NumberFormatException e) {
            return TrackLine.bad(line, element + " has lat '" + lat + "' and lon '" + lon + "': not numbers");
        }
        if (time == null || time.isEmpty()) {
            return TrackLine.bad(line, element + " has no time; a sighting needs one");
        }
        try {
            return TrackLine.ok(
                    line, lonValue, latValue, OffsetDateTime.parse(time).toInstant(), null);
        } catch (DateTimeParseException e) {
            return TrackLine.bad(line, element + " time '" + time + "' is not ISO-8601");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException(e);
        }
    }
}
