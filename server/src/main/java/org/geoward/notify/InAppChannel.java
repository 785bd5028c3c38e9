package org.geoward.notify;

import jakarta.inject.Singleton;

/**
 * In-app messages: the outbox row is itself the user's inbox entry ({@code GET /api/notifications/unread}), so
 * delivering it only marks it SENT. The live SSE stream of alerts lives in the alert package.
 */
@Singleton
final class InAppChannel implements Channel {

    @Override
    public ChannelKind kind() {
        return ChannelKind.IN_APP;
    }

    @Override
    public void send(Message message) {
        // nothing to carry: the row is the inbox entry
    }
}
