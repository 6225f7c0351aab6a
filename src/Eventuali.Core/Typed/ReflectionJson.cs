using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Eventuali.Typed;

/// <summary>
/// The type information used for application types (events, saga state, snapshot state) when the caller supplies
/// no source-generated resolver: reflection where the application allows it, nothing where it does not.
/// </summary>
internal static class ReflectionJson
{
    // JsonSerializer.IsReflectionEnabledByDefault is a feature switch that trimmed and Native AOT applications set to
    // false; the trimmer then removes the reflection branch, and an application type without source-generated
    // metadata fails with a NotSupportedException naming the type instead of being serialized from trimmed members.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only when reflection-based serialization is enabled, i.e. not in trimmed or Native AOT applications.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only when reflection-based serialization is enabled, i.e. not in trimmed or Native AOT applications.")]
    public static IJsonTypeInfoResolver Resolver()
        => JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : JsonTypeInfoResolver.Combine();

    /// <summary>The type information of <typeparamref name="T"/> from <paramref name="options"/>' resolver.</summary>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
