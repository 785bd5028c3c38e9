package org.geoward.notify;

import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes alerts as OASIS CAP 1.2 messages and an Atom feed of them. Urgency, severity and certainty follow the alert
 * type (SOS and DANGER Immediate/Severe/Observed, WANDER Expected/Severe/Observed, LOITER Expected/Minor/Observed,
 * OFFLINE Expected/Moderate/Possible); an unresolved alert is msgType Alert, or Update once someone acted on it; a
 * resolved one is Cancel. Areas are written latitude first, as CAP wants. Thread-safe.
 */
final class CapWriter {
    static final String CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2";
    static final String ATOM_NS = "http://www.w3.org/2005/Atom";
    // CAP forbids "Z": the offset is always written as +hh:mm
    private static final DateTimeFormatter CAP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx").withZone(ZoneId.of("Asia/Shanghai"));
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private final String sender;

    CapWriter(String sender) {
        this.sender = sender;
    }

    /** The CAP 1.2 document of {@code alert}. */
    String document(CapAlert alert) {
        return write(xml -> {
            xml.writeStartDocument("UTF-8", "1.0");
            writeAlert(xml, alert);
            xml.writeEndDocument();
        });
    }

    /** An Atom feed of {@code alerts}, each entry linking to and embedding its CAP document. */
    String feed(Iterable<CapAlert> alerts, String selfUrl, Instant updated) {
        return write(xml -> {
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("feed");
            xml.writeDefaultNamespace(ATOM_NS);
            element(xml, "id", "urn:geoward:" + sender + ":alerts");
            element(xml, "title", "Geoward open alerts");
            element(xml, "updated", time(updated));
            xml.writeStartElement("author");
            element(xml, "name", sender);
            xml.writeEndElement();
            link(xml, "self", selfUrl, "application/atom+xml");
            for (CapAlert alert : alerts) {
                xml.writeStartElement("entry");
                element(xml, "id", "urn:geoward:" + sender + ":" + identifier(alert));
                element(xml, "title", headline(alert));
                element(xml, "updated", time(alert.lastEventAt()));
                link(xml, "alternate", "/api/alerts/" + alert.id() + ".cap", "application/cap+xml");
                xml.writeStartElement("content");
                xml.writeAttribute("type", "application/cap+xml");
                writeAlert(xml, alert);
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
        });
    }

    private void writeAlert(XMLStreamWriter xml, CapAlert alert) throws XMLStreamException {
        xml.writeStartElement("alert");
        xml.writeDefaultNamespace(CAP_NS);
        element(xml, "identifier", identifier(alert));
        element(xml, "sender", sender);
        element(xml, "sent", time(alert.lastEventAt()));
        element(xml, "status", "Actual");
        String msgType = msgType(alert);
        element(xml, "msgType", msgType);
        element(xml, "scope", "Restricted");
        element(xml, "restriction", "For public-safety services: contains personal data");
        if (!msgType.equals("Alert")) {
            element(
                    xml,
                    "references",
                    sender + ",geoward-alert-" + alert.id() + "-" + alert.firstEventId() + ","
                            + time(alert.firstEventAt()));
        }
        xml.writeStartElement("info");
        element(xml, "language", "zh-CN");
        element(xml, "category", category(alert.type()));
        element(xml, "event", event(alert.type()));
        String[] usc = urgencySeverityCertainty(alert.type());
        element(xml, "urgency", usc[0]);
        element(xml, "severity", usc[1]);
        element(xml, "certainty", usc[2]);
        element(xml, "onset", time(alert.openedAt()));
        element(xml, "senderName", "Geoward");
        element(xml, "headline", headline(alert));
        element(
                xml,
                "description",
                alert.subjectName() + " · " + event(alert.type()) + " · " + alert.placeName() + " · " + alert.status());
        xml.writeStartElement("area");
        element(xml, "areaDesc", alert.placeName());
        for (String polygon : alert.polygons()) {
            element(xml, "polygon", polygon);
        }
        for (String circle : alert.circles()) {
            element(xml, "circle", circle);
        }
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }

    static String identifier(CapAlert alert) {
        return "geoward-alert-" + alert.id() + "-" + alert.lastEventId();
    }

    static String msgType(CapAlert alert) {
        if (alert.status().equals("RESOLVED")) {
            return "Cancel";
        }
        return alert.status().equals("OPEN") ? "Alert" : "Update";
    }

    static String category(String type) {
        return type.equals("DANGER") || type.equals("LOITER") ? "Safety" : "Rescue";
    }

    static String[] urgencySeverityCertainty(String type) {
        return switch (type) {
            case "SOS", "DANGER" -> new String[] {"Immediate", "Severe", "Observed"};
            case "WANDER" -> new String[] {"Expected", "Severe", "Observed"};
            case "LOITER" -> new String[] {"Expected", "Minor", "Observed"};
            case "OFFLINE" -> new String[] {"Expected", "Moderate", "Possible"};
            case "GAS", "SMOKE", "FALL" -> new String[] {"Immediate", "Severe", "Observed"};
            case "WATER_LEAK", "DOOR_OPEN" -> new String[] {"Expected", "Moderate", "Observed"};
            default -> new String[] {"Unknown", "Unknown", "Unknown"};
        };
    }

    static String event(String type) {
        return switch (type) {
            case "WANDER" -> "走失 (WANDER)";
            case "DANGER" -> "进入危险区域 (DANGER)";
            case "LOITER" -> "禁渔区停留 (LOITER)";
            case "OFFLINE" -> "设备失联 (OFFLINE)";
            case "SOS" -> "紧急求助 (SOS)";
            case "GAS" -> "燃气报警 (GAS)";
            case "SMOKE" -> "烟雾报警 (SMOKE)";
            case "WATER_LEAK" -> "漏水报警 (WATER_LEAK)";
            case "FALL" -> "跌倒报警 (FALL)";
            case "DOOR_OPEN" -> "夜间门未关 (DOOR_OPEN)";
            default -> type;
        };
    }

    private static String headline(CapAlert alert) {
        return event(alert.type()) + " · " + alert.placeName();
    }

    static String time(Instant instant) {
        return CAP_TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text == null ? "" : text);
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, String rel, String href, String type) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("href", href);
        xml.writeAttribute("type", type);
    }

    private interface Body {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out);
            body.write(xml);
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Cannot write XML", e);
        }
        return out.toString();
    }
}
