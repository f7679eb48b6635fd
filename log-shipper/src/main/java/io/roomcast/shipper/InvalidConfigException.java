package io.roomcast.shipper;

import java.util.List;

/** A configuration file or command line that cannot be used; the message lists every problem found. */
public final class InvalidConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public InvalidConfigException(String where, List<String> problems) {
        super(where + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
