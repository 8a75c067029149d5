from dockerfile_stages.cli import main

raise SystemExit(main())
