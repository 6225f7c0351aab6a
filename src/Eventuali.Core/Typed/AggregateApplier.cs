using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;

namespace Eventuali.Typed;

/// <summary>Finds each aggregate type's <c>Apply(TEvent)</c> methods once and compiles a delegate per event type.</summary>
internal static class AggregateApplier
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<Type, Action<Aggregate, object>>> Cache = new();

    public static void Apply(Aggregate aggregate, object @event)
    {
        var appliers = Cache.GetOrAdd(aggregate.GetType(), Build);
        if (appliers.TryGetValue(@event.GetType(), out var apply))
        {
            apply(aggregate, @event);
        }
    }

    /// <summary>The event types <paramref name="aggregateType"/> has Apply methods for.</summary>
    public static IEnumerable<Type> EventTypesOf(Type aggregateType) => Cache.GetOrAdd(aggregateType, Build).Keys;

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Aggregate carries DynamicallyAccessedMembers(PublicMethods | NonPublicMethods), which the trimmer applies to every derived type, and so to each base type walked here.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above: every base type walked here derives from Aggregate.")]
    private static Dictionary<Type, Action<Aggregate, object>> Build(Type aggregateType)
    {
        var result = new Dictionary<Type, Action<Aggregate, object>>();
        for (var t = aggregateType; t is not null && t != typeof(Aggregate); t = t.BaseType)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var method in t.GetMethods(flags))
            {
                var parameters = method.GetParameters();
                if (method.Name != "Apply" || parameters.Length != 1 || method.ReturnType != typeof(void) || method.IsGenericMethodDefinition)
                {
                    continue;
                }

                var eventType = parameters[0].ParameterType;
                if (!result.ContainsKey(eventType))
                {
                    result[eventType] = Compile(t, method, eventType);
                }
            }
        }

        return result;
    }

    private static Action<Aggregate, object> Compile(Type declaringType, MethodInfo method, Type eventType)
    {
        var aggregate = Expression.Parameter(typeof(Aggregate), "aggregate");
        var @event = Expression.Parameter(typeof(object), "e");
        var call = Expression.Call(Expression.Convert(aggregate, declaringType), method, Expression.Convert(@event, eventType));
        return Expression.Lambda<Action<Aggregate, object>>(call, aggregate, @event).Compile();
    }
}
