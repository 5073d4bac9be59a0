/**
 * {@code supervisor import supervisord.conf}: supervisord's configuration read as supervisord reads
 * it ({@link dev.supervisor.cli.supervisord.IniFile}) and turned into rows
 * ({@link dev.supervisor.cli.supervisord.SupervisordImport}).
 */
package dev.supervisor.cli.supervisord;
