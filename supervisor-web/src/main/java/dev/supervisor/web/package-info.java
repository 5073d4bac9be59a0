/**
 * The status page, one implementation for every place that serves it: the daemon ({@code run
 * --http}) and a Spring Boot application ({@code supervisor.web.enabled=true}). The page's files
 * ({@link dev.supervisor.web.StatusPageFiles}), the JSON object of one process that the page and its
 * API show ({@link dev.supervisor.web.ProcessView}), and the page's actions
 * ({@link dev.supervisor.web.PageAction}). No HTTP server and no JSON library here: each host
 * serves the files and writes the JSON values (maps, lists, strings, numbers, booleans, null) with
 * its own.
 */
package dev.supervisor.web;
