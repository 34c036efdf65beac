package io.swarmdsl.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@code before 'engine', on: 'masters', { run '…'; upload '…', to: '…' }}: the hooks docker-machine lacked. */
public final class HookBuilder extends Section {
    private final HookSpec.When when;
    Phase phase;
    List<String> targets = List.of("all");
    private final List<Object> actions = new ArrayList<>();

    HookBuilder(HookSpec.When when) {
        this.when = when;
    }

    @Override
    public String sectionName() {
        return when.name().toLowerCase();
    }

    @Keyword(usage = "before 'engine', { … } | after 'consul', { … }   (a phase: provision, prepare, pki, consul, dns, engine, swarm, compose, verify)",
            doc = "The phase the hook runs before or after: provision, prepare, pki, consul, dns, engine, swarm, compose or verify (not before provision: no node exists yet).",
            positional = true)
    public HookBuilder phase(String phase) {
        this.phase = Phase.byKeyword(phase);
        return this;
    }

    @Keyword(usage = "before 'engine', on: 'masters' | 'agents' | 'all' | 'node1' | ['node1', 'node2'], { … }",
            doc = "The nodes the hook runs on: a role or node names.",
            byDefault = "all")
    public HookBuilder on(List<String> targets) {
        this.targets = List.copyOf(targets);
        return this;
    }

    @Keyword(usage = "run 'apt-get install -y htop'",
            doc = "A shell command, run as root on the node (through sudo -n when the SSH user is not root); one that fails fails the hook's step.", repeatable = true)
    public HookBuilder run(String command) {
        actions.add(new HookSpec.Run(nonBlank("run", command)));
        return this;
    }

    @Keyword(usage = "upload 'local/path', to: '/remote/path', mode: '0644' | upload content: 'text', to: '/remote/path'",
            doc = "Puts a file on the node: a local file (read when applying) or the text given.")
    public HookBuilder upload(Consumer<UploadBuilder> upload) {
        UploadBuilder builder = new UploadBuilder();
        upload.accept(builder);
        actions.add(builder);
        return this;
    }

    HookSpec build() {
        if (phase == null) {
            throw error(sectionName(), sectionName() + " needs a phase: " + sectionName() + " 'engine', { run '…' }");
        }
        if (phase == Phase.PROVISION && when == HookSpec.When.BEFORE) {
            throw error(sectionName(), "before 'provision' cannot run on nodes that do not exist yet: use after 'provision'");
        }
        if (actions.isEmpty()) {
            throw error(sectionName(), sectionName() + " '" + phase.keyword() + "' has nothing to do: add run '…' or upload '…'");
        }
        List<HookSpec.Action> built = new ArrayList<>();
        for (Object action : actions) {
            built.add(action instanceof UploadBuilder upload ? upload.build() : (HookSpec.Action) action);
        }
        return new HookSpec(when, phase, targets, List.copyOf(built), positionOf(sectionName()));
    }
}
