"""The `llmchoose init` questionnaire.

:mod:`~llmchoose.questionnaire.flow` is the state machine (which question comes next,
what is skipped, validation, going back), free of any UI. :mod:`.session` runs a flow
against an asker. :mod:`.answers_file` turns a decision or an answers file into a
flow's answers or defaults; :mod:`.draft` keeps an interrupted run; :mod:`.output`
writes the decision file and sums up its ranking. The terminal side — the prompts, the
plain numbered asker, the closing summary and one run of the command from start to
end — lives in :mod:`llmchoose.cli` (``init_*`` modules).
"""
