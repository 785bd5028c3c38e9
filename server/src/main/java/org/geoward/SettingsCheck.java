package org.geoward;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks every setting Geoward's own beans read ({@code @Value("${geoward....}")} and {@code @Property}), from YAML, an
 * environment variable or a system property, against the type its bean wants, when the context starts and before any
 * other eager bean. Without it a wrong value ({@code stale-minutes: abc}) surfaces only when the bean is first asked
 * for: a stack trace minutes later in a scheduled task, while the server already answers. {@link StartupCheck} checks
 * the documented environment variables' ranges before the context; this checks whatever a bean reads. A problem
 * stops the start with {@link SettingsException}, which {@link Launcher} prints as one line per setting.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE)
final class SettingsCheck {
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "on", "off");

    SettingsCheck(ApplicationContext context) {
        List<String> problems = problems(context);
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
    }

    /**
     * One line per setting whose value breaks its documented rule ({@link StartupCheck#SETTINGS}, for a value given
     * in YAML or as {@code -D} rather than as the variable) or cannot become what the bean reading it wants; each
     * setting once, with where its value came from when that is known.
     */
    static List<String> problems(ApplicationContext context) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (StartupCheck.Setting setting : StartupCheck.SETTINGS) {
            if (setting.property() == null) {
                continue;
            }
            Optional<String> value = value(context, setting.property());
            if (value.isPresent()
                    && StartupCheck.isSet(value.get())
                    && !setting.rule().test(value.get())) {
                problems.putIfAbsent(
                        setting.property(),
                        line(context, setting.property(), setting.shown(value.get()), setting.expected()));
            }
        }
        for (BeanDefinition<?> definition : context.getAllBeanDefinitions()) {
            if (!definition.getBeanType().getName().startsWith("org.geoward.")) {
                continue;
            }
            for (Argument<?> argument : arguments(definition)) {
                check(context, argument, problems);
            }
        }
        return new ArrayList<>(problems.values());
    }

    private static Optional<String> value(ApplicationContext context, String name) {
        try {
            return context.getProperty(name, String.class);
        } catch (ConfigurationException e) {
            return Optional.empty();
        }
    }

    private static String line(ApplicationContext context, String name, String shown, String expected) {
        String origin = SettingOrigin.of(context.getEnvironment(), name, System.getenv())
                .map(o -> " (" + o + ")")
                .orElse("");
        return "the setting " + name + " is " + shown + origin + ": it should be " + expected;
    }

    private static List<Argument<?>> arguments(BeanDefinition<?> definition) {
        List<Argument<?>> arguments =
                new ArrayList<>(List.of(definition.getConstructor().getArguments()));
        definition.getInjectedFields().forEach(field -> arguments.add(field.asArgument()));
        definition.getInjectedMethods().forEach(method -> arguments.addAll(List.of(method.getArguments())));
        return arguments;
    }

    private static void check(ApplicationContext context, Argument<?> argument, Map<String, String> problems) {
        AnnotationMetadata annotations = argument.getAnnotationMetadata();
        Optional<String> expression = annotations.stringValue(Value.class);
        String name;
        Optional<String> value;
        if (expression.isPresent() && expression.get().contains("${")) {
            name = settingName(expression.get());
            try {
                value = context.getEnvironment().getPlaceholderResolver().resolvePlaceholders(expression.get());
            } catch (ConfigurationException e) {
                return; // a required setting that is absent: the bean that needs it is switched off by @Requires
            }
        } else {
            Optional<String> property = annotations.stringValue(Property.class, "name");
            if (property.isEmpty() || !context.containsProperty(property.get())) {
                return;
            }
            name = property.get();
            value = context.getProperty(name, String.class);
        }
        if (value.isEmpty() || isMap(argument)) {
            return;
        }
        if (!converts(context, value.get(), argument)) {
            problems.putIfAbsent(name, line(context, name, shown(name, value.get()), expected(argument)));
        }
    }

    private static boolean converts(ApplicationContext context, String value, Argument<?> argument) {
        if (argument.getType() == boolean.class || argument.getType() == Boolean.class) {
            // Micronaut reads any word that is not "true", "yes" or "on" as false: a typo would switch a feature off
            return BOOLEAN_WORDS.contains(value.trim().toLowerCase(Locale.ROOT));
        }
        try {
            return context.getConversionService().convert(value, argument).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isMap(Argument<?> argument) {
        return Map.class.isAssignableFrom(argument.getType());
    }

    /** {@code geoward.dispatch.stale-minutes} from {@code ${geoward.dispatch.stale-minutes:10}}. */
    static String settingName(String expression) {
        int start = expression.indexOf("${") + 2;
        int end = start;
        while (end < expression.length() && expression.charAt(end) != ':' && expression.charAt(end) != '}') {
            end++;
        }
        return expression.substring(start, end);
    }

    private static String shown(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.contains("secret") || lower.contains("password") || lower.contains("token")) {
            return "(" + value.length() + " characters)";
        }
        return "'" + value + "'";
    }

    private static String expected(Argument<?> argument) {
        Class<?> type = argument.getType();
        if (type == int.class
                || type == Integer.class
                || type == long.class
                || type == Long.class
                || type == short.class
                || type == Short.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number, like 2.5";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration like 500ms, 30s, 5m or 2h";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a comma-separated list";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }

    /** The settings that are wrong, one line each; printed by {@link Launcher} without a stack trace. */
    static final class SettingsException extends RuntimeException {
        private final List<String> problems;

        SettingsException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }
}
