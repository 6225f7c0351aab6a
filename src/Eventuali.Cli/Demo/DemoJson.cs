using System.Text.Json;
using System.Text.Json.Serialization;

namespace Eventuali.Cli.Demo;

/// <summary>
/// Source-generated JSON for the demo's events (camelCase, as the default serializer writes them), so the demo
/// needs no reflection and runs the same in the Native AOT build of the CLI.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AccountOpened))]
[JsonSerializable(typeof(MoneyDeposited))]
[JsonSerializable(typeof(MoneyWithdrawn))]
[JsonSerializable(typeof(TransferSent))]
[JsonSerializable(typeof(TransferReceived))]
internal sealed partial class DemoJson : JsonSerializerContext;
