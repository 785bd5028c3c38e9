package org.geoward.web

import io.micronaut.context.condition.Condition
import io.micronaut.context.condition.ConditionContext

/**
 * True while no production controller exists in the feature package that the annotated stub stands in for, so the
 * browser specs can run before that API lands and step aside (instead of clashing routes) once it has.
 */
abstract class StubApiCondition implements Condition {
    abstract String featurePackage()

    @Override
    boolean matches(ConditionContext context) {
        def loader = Thread.currentThread().contextClassLoader ?: getClass().classLoader
        def urls = loader.getResources(featurePackage().replace('.', '/')).toList()
        return !urls.any { URL u ->
            u.protocol == 'file' && new File(u.toURI()).list()?.any { it.endsWith('Controller.class') }
        }
    }

    static class NoAlertApi extends StubApiCondition {
        String featurePackage() { 'org.geoward.alert' }
    }

    static class NoFenceApi extends StubApiCondition {
        String featurePackage() { 'org.geoward.fence' }
    }

    static class NoSubjectApi extends StubApiCondition {
        String featurePackage() { 'org.geoward.subject' }
    }
}
