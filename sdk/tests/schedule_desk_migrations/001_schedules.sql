CREATE TABLE schedules (stream_id text PRIMARY KEY, offsets int[] NOT NULL, version int NOT NULL);
