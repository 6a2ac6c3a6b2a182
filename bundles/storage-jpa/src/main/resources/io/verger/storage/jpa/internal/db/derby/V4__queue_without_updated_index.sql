-- Completing a command (every acknowledgement) changed two indexed columns of its queue row, state and
-- updated_at, and Derby moved both index entries: index upkeep was ~40 % of the report's UPDATE. The
-- updated_at index served only the purge, whose condition (finished before the cutoff OR expired before
-- it) Derby's optimizer cannot answer from two indexes anyway: it scans the table either way.
-- PostgreSQL keeps the index (its planner combines both in a bitmap OR).
DROP INDEX command_queue_updated;
