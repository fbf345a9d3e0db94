from policykg.cli import main
import sys
sys.exit(main())
