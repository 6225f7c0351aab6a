using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Eventuali.Typed;

/// <summary>Names aggregate streams <c>{category}-{id}</c>, so a category read finds every instance of a type.</summary>
public static class AggregateStreams
{
    private static readonly ConcurrentDictionary<Type, string> Categories = new();

    /// <summary>The category: <see cref="StreamCategoryAttribute"/>, else the type name in kebab case (<c>BankAccount</c> → <c>bank-account</c>).</summary>
    public static string CategoryOf(Type aggregateType) => Categories.GetOrAdd(aggregateType, static t =>
        t.GetCustomAttribute<StreamCategoryAttribute>()?.Category ?? Kebab(t.Name));

    /// <summary>The stream id of the <typeparamref name="TAggregate"/> instance <paramref name="id"/>.</summary>
    public static string StreamId<TAggregate>(string id)
        where TAggregate : Aggregate => StreamId(typeof(TAggregate), id);

    /// <summary>The stream id of the <paramref name="aggregateType"/> instance <paramref name="id"/>.</summary>
    public static string StreamId(Type aggregateType, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return CategoryOf(aggregateType) + "-" + id;
    }

    private static string Kebab(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];

            // A capital starts a word after a lower-case letter or digit, or ends an acronym
            // ("HTTPRequest" → "http-request", not "h-t-t-p-request").
            if (char.IsUpper(c) && i > 0 && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }
}
