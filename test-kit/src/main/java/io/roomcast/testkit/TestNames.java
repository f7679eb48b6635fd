package io.roomcast.testkit;

import java.util.UUID;

/** Unique names so that tests sharing one broker never see each other's data. */
public final class TestNames {
    private TestNames() {
    }

    /** A unique suffix of lowercase letters and digits. */
    public static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** {@code prefix} followed by a dash and a unique suffix. */
    public static String unique(String prefix) {
        return prefix + "-" + unique();
    }
}
