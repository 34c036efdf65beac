package io.swarmdsl.plan

import groovy.transform.CompileStatic
import io.swarmdsl.exec.RunValues

/** A plan class that reaches into execution: the arrow LayersSpec must refuse. Test-only, never on the main path. */
@CompileStatic
class WrongArrow {
    static String resolve(RunValues values, Text text) {
        values.resolve(text)
    }
}
