"""Keeping the knowledge base current: price sync and catalogue import from the
``genai-prices`` package, knowledge diffs, and facts due for review.

Core code only: every function takes data and returns data; the commands in
``llmchoose/cli/kb_maintain.py`` render and write.
"""
