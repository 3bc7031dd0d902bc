from trivsel_tui.cli import main

main()
