package org.geoward.security

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.LoggerContext
import ch.qos.logback.classic.encoder.PatternLayoutEncoder
import ch.qos.logback.classic.joran.JoranConfigurator
import ch.qos.logback.classic.spi.LoggingEvent
import ch.qos.logback.core.ConsoleAppender
import spock.lang.Specification

/**
 * The SSE stream takes its token from the query string (EventSource cannot send headers) and OsmAnd devices send
 * theirs as {@code &token=}: a log line that repeats a URL must not repeat the token. Checks the real logback
 * configurations, production's and the tests', by formatting a line through each one's console appender.
 */
class LogMaskingSpec extends Specification {

    static String format(String configFile, String message, Throwable error = null) {
        LoggerContext context = new LoggerContext()
        def configurator = new JoranConfigurator()
        configurator.context = context
        configurator.doConfigure(new File(configFile))
        def appender = context.getLogger('ROOT').getAppender('STDOUT') as ConsoleAppender
        def encoder = appender.encoder as PatternLayoutEncoder
        def event = new LoggingEvent('x', context.getLogger('org.geoward.Test'), Level.WARN, message, error, null)
        String line = new String(encoder.encode(event), 'UTF-8')
        context.stop()
        line
    }

    def "a token in a logged URL is masked in #config, the rest of the line is kept"() {
        when:
        String line = format(config,
                'GET /api/alerts/stream?since=5&access_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl failed',
                new IllegalStateException('at /?id=123&token=s3cr3t-device-token&lat=1'))

        then:
        !line.contains('eyJhbGciOiJIUzI1NiJ9')
        !line.contains('s3cr3t-device-token')
        line.contains('/api/alerts/stream?since=5&access_token=*** failed')
        line.contains('id=123&token=***&lat=1')
        line.contains('IllegalStateException')

        where:
        config << ['src/main/resources/logback.xml', 'src/test/resources/logback-test.xml']
    }
}
