using System.Text;
using System.Text.Json.Nodes;

namespace Eventuali.Tools.Debugging;

/// <summary>
/// Steps raw events without any application type: the state is the payloads merged in order (each JSON object's
/// properties replace those of the same name; a non-object or non-JSON payload is kept under <c>$.lastPayload</c>).
/// </summary>
public sealed class PayloadStepper : IStateStepper
{
    private readonly JsonObject _state = [];

    /// <inheritdoc />
    public string Name => "payloads";

    /// <inheritdoc />
    public string InitialState => "{}";

    /// <inheritdoc />
    public ValueTask<StepOutcome> ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        JsonNode? payload = null;
        if (recorded.ContentType.StartsWith(ContentTypes.Json, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                payload = JsonNode.Parse(recorded.Data.Span);
            }
            catch (System.Text.Json.JsonException)
            {
                // Shown as text below.
            }
        }

        if (payload is JsonObject properties)
        {
            foreach (var (name, value) in properties.ToList())
            {
                properties.Remove(name);
                _state[name] = value;
            }
        }
        else
        {
            _state["lastPayload"] = payload ?? JsonValue.Create(recorded.ContentType.StartsWith(ContentTypes.Json, StringComparison.OrdinalIgnoreCase)
                ? Encoding.UTF8.GetString(recorded.Data.Span)
                : Convert.ToBase64String(recorded.Data.Span));
        }

        return ValueTask.FromResult(new StepOutcome("payload merge (" + recorded.EventType + ")", _state.ToJsonString()));
    }
}
