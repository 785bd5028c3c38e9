package org.geoward.notify;

/** The medium a notification travels by. */
public enum ChannelKind {
    /** The user's unread list in the web console. */
    IN_APP,
    /** A text message to a phone, through the configured {@link SmsGateway}. */
    SMS,
    /** A signed JSON POST to a subscriber's URL. */
    WEBHOOK
}
