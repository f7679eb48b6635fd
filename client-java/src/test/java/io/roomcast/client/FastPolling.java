package io.roomcast.client;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;

/**
 * Awaitility without its 100 ms poll delay for the tests of a class: the scripted edge waits for the
 * client at every step, and the default polling would dominate the run.
 */
final class FastPolling implements BeforeAllCallback, AfterAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(5));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Awaitility.reset();
    }
}
