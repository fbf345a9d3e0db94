from policykg.cli import run

run()
