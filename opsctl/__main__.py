from opsctl.app import main

main()
