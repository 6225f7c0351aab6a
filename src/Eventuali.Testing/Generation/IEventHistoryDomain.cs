using Eventuali.Typed;

namespace Eventuali.Testing.Generation;

/// <summary>
/// A domain that test data is generated for. It drives the application's own commands on its own aggregate, so
/// every generated stream is valid by the domain's rules; a command the rules refuse throws, and generation stops
/// naming the domain and stream, having written nothing. Tools find implementations with a public parameterless
/// constructor in an application's assembly (<c>eventuali generate --assembly PATH --domain NAME</c>).
/// </summary>
public interface IEventHistoryDomain
{
    /// <summary>The domain's name, as given to <c>--domain</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Creates one aggregate and runs commands on it until it has raised about <see cref="GenerationContext.Events"/>
    /// events (its uncommitted events are what is stored). Use only <paramref name="context"/>'s randomness, so the
    /// same seed gives the same history.
    /// </summary>
    Aggregate CreateStream(GenerationContext context);
}
