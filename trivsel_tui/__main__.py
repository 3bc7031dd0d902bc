from trivsel_tui.quick import main

main()
