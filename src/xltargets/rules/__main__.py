"""``python -m xltargets.rules`` prints docs/rules.md (UTF-8, whatever the locale)."""

import sys

from . import rule_docs

sys.stdout.buffer.write(rule_docs().encode("utf-8"))
sys.stdout.flush()
