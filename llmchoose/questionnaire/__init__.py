"""The `llmchoose init` questionnaire.

:mod:`~llmchoose.questionnaire.flow` is the state machine (which question comes next,
what is skipped, validation, going back), free of any UI. :mod:`.session` runs a flow
against an asker; :mod:`.prompts` is the terminal adapter (questionary, or numbered
prompts), imported only when a person is asked. :mod:`.seed` and
:mod:`.answers_file` turn a decision or an answers file into a flow's answers or
defaults; :mod:`.draft` keeps an interrupted run; :mod:`.output` writes the decision
file and sums up its ranking; :mod:`.run` is one run of the command from start to end.
"""
