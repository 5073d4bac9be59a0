// A user's application on the module path: it requires supervisor-jdbc alone (the core module comes
// with it) and no JDBC driver module; ModulePathTest compiles and runs it.
module supervisor.modular.app {
    requires dev.supervisor.jdbc;
}
