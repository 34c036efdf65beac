package io.swarmdsl.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The {@code hosts { host … }} block of the generic provider. */
public final class HostsBuilder extends Section {
    final List<HostBuilder> hosts = new ArrayList<>();

    @Override
    public String sectionName() {
        return "hosts";
    }

    @Keyword(usage = "host 'name', public: 'ADDRESS', private: 'ADDRESS', user: 'root', key: 'PATH', port: 22",
            doc = "One existing machine: its name, its addresses and how SSH reaches it.")
    public HostsBuilder host(Consumer<HostBuilder> host) {
        HostBuilder builder = new HostBuilder();
        host.accept(builder);
        hosts.add(builder);
        return this;
    }
}
