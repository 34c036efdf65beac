package io.swarmdsl.apply;

import io.swarmdsl.provider.Provider;
import java.util.List;
import java.util.stream.Collectors;

/** What {@code apply} and {@code machines} say of droplets to replace: before the question, or to refuse {@code --yes} alone. */
public final class Replacements {
    private Replacements() {
    }

    /** The line before the question; empty when nothing is replaced. */
    public static String warning(List<Provider.Replacement> replacements) {
        return replacements.isEmpty() ? "" : "\n" + count(replacements) + " will be replaced (deleted and made anew, "
                + "their data lost): " + list(replacements) + ".";
    }

    /** Why {@code --yes} without {@code --replace} does nothing. */
    public static String refusal(List<Provider.Replacement> replacements) {
        return "Refused: this plan replaces " + count(replacements) + " (deleted and made anew, their data lost): " + list(replacements)
                + ". --yes alone never replaces a droplet: add --replace to confirm, or leave out --yes to be asked. Nothing was changed.";
    }

    private static String count(List<Provider.Replacement> replacements) {
        return replacements.size() + (replacements.size() == 1 ? " droplet" : " droplets");
    }

    private static String list(List<Provider.Replacement> replacements) {
        return replacements.stream().map(Provider.Replacement::describe).collect(Collectors.joining(", "));
    }
}
