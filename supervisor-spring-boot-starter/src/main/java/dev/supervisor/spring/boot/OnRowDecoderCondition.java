package dev.supervisor.spring.boot;

import dev.supervisor.Runner;
import dev.supervisor.jdbc.RowDecoder;
import java.util.Arrays;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application defines a bean of type {@code RowDecoder<String, ? extends Runner>}:
 * {@code @ConditionalOnBean} cannot say generics. Evaluated, like it, once the application's bean
 * definitions are registered.
 */
final class OnRowDecoderCondition extends SpringBootCondition implements ConfigurationCondition {

    static final ResolvableType ROW_DECODER =
            ResolvableType.forType(new ParameterizedTypeReference<RowDecoder<String, ? extends Runner>>() { });

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        String[] names = beans == null ? new String[0] : beans.getBeanNamesForType(ROW_DECODER, true, false);
        return names.length > 0
                ? ConditionOutcome.match("found RowDecoder<String, ? extends Runner> bean(s) " + Arrays.toString(names))
                : ConditionOutcome.noMatch("no bean of type RowDecoder<String, ? extends Runner>: define one to get a supervisor");
    }
}
