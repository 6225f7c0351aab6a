#!/usr/bin/env bash
# What a user of the packages does, from the packed artifacts only: install the CLI as a tool and run it, build a
# console project that references the packed Eventuali package and appends and reads an event, and publish and run
# the CLI with Native AOT. Each check prints "packages: ok NAME" or "packages: FAILED NAME" (also appended to
# RESULTS/packages.summary for scripts/test.sh's tally); exits 1 when any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
config=${CONFIGURATION:-Release}
results=${1:-$(mktemp -d)}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
summary="$results/packages.summary"
: >"$summary"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

check() { # NAME LOG COMMAND...
  local name=$1 log=$2; shift 2
  if "$@" >"$log" 2>&1; then
    echo "packages: ok $name" | tee -a "$summary"
  else
    echo "packages: FAILED $name" | tee -a "$summary"; tail -n 30 "$log"; status=1
  fi
}

check pack "$results/pack.log" bash scripts/pack.sh
version=$(tail -n 1 "$results/pack.log")
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]; then
  echo "packages: no version from scripts/pack.sh; the remaining checks need the packages" >&2
  exit 1
fi

tool_check() {
  dotnet tool install --tool-path "$tmp/tool" --add-source "$root/artifacts" Eventuali.Cli --version "$version" &&
  "$tmp/tool/eventuali" --version | tee /dev/stderr | grep -qF "$version" &&
  mkdir -p "$tmp/tool-demo" && (cd "$tmp/tool-demo" && timeout 300 "$tmp/tool/eventuali" demo)
}
check "tool (install, --version, demo)" "$results/packages-tool.log" tool_check

consumer_check() {
  local dir="$tmp/consumer"
  mkdir -p "$dir"
  # Eventuali* only from artifacts/ (never a same-named package elsewhere); everything else from the usual feed;
  # a private packages folder, so a package packed earlier with the same version is never reused.
  cat >"$dir/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config><add key="globalPackagesFolder" value="$tmp/packages" /></config>
  <packageSources>
    <clear />
    <add key="artifacts" value="$root/artifacts" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="artifacts"><package pattern="Eventuali" /><package pattern="Eventuali.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
  cat >"$dir/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Eventuali" Version="$version" />
  </ItemGroup>
</Project>
XML
  cat >"$dir/Program.cs" <<'CS'
using Eventuali;

var path = Path.Combine(AppContext.BaseDirectory, $"consumer-{Guid.NewGuid():N}.db");
await using (IEventStore store = await EventStore.CreateAsync($"sqlite://{path}"))
{
    await store.AppendAsync("order-1", ExpectedVersion.NoStream, [EventData.Json("order-placed", """{"item":"book"}""")]);
    await foreach (var e in store.ReadStreamAsync("order-1"))
    {
        Console.WriteLine($"read {e.StreamId} v{e.StreamVersion} {e.EventType} {System.Text.Encoding.UTF8.GetString(e.Data.Span)}");
    }
}

File.Delete(path);
CS
  # Outside the repository: no Directory.Build.props or Directory.Packages.props of ours applies.
  (cd "$dir" && dotnet run -c "$config" | tee /dev/stderr | grep -q '^read order-1 v1 order-placed {"item":"book"}$')
}
check "console project on the packed Eventuali" "$results/packages-consumer.log" consumer_check

aot_check() {
  if ! command -v clang >/dev/null 2>&1 || ! [ -e /usr/include/zlib.h ]; then
    # Native AOT links with clang and zlib (Debian's packages).
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev || return 1
  fi
  rm -rf artifacts/aot
  dotnet publish src/Eventuali.Cli -c "$config" -r linux-x64 -p:PublishAot=true -o artifacts/aot -nologo -clp:ErrorsOnly &&
  artifacts/aot/eventuali --version | tee /dev/stderr | grep -qF "$version" &&
  mkdir -p "$tmp/aot-demo" && (cd "$tmp/aot-demo" && timeout 300 "$root/artifacts/aot/eventuali" demo)
}
check "Native AOT CLI (publish, --version, demo)" "$results/packages-aot.log" aot_check

exit "$status"
