"""The check policy of a decision file: thresholds, and the severity of each finding."""

from __future__ import annotations

from llmchoose.schemas.decision import Policy
from llmchoose.schemas.vocabulary import CODES

__all__ = ["DEFAULT_POLICY", "severity_of"]

DEFAULT_POLICY = Policy()


def severity_of(code: str, policy: Policy | None) -> str:
    """The severity a finding gets under the policy: its override, else the default.

    ``off`` means the check is turned off and the finding is dropped.
    """
    if policy is not None and code in policy.severity:
        return policy.severity[code]
    return CODES[code].severity
