"""The limits a probe run starts from, apart from the code that uses them, so the command
line can show them without loading the probe."""

DEFAULT_REQUESTS = 20  # measured requests per concurrency level
DEFAULT_WARMUP = 2  # requests sent first and not measured (loading, caches, connections)
DEFAULT_TIME_LIMIT_S = 300.0  # for the whole run
DEFAULT_TIMEOUT_S = 60.0  # for one request
MAX_CONCURRENCY = 256
