package io.swarmdsl.model;

/** {@code memory accounting}: the kernel's memory and swap accounting, which needs a grub change and a reboot. */
public final class MemoryBuilder extends Section {
    boolean accounting;

    @Override
    public String sectionName() {
        return "memory";
    }

    @Keyword(usage = "memory accounting   (kernel cgroup_enable=memory swapaccount=1, then a reboot)")
    public MemoryBuilder accounting() {
        return accounting(true);
    }

    @Keyword(usage = "memory accounting: false")
    public MemoryBuilder accounting(boolean accounting) {
        this.accounting = accounting;
        return this;
    }
}
