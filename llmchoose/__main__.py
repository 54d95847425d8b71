from llmchoose.cli import main

main()
