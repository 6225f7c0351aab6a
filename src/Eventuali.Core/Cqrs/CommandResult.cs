using Eventuali.Typed;

namespace Eventuali.Cqrs;

/// <summary>The outcome of a command: the aggregate as saved, the append's result and how many attempts it took.</summary>
/// <param name="Aggregate">The aggregate after the save (its <see cref="Aggregate.Version"/> is the stream's).</param>
/// <param name="Append">The append; <c>LastPosition</c> is 0 when the command raised no events and nothing was written.</param>
/// <param name="Attempts">1 when the first try saved; more after conflicts.</param>
public sealed record CommandResult<TAggregate>(TAggregate Aggregate, AppendResult Append, int Attempts)
    where TAggregate : Aggregate;
