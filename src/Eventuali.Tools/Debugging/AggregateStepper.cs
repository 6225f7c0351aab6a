using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Eventuali.Typed;

namespace Eventuali.Tools.Debugging;

/// <summary>
/// Steps an aggregate type: each event is read as its CLR type and given to the aggregate's <c>Apply</c> method for
/// it (found as the aggregate itself finds it: an instance method named Apply taking that type), and the aggregate's
/// public properties are the state. Uses reflection, so it is for tools, not for trimmed applications.
/// </summary>
public sealed class AggregateStepper : IStateStepper
{
    private static readonly PropertyInfo VersionProperty = typeof(Aggregate).GetProperty(nameof(Aggregate.Version))!;
    private readonly Aggregate _aggregate;
    private readonly EventTypeRegistry _types;
    private readonly JsonSerializerOptions _json;
    private readonly Type _type;

    /// <summary>Creates a stepper for a new instance of <paramref name="aggregateType"/>, reading events with <paramref name="types"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="aggregateType"/> is not an <see cref="Aggregate"/> with a public parameterless constructor.</exception>
    [RequiresUnreferencedCode("Finds Apply methods and serializes the aggregate by reflection.")]
    [RequiresDynamicCode("Serializes the aggregate by reflection.")]
    public AggregateStepper(Type aggregateType, EventTypeRegistry types, JsonSerializerOptions? json = null)
    {
        ArgumentNullException.ThrowIfNull(aggregateType);
        ArgumentNullException.ThrowIfNull(types);
        if (!typeof(Aggregate).IsAssignableFrom(aggregateType) || aggregateType.IsAbstract || aggregateType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ArgumentException($"{aggregateType.FullName} is not an aggregate with a public parameterless constructor (a non-abstract class deriving from Eventuali.Typed.Aggregate).", nameof(aggregateType));
        }

        _type = aggregateType;
        _aggregate = (Aggregate)Activator.CreateInstance(aggregateType)!;
        _types = types.RegisterAggregate(aggregateType);
        _json = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        InitialState = State();
    }

    /// <inheritdoc />
    public string Name => _type.Name;

    /// <inheritdoc />
    public string InitialState { get; }

    /// <inheritdoc />
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The constructor, which carries the requirement, is the only way in.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    public ValueTask<StepOutcome> ApplyAsync(RecordedEvent recorded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var @event = _types.Deserialize(recorded);
        var apply = FindApply(_type, @event.GetType());
        string handler;
        if (apply is null)
        {
            handler = $"(no {_type.Name}.Apply({@event.GetType().Name}): state unchanged)";
        }
        else
        {
            handler = $"{apply.DeclaringType!.Name}.Apply({@event.GetType().Name})";
            try
            {
                apply.Invoke(_aggregate, [@event]);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
            {
                throw new InvalidOperationException($"{handler} threw at {recorded.StreamId} version {recorded.StreamVersion}: {inner.Message}", inner);
            }
        }

        VersionProperty.SetValue(_aggregate, recorded.StreamVersion);
        return ValueTask.FromResult(new StepOutcome(handler, State()));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only through the constructor, which carries the requirement.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    private string State()
    {
        var node = JsonSerializer.SerializeToNode(_aggregate, _type, _json) as JsonObject ?? [];
        node.Remove("uncommittedEvents"); // always empty while stepping stored events
        return node.ToJsonString();
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Reached only through the constructor, which carries the requirement.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above.")]
    private static MethodInfo? FindApply(Type aggregateType, Type eventType)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        for (var t = aggregateType; t is not null && t != typeof(Aggregate); t = t.BaseType)
        {
            foreach (var method in t.GetMethods(flags))
            {
                var parameters = method.GetParameters();
                if (method.Name == "Apply" && parameters.Length == 1 && method.ReturnType == typeof(void) && !method.IsGenericMethodDefinition && parameters[0].ParameterType == eventType)
                {
                    return method;
                }
            }
        }

        return null;
    }
}
