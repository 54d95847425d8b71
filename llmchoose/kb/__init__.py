"""The knowledge base itself: check it (kbcheck), show it (kbview) and keep it current
from outside sources (kbsync)."""
