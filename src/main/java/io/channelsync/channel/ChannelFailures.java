package io.channelsync.channel;

import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Decides whether a failed channel call can succeed if tried again. Transient: HTTP 5xx and 429
 * ({@link ChannelCallException#isTransient()}), connection errors and timeouts (any other
 * {@link IOException}), a database that is momentarily unreachable. Everything else (other 4xx, an
 * invalid mapping, a bug) is permanent: retrying would fail the same way.
 */
public final class ChannelFailures {

    private ChannelFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChannelCallException call) {
                return call.isTransient();
            }
            if (t instanceof IOException || t instanceof TransientDataAccessException
                    || t instanceof RecoverableDataAccessException || t instanceof DataAccessResourceFailureException) {
                return true;
            }
        }
        return false;
    }

    /** The HTTP status a channel answered, if the failure is a channel answer. */
    public static Integer httpStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChannelCallException call && call.status() >= 100 && call.status() <= 599) {
                return call.status();
            }
        }
        return null;
    }

    /** The channel's Retry-After (delta-seconds or an HTTP date), if the failure carries one. */
    public static Optional<Duration> retryAfter(Throwable failure, Clock clock) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ChannelCallException call && call.retryAfter() != null) {
                return parseRetryAfter(call.retryAfter(), clock);
            }
        }
        return Optional.empty();
    }

    static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException unparseable) {
                return Optional.empty();
            }
        }
    }

    /** A short description of a failure for sync_attempts.error and last_error. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
