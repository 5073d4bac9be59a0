package dev.supervisor.sample.quarkus;

import io.quarkus.test.junit.QuarkusTest;

/** The sample on an in-memory H2 database ({@code %test} profile of application.properties). */
@QuarkusTest
class SampleApplicationTest extends SampleScenarios {
}
