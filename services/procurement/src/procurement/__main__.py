from procurement.app import main

main()
