using Eventuali.Sagas;
using Microsoft.Extensions.Logging;

namespace Eventuali.Hosting;

/// <summary>Runs one <see cref="SagaRunner{TState}"/> for the lifetime of the host.</summary>
internal sealed class SagaRunnerHostedService<TState>(SagaRunner<TState> runner, EventualiServiceStates states, ILogger logger)
    : EventualiHostedService($"saga runner '{runner.SagaName}'", states, logger)
    where TState : class, new()
{
    protected override Task RunAsync(CancellationToken stopping) => runner.RunAsync(stopping);
}
