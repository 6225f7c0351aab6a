#!/usr/bin/env bash
# Regenerates the PublicAPI.Unshipped.txt files of the src/ projects from the build's own diagnostics:
# every RS0016 (public symbol not declared) is appended, every RS0017 (declared symbol gone) is removed from
# Unshipped or, when it was shipped, recorded as *REMOVED*. Run it after a deliberate public API change, review
# the diff, and commit it. With --ship, the Unshipped entries move into PublicAPI.Shipped.txt (at a release).
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ship=0
[ "${1:-}" = "--ship" ] && ship=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Every src project gets both files (a new project starts with empty ones).
projects=()
for proj in src/*/*.csproj; do
  dir=$(dirname "$proj")
  for f in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$f" ] || printf '#nullable enable\n' >"$dir/$f"
  done
  projects+=("\"$proj\"")
done

if [ "$ship" -eq 0 ]; then
  # One build of the src projects only, every project recompiled so that every diagnostic is reported.
  filter="$work/src.slnf"
  printf '{"solution":{"path":"%s","projects":[%s]}}\n' "$PWD/Eventuali.sln" "$(IFS=,; echo "${projects[*]}")" >"$filter"
  dotnet build "$filter" -c "$config" --no-incremental -nologo -p:TreatWarningsAsErrors=false \
    -clp:NoSummary >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; echo "build failed" >&2; exit 1; }
fi

python3 - "$work/build.log" "$ship" <<'EOF'
import os, re, sys, glob

log_path, ship = sys.argv[1], sys.argv[2] == "1"
header = "#nullable enable"

def read(path):
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n") for l in f if l.strip() and l.strip() != header]

def write(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n")
        for l in sorted(set(lines), key=lambda s: (s.removeprefix("*REMOVED*"), s)):
            f.write(l + "\n")

if ship:
    for shipped_path in glob.glob("src/*/PublicAPI.Shipped.txt"):
        unshipped_path = shipped_path.replace("Shipped", "Unshipped")
        shipped, unshipped = read(shipped_path), read(unshipped_path)
        removed = {l[len("*REMOVED*"):] for l in unshipped if l.startswith("*REMOVED*")}
        kept = [l for l in shipped if l not in removed] + [l for l in unshipped if not l.startswith("*REMOVED*")]
        write(shipped_path, kept)
        write(unshipped_path, [])
    sys.exit(0)

pattern = re.compile(r": warning (RS0016|RS0017): Symbol '(.*)' is (?:not part of the declared public API|part of the declared public API, but is either not public or could not be found).*\[(.+\.csproj)\]$")
added, gone = {}, {}
with open(log_path, encoding="utf-8") as f:
    for line in f:
        m = pattern.search(line.rstrip("\n"))
        if not m:
            continue
        rule, symbol, project = m.groups()
        target = added if rule == "RS0016" else gone
        target.setdefault(os.path.dirname(project), set()).add(symbol)

changed = 0
for project in sorted(set(added) | set(gone)):
    shipped = set(read(os.path.join(project, "PublicAPI.Shipped.txt")))
    unshipped_path = os.path.join(project, "PublicAPI.Unshipped.txt")
    unshipped = read(unshipped_path)
    for symbol in gone.get(project, ()):
        if symbol in unshipped:
            unshipped.remove(symbol)
        elif symbol in shipped:
            unshipped.append("*REMOVED*" + symbol)
    unshipped += sorted(added.get(project, ()))
    write(unshipped_path, unshipped)
    n = len(added.get(project, ())) + len(gone.get(project, ()))
    changed += n
    print(f"{os.path.relpath(project)}: {len(added.get(project, ()))} added, {len(gone.get(project, ()))} removed")
print(f"{changed} public API change(s) recorded in PublicAPI.Unshipped.txt" if changed else "public API files are up to date")
EOF
