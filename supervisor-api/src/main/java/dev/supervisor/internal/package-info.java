/**
 * The supervisor's engine: per-key slots, process attempts, the reconcile loop, timers and
 * listener dispatch. Public only so the other modules of this project can reach it; these
 * classes have no compatibility guarantees and may change in any release.
 */
package dev.supervisor.internal;
