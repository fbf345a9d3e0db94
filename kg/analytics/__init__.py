"""Researcher analytics: policy instruments, tagger-vs-coder agreement, agency continuity,
citations between documents."""
