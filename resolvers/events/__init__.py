"""The event log: recording events, publishing after commit, the broker and the stream."""
