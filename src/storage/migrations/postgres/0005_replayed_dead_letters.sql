-- paypipe 0005: the dead letters `paypipe replay` put back in their raw topic, so that a later replay skips
-- them and `paypipe status` tells them from those still waiting (a log is append-only: records cannot be
-- marked there). Keyed by where the log keeps the dead letter, not by its record id: a record the pipeline
-- still refuses after a replay is dead-lettered again under the same record id, at a new offset, and that
-- new dead letter is still to replay. `record_id` is checked on every read, so the marks of an earlier log
-- whose offsets started again from 0 hide nothing (a new mark there replaces it); it is no part of the key,
-- whose index could not hold an id of any length. `replayed_at`: the first replay. Kept in step with
-- ../sqlite/.
CREATE TABLE replayed_dead_letters (
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  log_offset BIGINT NOT NULL,
  record_id TEXT NOT NULL,
  replayed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (topic, partition, log_offset)
);
