package io.swarmdsl.cli;

import picocli.CommandLine.Option;

/** {@code --replace}, of the commands that create droplets: the explicit yes to replacing changed ones. */
final class ReplaceOption {
    @Option(names = "--replace", description = "with --yes: replace the droplets whose size or image changed "
            + "(deleted and made anew: their data is lost); without it, --yes refuses such a plan")
    boolean replace;
}
