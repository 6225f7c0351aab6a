namespace Eventuali.Typed;

/// <summary>
/// The stable name an event type is stored under. Renaming or moving the class never breaks stored
/// data as long as this name stays.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class EventTypeAttribute(string name) : Attribute
{
    /// <summary>The stored event type name.</summary>
    public string Name { get; } = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("Event type name must not be empty.", nameof(name)) : name;

    /// <summary>
    /// The shape's version, for people and for <c>eventuali schema</c> (default 1). It is not stored with events: a new
    /// shape that old events cannot be read as gets a new name and an upcaster from the old type.
    /// </summary>
    public int Version { get; set; } = 1;
}

/// <summary>The stream category of an aggregate type: its streams are named <c>{category}-{id}</c>.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StreamCategoryAttribute(string category) : Attribute
{
    /// <summary>The stream category of the aggregate type.</summary>
    public string Category { get; } = string.IsNullOrWhiteSpace(category) ? throw new ArgumentException("Category must not be empty.", nameof(category)) : category;
}
