package org.geoward.notify;

/** Sends one kind of message. Implementations are thread-safe singletons, one per {@link ChannelKind}. */
interface Channel {

    /** The kind of message this channel sends. */
    ChannelKind kind();

    /**
     * Sends {@code message}; returns normally exactly when it was delivered.
     *
     * @throws DeliveryException when it was not; the worker retries later
     */
    void send(Message message) throws DeliveryException;
}
