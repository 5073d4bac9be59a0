package dev.supervisor.quarkus.runtime;

import dev.supervisor.Supervisor;
import dev.supervisor.quarkus.SupervisorHealthCheck;
import io.quarkus.arc.Arc;
import io.quarkus.arc.SyntheticCreationalContext;
import io.quarkus.runtime.annotations.Recorder;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.util.TypeLiteral;
import java.util.function.Function;

/**
 * Creates the readiness check. A recorder of its own, used only when the application has
 * {@code quarkus-smallrye-health}: without it the check's interface is not on the class path.
 */
@Recorder
public class SupervisorHealthRecorder {

    private static final TypeLiteral<Supervisor<?, ?>> SUPERVISOR = new TypeLiteral<>() { };

    /** The readiness check of whichever supervisor bean the application has. */
    public Function<SyntheticCreationalContext<SupervisorHealthCheck>, SupervisorHealthCheck> healthCheck() {
        return context -> new SupervisorHealthCheck(Arc.container().select(SUPERVISOR, Any.Literal.INSTANCE).get());
    }
}
