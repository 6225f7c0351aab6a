using System.Collections.Concurrent;
using System.Reflection;

namespace Eventuali.Typed;

/// <summary>
/// Maps stored event type names to CLR types (and back), picks the serializer for each type and
/// holds the upcasters that turn older stored shapes into current types on read.
/// Types marked with <see cref="EventTypeAttribute"/> register themselves on first use.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly ConcurrentDictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _byType = new();
    private readonly ConcurrentDictionary<Type, IEventSerializer> _serializerByType = new();
    private readonly ConcurrentDictionary<Type, Func<object, object>> _upcasters = new();
    private readonly ConcurrentDictionary<Type, Type> _upcastTargets = new();
    private readonly ConcurrentDictionary<string, Type> _aliases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, bool> _aggregates = new();
    private readonly List<IEventSerializer>? _serializers;
    private readonly JsonEventSerializer _json = new();
    private static IEventSerializer[] s_defaults = [];

    /// <summary>
    /// A registry using <paramref name="serializers"/> in order, or with none given: the serializers added with
    /// <see cref="AddDefaultSerializer"/> (at the time of use), then JSON.
    /// </summary>
    public EventTypeRegistry(params IEventSerializer[] serializers)
    {
        // Protobuf messages go to protobuf (once Eventuali.Protobuf is registered); everything else falls through to JSON.
        _serializers = serializers.Length > 0 ? [.. serializers] : null;
    }

    /// <summary>
    /// Adds a serializer, process-wide, that registries created without serializers try before JSON (the package
    /// <c>Eventuali</c> adds Protocol Buffers this way). Adding the same instance type again does nothing.
    /// </summary>
    public static void AddDefaultSerializer(IEventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        IEventSerializer[] current, next;
        do
        {
            current = Volatile.Read(ref s_defaults);
            if (current.Any(s => s.GetType() == serializer.GetType()))
            {
                return;
            }

            next = [.. current, serializer];
        }
        while (Interlocked.CompareExchange(ref s_defaults, next, current) != current);
    }

    private IEnumerable<IEventSerializer> Serializers => _serializers ?? Volatile.Read(ref s_defaults).Append(_json);

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="name"/>, or its <see cref="EventTypeAttribute"/> name, or its full name.</summary>
    public EventTypeRegistry Register<T>(string? name = null) => Register(typeof(T), name);

    /// <summary>Registers <paramref name="type"/> under <paramref name="name"/> (default: its <see cref="EventTypeAttribute"/> name, else its full name).</summary>
    public EventTypeRegistry Register(Type type, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        name ??= NameFromAttribute(type) ?? type.FullName ?? type.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"Event type name for {type.FullName} must not be empty or white space.", nameof(name));
        }

        var existing = _byName.GetOrAdd(name, type);
        if (existing != type)
        {
            throw new ArgumentException($"Event type name '{name}' is already registered for {existing.FullName}; cannot register it for {type.FullName}.", nameof(name));
        }

        _byType[type] = name;
        return this;
    }

    /// <summary>Registers every type in <paramref name="assembly"/> marked with <see cref="EventTypeAttribute"/>.</summary>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("Scans every type of the assembly; in a trimmed application types that nothing references are gone. Register each event type instead.")]
    public EventTypeRegistry RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes())
        {
            if (type.GetCustomAttribute<EventTypeAttribute>() is not null)
            {
                Register(type);
            }
        }

        return this;
    }

    /// <summary>
    /// Registers the <see cref="EventTypeAttribute"/>-marked event types that <paramref name="aggregateType"/>
    /// has Apply methods for. Loading an aggregate does this on first use, so a fresh process can
    /// load before it has written anything; types only reached through upcasters register with the upcaster.
    /// </summary>
    public EventTypeRegistry RegisterAggregate(Type aggregateType)
    {
        ArgumentNullException.ThrowIfNull(aggregateType);
        if (_aggregates.TryAdd(aggregateType, true))
        {
            foreach (var eventType in AggregateApplier.EventTypesOf(aggregateType))
            {
                if (!_byType.ContainsKey(eventType) && NameFromAttribute(eventType) is not null)
                {
                    Register(eventType);
                }
            }
        }

        return this;
    }

    /// <summary>
    /// Reads stored <typeparamref name="TOld"/> events as <typeparamref name="TNew"/>. Chains compose:
    /// with V1→V2 and V2→V3 registered, a stored V1 is read as V3. Stored data is never rewritten.
    /// </summary>
    public EventTypeRegistry AddUpcaster<TOld, TNew>(Func<TOld, TNew> upcast)
        where TOld : notnull
        where TNew : notnull
    {
        ArgumentNullException.ThrowIfNull(upcast);
        EnsureRegistered(typeof(TOld));
        EnsureRegistered(typeof(TNew));
        if (!_upcasters.TryAdd(typeof(TOld), old => upcast((TOld)old)))
        {
            throw new ArgumentException($"An upcaster from {typeof(TOld).FullName} is already registered.", nameof(upcast));
        }

        _upcastTargets[typeof(TOld)] = typeof(TNew);
        return this;
    }

    /// <summary>
    /// Reads events stored under <paramref name="storedName"/> (an earlier name of the type) as <typeparamref name="T"/>,
    /// which keeps its own name for new events. For renaming an event type without rewriting stored data.
    /// </summary>
    public EventTypeRegistry AddAlias<T>(string storedName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storedName);
        EnsureRegistered(typeof(T));
        var existing = _byName.GetOrAdd(storedName, typeof(T));
        if (existing != typeof(T))
        {
            throw new ArgumentException($"Event type name '{storedName}' is already registered for {existing.FullName}; cannot make it an alias of {typeof(T).FullName}.", nameof(storedName));
        }

        _aliases[storedName] = typeof(T);
        return this;
    }

    /// <summary>Every registered type under the name new events of it are stored with (aliases not included), ordered by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Type>> RegisteredTypes
        => [.. _byType.Select(p => KeyValuePair.Create(p.Value, p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>The aliases added with <see cref="AddAlias{T}"/>: earlier stored name to the type read for it, ordered by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Type>> Aliases
        => [.. _aliases.OrderBy(p => p.Key, StringComparer.Ordinal)];

    /// <summary>The type an upcaster registered for <paramref name="type"/> turns it into, or null when none is.</summary>
    public Type? UpcastTargetOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _upcastTargets.TryGetValue(type, out var target) ? target : null;
    }

    /// <summary>The stored name of <paramref name="type"/>; registers attributed types on first use.</summary>
    public string GetName(Type type)
    {
        if (_byType.TryGetValue(type, out var name))
        {
            return name;
        }

        EnsureRegistered(type);
        return _byType[type];
    }

    /// <summary>The CLR type registered under a stored name; false when there is none.</summary>
    public bool TryGetType(string name, out Type type) => _byName.TryGetValue(name, out type!);

    /// <summary>The first serializer that can serialize <paramref name="type"/>.</summary>
    public IEventSerializer SerializerFor(Type type) => _serializerByType.GetOrAdd(type, t =>
        Serializers.FirstOrDefault(s => s.CanSerialize(t)) ?? throw new ArgumentException($"No serializer can write {t.FullName}.", nameof(type)));

    internal IEventSerializer? SerializerForContentType(string contentType)
        => Serializers.FirstOrDefault(s => string.Equals(s.ContentType, contentType, StringComparison.Ordinal));

    /// <summary>Applies upcasters until the event is of a type nobody upcasts from.</summary>
    internal object Upcast(object value)
    {
        for (var hops = 0; _upcasters.TryGetValue(value.GetType(), out var next); hops++)
        {
            if (hops > 64)
            {
                throw new InvalidOperationException($"Upcaster chain from {value.GetType().FullName} does not end (a cycle?).");
            }

            value = next(value);
        }

        return value;
    }

    private void EnsureRegistered(Type type)
    {
        if (!_byType.ContainsKey(type))
        {
            if (NameFromAttribute(type) is null)
            {
                throw new ArgumentException($"{type.FullName} has no [EventType] name and is not registered; add [EventType(\"name\")] or call Register<{type.Name}>(\"name\").", nameof(type));
            }

            Register(type);
        }
    }

    private static string? NameFromAttribute(Type type) => type.GetCustomAttribute<EventTypeAttribute>()?.Name;
}
