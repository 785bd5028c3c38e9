package org.geoward.notify;

/**
 * Hands a text message to an SMS provider. Chosen by {@code geoward.sms.gateway}: {@code recording} (the default;
 * {@link RecordingSmsGateway}) or {@code http} ({@link HttpSmsGateway}). Thread-safe.
 */
public interface SmsGateway {

    /**
     * Sends {@code text} to {@code phone}; returns normally exactly when the provider accepted it.
     *
     * @param messageId the stable message id, so that a provider (or the recording table) can drop repeats
     */
    void send(String messageId, String phone, String text) throws DeliveryException;
}
