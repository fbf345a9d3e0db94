"""Coverage-guided fuzzing (atheris/libFuzzer) of the reading, cleaning and structure stages."""
