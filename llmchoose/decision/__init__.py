"""Decisions: write a decision file (decide) and check one against the knowledge base
(check, with one module per output format)."""
