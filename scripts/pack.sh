#!/usr/bin/env bash
# Packs every src/ project (libraries, and the CLI as the `eventuali` .NET tool) into artifacts/, with symbol
# packages (.snupkg). The version is the one in Directory.Build.props; prints it as the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${CONFIGURATION:-Release}
out=${ARTIFACTS:-$PWD/artifacts}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

version=$(sed -nE 's#.*<Version>([^<]+)</Version>.*#\1#p' Directory.Build.props | head -n 1)
[ -n "$version" ] || { echo "no <Version> in Directory.Build.props" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/Eventuali*."$version".nupkg "$out"/Eventuali*."$version".snupkg
# One build of the src projects (a solution filter), so shared projects are built once.
filter=$(mktemp --suffix=.slnf)
trap 'rm -f "$filter"' EXIT
projects=$(for proj in src/*/*.csproj; do printf '"%s",' "$proj"; done)
printf '{"solution":{"path":"%s","projects":[%s]}}\n' "$PWD/Eventuali.sln" "${projects%,}" >"$filter"
dotnet pack "$filter" -c "$config" -o "$out" -nologo -clp:ErrorsOnly
ls -1 "$out"/*."$version".*nupkg | sed "s#^$out/#  #"
echo "$version"
