#!/usr/bin/env bash
# The README's quick start must be the compiled, smoke-tested examples/00-quickstart/Program.cs, verbatim.
set -euo pipefail
cd "$(dirname "$0")/.."
readme_code=$(awk '/<!-- quickstart:begin -->/{f=1;next} /<!-- quickstart:end -->/{f=0} f' README.md | sed '1d;$d')
if diff <(printf '%s\n' "$readme_code") examples/00-quickstart/Program.cs >/dev/null; then
  echo "README quick start matches examples/00-quickstart/Program.cs"
else
  echo "README quick start differs from examples/00-quickstart/Program.cs:" >&2
  diff <(printf '%s\n' "$readme_code") examples/00-quickstart/Program.cs >&2 || true
  exit 1
fi
