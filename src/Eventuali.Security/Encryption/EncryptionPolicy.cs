using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using Eventuali.Typed;

namespace Eventuali.Security.Encryption;

/// <summary>
/// Which event types carry personal data: per stored event type name, the JSON property naming the subject and the
/// top-level properties to encrypt. Fill it from attributes (<see cref="Add{TEvent}"/>) or fluently
/// (<see cref="ForEventType"/>) for types that cannot be annotated. Raw events can instead carry
/// <see cref="EncryptionHeaders"/>. Thread-safe; rules added later apply to later appends.
/// </summary>
public sealed class EncryptionPolicy
{
    private readonly ConcurrentDictionary<string, EncryptionRule> _rules = new(StringComparer.Ordinal);

    /// <summary>How property names appear in JSON (default: camelCase, as the default JSON serializer writes them).</summary>
    public JsonNamingPolicy? NamingPolicy { get; init; } = JsonNamingPolicy.CamelCase;

    /// <summary>Adds the rule of <typeparamref name="TEvent"/> from its <see cref="PersonalDataAttribute"/> and <see cref="DataSubjectAttribute"/> properties.</summary>
    public EncryptionPolicy Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TEvent>(string? eventTypeName = null) => Add(typeof(TEvent), eventTypeName);

    /// <summary>Adds the rule of <paramref name="eventType"/>, stored under <paramref name="eventTypeName"/> (default: its <see cref="EventTypeAttribute"/> or class name).</summary>
    public EncryptionPolicy Add([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type eventType, string? eventTypeName = null)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var name = eventTypeName ?? eventType.GetCustomAttribute<EventTypeAttribute>()?.Name ?? eventType.Name;
        var properties = eventType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var subjects = properties.Where(p => p.IsDefined(typeof(DataSubjectAttribute))).ToList();
        var personal = properties.Where(p => p.IsDefined(typeof(PersonalDataAttribute))).Select(p => JsonName(p.Name)).ToList();
        if (subjects.Count != 1)
        {
            throw new ArgumentException($"Event type {eventType.Name} must mark exactly one property [DataSubject] (found {subjects.Count}).", nameof(eventType));
        }

        return Set(name, JsonName(subjects[0].Name), personal);
    }

    /// <summary>Starts a rule for the stored event type <paramref name="eventTypeName"/>.</summary>
    public EncryptionRuleBuilder ForEventType(string eventTypeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventTypeName);
        return new EncryptionRuleBuilder(this, eventTypeName);
    }

    /// <summary>The rule of a stored event type, if any.</summary>
    public EncryptionRule? Find(string eventTypeName) => _rules.GetValueOrDefault(eventTypeName);

    internal EncryptionPolicy Set(string eventTypeName, string subjectField, IReadOnlyList<string> personalFields)
    {
        if (personalFields.Count == 0)
        {
            throw new ArgumentException($"Event type '{eventTypeName}' names no personal field to encrypt.", nameof(personalFields));
        }

        if (personalFields.Contains(subjectField, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Event type '{eventTypeName}': the subject field '{subjectField}' stays in the clear and cannot be personal too.", nameof(personalFields));
        }

        _rules[eventTypeName] = new EncryptionRule(eventTypeName, subjectField, [.. personalFields.Distinct(StringComparer.Ordinal)]);
        return this;
    }

    private string JsonName(string name) => NamingPolicy?.ConvertName(name) ?? name;
}

/// <summary>What to encrypt in events of one stored type: the subject's property and the personal properties.</summary>
public sealed record EncryptionRule(string EventType, string SubjectField, IReadOnlyList<string> PersonalFields);

/// <summary>The fluent form of a rule: <c>policy.ForEventType("CustomerRegistered").SubjectFrom("customerId").Encrypt("email", "name")</c>.</summary>
public sealed class EncryptionRuleBuilder
{
    private readonly EncryptionPolicy _policy;
    private readonly string _eventType;
    private string? _subjectField;

    internal EncryptionRuleBuilder(EncryptionPolicy policy, string eventType) => (_policy, _eventType) = (policy, eventType);

    /// <summary>The JSON property (as stored) naming the event's data subject.</summary>
    public EncryptionRuleBuilder SubjectFrom(string jsonProperty)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jsonProperty);
        _subjectField = jsonProperty;
        return this;
    }

    /// <summary>The top-level JSON properties (as stored) to encrypt; completes the rule.</summary>
    public EncryptionPolicy Encrypt(params string[] jsonProperties)
    {
        ArgumentNullException.ThrowIfNull(jsonProperties);
        return _policy.Set(_eventType, _subjectField ?? throw new InvalidOperationException($"Say which property names the subject of '{_eventType}' (SubjectFrom) before Encrypt."), jsonProperties);
    }
}
