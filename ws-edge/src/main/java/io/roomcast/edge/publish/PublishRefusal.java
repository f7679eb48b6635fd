package io.roomcast.edge.publish;

import io.roomcast.edge.protocol.ErrorCode;
import io.roomcast.publish.PublishException;
import io.roomcast.room.UnknownNamespaceException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Why a publish was not acknowledged, as the error frame tells it: a code from the catalogue and a
 * message. {@code outcome_unknown} is the one code after which the event may still be in the log;
 * every other code means this request wrote nothing.
 *
 * @param expected false for a bug on the edge ({@code internal}): only those are logged as errors
 */
public record PublishRefusal(ErrorCode code, String message, boolean expected) {

    /** A refusal decided on the edge before anything was written. */
    public static final class Refused extends RuntimeException {
        private final ErrorCode code;

        public Refused(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    /** The refusal for a failed publish future's cause. */
    public static PublishRefusal of(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Refused r) {
            return new PublishRefusal(r.code(), r.getMessage(), true);
        }
        if (cause instanceof PublishException pe) {
            ErrorCode code = switch (pe.reason()) {
                case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
                case OUTCOME_UNKNOWN -> ErrorCode.OUTCOME_UNKNOWN;
                case TOO_LARGE -> ErrorCode.TOO_LARGE;
                case INVALID -> ErrorCode.BAD_REQUEST;
            };
            return new PublishRefusal(code, pe.getMessage(), true);
        }
        if (cause instanceof UnknownNamespaceException) {
            return new PublishRefusal(ErrorCode.BAD_REQUEST, cause.getMessage(), true);
        }
        if (cause instanceof RejectedExecutionException) {
            return new PublishRefusal(ErrorCode.UNAVAILABLE, "edge is overloaded; nothing was written; retry", true);
        }
        return new PublishRefusal(ErrorCode.INTERNAL, "publish failed", false);
    }
}
