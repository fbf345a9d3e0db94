#!/bin/sh
# Re-extract the messages of web/, policykg/ and i18n/ into i18n/messages.pot, merge them into the
# Chinese catalog and compile it (tests/i18n checks that all three are up to date).
set -e
cd "$(dirname "$0")/.."
pybabel extract -F i18n/babel.cfg -k _ -k N_ -k gettext -k ngettext:1,2 --no-location --sort-output \
    --omit-header -o i18n/messages.pot .
pybabel update -i i18n/messages.pot -d i18n/translations -D messages -l zh \
    --width 110 --no-fuzzy-matching
pybabel compile -d i18n/translations -D messages --statistics
