#!/bin/sh
# Audit the installed Python environment for known vulnerabilities with pip-audit.
#
#   scripts/audit.sh [extra pip-audit arguments, e.g. -s osv]
#
# pip-audit is installed into its own virtual environment (~/.cache/policykg-audit-venv, or
# $AUDIT_VENV) so it
# does not change the project's environment; it audits the interpreter that runs the project
# (`python` on PATH, or $PYTHON) through PIPAPI_PYTHON_LOCATION. Exit status: pip-audit's
# (0 clean, 1 vulnerabilities found or a package could not be checked: --strict, so an
# unreachable advisory source is a failure, not a silent "no known vulnerabilities"); 2 when
# pip-audit cannot be installed. The project itself (installed editable) is skipped.
set -eu
PYTHON=${PYTHON:-$(command -v python3 || command -v python)}
VENV=${AUDIT_VENV:-"${XDG_CACHE_HOME:-$HOME/.cache}/policykg-audit-venv"}
if [ ! -x "$VENV/bin/pip-audit" ]; then
    "$PYTHON" -m venv "$VENV" && "$VENV/bin/pip" install -q 'pip-audit>=2.7,<3' || exit 2
fi
PIPAPI_PYTHON_LOCATION="$PYTHON" exec "$VENV/bin/pip-audit" --progress-spinner off --desc on --strict --skip-editable "$@"
