"""Deadlines: the working-day calendar, time-limit policies, the watcher, recomputation."""
