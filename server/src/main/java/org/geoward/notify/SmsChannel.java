package org.geoward.notify;

import jakarta.inject.Singleton;

/** Text messages through the configured {@link SmsGateway} ({@code geoward.sms.gateway}). */
@Singleton
final class SmsChannel implements Channel {
    private final SmsGateway gateway;

    SmsChannel(SmsGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.SMS;
    }

    @Override
    public void send(Message message) throws DeliveryException {
        gateway.send(message.messageId(), message.recipient(), message.text());
    }
}
