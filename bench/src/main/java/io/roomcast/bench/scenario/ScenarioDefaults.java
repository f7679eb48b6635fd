package io.roomcast.bench.scenario;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;

/**
 * Default option values of one scenario, by option name, where scenarios share options but not
 * their defaults ({@link LiveScenario}); options it does not name keep their annotated default.
 */
abstract class ScenarioDefaults implements IDefaultValueProvider {
    private final Map<String, String> defaults;

    ScenarioDefaults(Map<String, String> defaults) {
        this.defaults = defaults;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        return arg instanceof OptionSpec o ? defaults.get(o.longestName()) : null;
    }
}
