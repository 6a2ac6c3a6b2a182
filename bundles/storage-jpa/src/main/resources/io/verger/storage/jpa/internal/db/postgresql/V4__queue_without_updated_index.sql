-- Embedded Derby drops command_queue_updated in this version: there, index upkeep of state and updated_at
-- was ~40 % of the UPDATE that completes a command, and the purge's condition (finished before the cutoff
-- OR expired before it) is answered by a table scan anyway. PostgreSQL keeps the index: its planner
-- combines it with command_queue_expires in a bitmap OR for the purge. Kept in step with Derby's versions.
COMMENT ON INDEX command_queue_updated IS 'CommandPurgeJob: finished commands by completion time';
