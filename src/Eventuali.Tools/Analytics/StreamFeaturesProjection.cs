using Eventuali.Projections;

namespace Eventuali.Tools.Analytics;

/// <summary>
/// Keeps <see cref="StreamFeatures"/> per stream in the projection's read model (document key: the stream id),
/// incrementally, as the projection daemon applies events. Export them with
/// <see cref="StreamFeatures.FromJson"/> and <see cref="StreamFeatures.ToCsv"/>.
/// </summary>
public sealed class StreamFeaturesProjection : Projection
{
    /// <summary>Creates the projection handling <paramref name="eventTypes"/>, reading amounts from <paramref name="amountProperty"/>.</summary>
    public StreamFeaturesProjection(string name, IEnumerable<string> eventTypes, string amountProperty = "amount", string? streamIdPrefix = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        ArgumentException.ThrowIfNullOrEmpty(amountProperty);
        AmountProperty = amountProperty;
        StreamIdPrefix = streamIdPrefix;
        foreach (var type in eventTypes)
        {
            On(type, UpdateAsync);
        }
    }

    /// <summary>The numeric payload property summed as the amount.</summary>
    public string AmountProperty { get; }

    private async ValueTask UpdateAsync(RecordedEvent recorded, ProjectionContext context, CancellationToken ct)
    {
        var existing = await context.Documents.GetAsync(recorded.StreamId, ct).ConfigureAwait(false);
        var features = existing is null ? StreamFeatures.Start(recorded, AmountProperty) : StreamFeatures.FromJson(existing).Apply(recorded, AmountProperty);
        await context.Documents.PutAsync(recorded.StreamId, features.ToJson(), ct).ConfigureAwait(false);
    }
}
