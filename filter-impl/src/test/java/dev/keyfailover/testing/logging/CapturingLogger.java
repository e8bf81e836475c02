package dev.keyfailover.testing.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that hands every enabled event to {@link CapturedLogs}. */
final class CapturingLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return CapturedLogs.isEnabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return CapturedLogs.isEnabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return CapturedLogs.isEnabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return CapturedLogs.isEnabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return CapturedLogs.isEnabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        if (!CapturedLogs.isEnabled(level)) {
            return;
        }
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        CapturedLogs.record(level, name, message, throwable);
    }
}
