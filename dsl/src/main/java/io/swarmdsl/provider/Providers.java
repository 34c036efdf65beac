package io.swarmdsl.provider;

import io.swarmdsl.model.ClusterSpec;
import io.swarmdsl.plan.Plan;
import io.swarmdsl.plan.Planner;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The providers on the class path ({@code META-INF/services}), so that this port depends on none of
 * them; and the plan of a cluster with its provider's machines.
 */
public final class Providers {
    private static final List<Provider> ALL = ServiceLoader.load(Provider.class, Provider.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private Providers() {
    }

    /** The provider {@code spec} names. */
    public static Provider of(ClusterSpec spec) {
        return ALL.stream().filter(provider -> provider.serves(spec.provider())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no provider serves '" + spec.provider().name() + "'"));
    }

    /** The plan that brings {@code spec} up. */
    public static Plan plan(ClusterSpec spec) {
        return Planner.plan(spec, of(spec).machines());
    }
}
