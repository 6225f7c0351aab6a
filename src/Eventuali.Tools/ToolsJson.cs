using System.Text.Json.Serialization;
using Eventuali.Tools.Analytics;

namespace Eventuali.Tools;

/// <summary>Source-generated JSON for the tools' own types (trim- and Native AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StreamFeatures))]
internal sealed partial class ToolsJson : JsonSerializerContext;
