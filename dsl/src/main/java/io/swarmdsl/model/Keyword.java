package io.swarmdsl.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a builder method as a word of the language. The script keyword, the builder method and the
 * model field share one name. A method taking a {@code Consumer} opens a section; a
 * {@code positional} method receives the section's unnamed value ({@code nodes 7} → {@code count(7)}).
 * The language reference ({@code docs/language/}), the GDSL file and the REPL's {@code :help} are
 * written from these annotations.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Keyword {
    /** How it is written, shown in errors and the language reference: {@code "masters N"}. */
    String usage();

    boolean positional() default false;

    /** The script's word when it cannot be the Java name ({@code public:} for {@code publicAddress}). */
    String name() default "";

    /** Given as often as wanted, each time adding one ({@code label}, {@code run}); any other keyword takes one value. */
    boolean repeatable() default false;

    /** What it means, for the language reference and {@code :help}; a spec requires one on every keyword. */
    String doc() default "";

    /** Its value when the script does not give it, as a reader would say it; empty when there is none to give. */
    String byDefault() default "";

    /** On a keyword of the script's top level: a script using it that plans as written (the reference runs it). */
    String example() default "";
}
