"""Pydantic schemas for every YAML file llmchoose reads (all with ``extra="forbid"``)."""
