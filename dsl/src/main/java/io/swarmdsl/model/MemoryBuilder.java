package io.swarmdsl.model;

/** {@code memory accounting}: the kernel's memory and swap accounting, which needs a grub change and a reboot. */
public final class MemoryBuilder extends Section {
    boolean accounting;

    @Override
    public String sectionName() {
        return "memory";
    }

    @Keyword(usage = "memory accounting   (kernel cgroup_enable=memory swapaccount=1, then a reboot)",
            doc = "Where a node's kernel does not account memory and swap (read at apply), adds cgroup_enable=memory swapaccount=1 to GRUB, reboots and waits for it; elsewhere the steps are left out.",
            byDefault = "false")
    public MemoryBuilder accounting() {
        return accounting(true);
    }

    @Keyword(usage = "memory accounting: false",
            byDefault = "false")
    public MemoryBuilder accounting(boolean accounting) {
        this.accounting = accounting;
        return this;
    }
}
