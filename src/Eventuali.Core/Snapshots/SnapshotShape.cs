using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Eventuali.Typed;

namespace Eventuali.Snapshots;

/// <summary>How one aggregate type's state goes to and from JSON bytes; found once per type by reflection.</summary>
internal sealed class SnapshotShape
{
    private static readonly ConcurrentDictionary<Type, SnapshotShape?> Cache = new();
    private static readonly JsonSerializerOptions Json = JsonEventSerializer.CreateDefaultOptions();
    private static readonly MethodInfo BuildMethod = typeof(SnapshotShape).GetMethod(nameof(Build), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<Aggregate, byte[]> _capture;
    private readonly Action<Aggregate, byte[]> _restore;

    private SnapshotShape(string aggregateType, int schemaVersion, Func<Aggregate, byte[]> capture, Action<Aggregate, byte[]> restore)
    {
        AggregateType = aggregateType;
        SchemaVersion = schemaVersion;
        _capture = capture;
        _restore = restore;
    }

    /// <summary>The name stored with each snapshot: the aggregate's stream category.</summary>
    public string AggregateType { get; }

    public int SchemaVersion { get; }

    /// <summary>The shape of <paramref name="aggregateType"/>, or null when it does not implement <see cref="ISnapshottable{TState}"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Only Aggregate types have a shape, and Aggregate carries DynamicallyAccessedMembers(Interfaces) for every derived type.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "Build<TState> places no requirement on TState.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "A reference-type TState runs shared code that Native AOT always has; docs/packaging.md states the limit for value-type snapshot states.")]
    public static SnapshotShape? Of(Type aggregateType) => Cache.GetOrAdd(aggregateType, static t =>
    {
        var contract = t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ISnapshottable<>));
        if (contract is null || !typeof(Aggregate).IsAssignableFrom(t))
        {
            return null;
        }

        var schema = t.GetCustomAttribute<SnapshotSchemaAttribute>()?.Version ?? 1;
        return (SnapshotShape)BuildMethod.MakeGenericMethod(contract.GetGenericArguments()[0]).Invoke(null, [AggregateStreams.CategoryOf(t), schema])!;
    });

    public byte[] Capture(Aggregate aggregate) => _capture(aggregate);

    /// <summary>Restores <paramref name="json"/> into <paramref name="aggregate"/>; throws <see cref="JsonException"/> when it does not fit.</summary>
    public void Restore(Aggregate aggregate, byte[] json) => _restore(aggregate, json);

    private static SnapshotShape Build<TState>(string aggregateType, int schemaVersion) => new(
        aggregateType,
        schemaVersion,
        a => JsonSerializer.SerializeToUtf8Bytes(((ISnapshottable<TState>)a).CaptureSnapshot(), ReflectionJson.Info<TState>(Json)),
        (a, json) => ((ISnapshottable<TState>)a).RestoreSnapshot(
            JsonSerializer.Deserialize(json, ReflectionJson.Info<TState>(Json)) ?? throw new JsonException("The snapshot state is null.")));
}
