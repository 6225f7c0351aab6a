using System.Text.Json.Serialization;

namespace Eventuali.Cli;

/// <summary>Source-generated JSON for the values the CLI writes with System.Text.Json (no reflection, Native AOT-safe).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class CliJson : JsonSerializerContext;
