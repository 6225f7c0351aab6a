namespace Eventuali.Security.Encryption;

/// <summary>
/// Marks a property of an event type as personal data: its JSON value is encrypted with the data key of the event's
/// data subject (see <see cref="DataSubjectAttribute"/>) and destroyed with it on erasure. Top-level properties only.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class PersonalDataAttribute : Attribute;

/// <summary>
/// Marks the property of an event type that names the event's data subject (a pseudonymous id such as a customer
/// number, never personal data itself: it stays in the clear so the subject can be found and erased).
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = true)]
public sealed class DataSubjectAttribute : Attribute;
