/**
 * GT06 (Concox) binary protocol over TCP: framing ({@link org.geoward.device.gt06.Gt06FrameDecoder}), message
 * decoding, acknowledgements and the listener ({@link org.geoward.device.gt06.Gt06Server}) that hands positions
 * and alarms to a {@link org.geoward.device.PositionSink}. Field meanings and test payloads follow Traccar's
 * Gt06ProtocolDecoder.
 */
package org.geoward.device.gt06;
