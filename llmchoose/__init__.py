"""llmchoose: choose how to put an LLM into production, and keep the decision honest."""

__version__ = "0.1.0"
__all__ = ["__version__"]
