using System.Text.Json;
using Eventuali.Projections;

namespace Eventuali.Testing;

/// <summary>
/// Given events in streams, a real <see cref="ProjectionDaemon"/> projects them on the in-memory store; then the
/// projection's documents are checked (<see cref="ThenDocument"/>) or returned (<see cref="RunAsync"/>). A handler
/// that fails (its event dead-lettered) fails the specification with the handler's error.
/// </summary>
public sealed class ProjectionScenario : ScenarioBase<ProjectionScenario>
{
    private readonly Projection _projection;
    private readonly List<(string Key, string Json)> _expected = [];

    internal ProjectionScenario(Projection projection)
    {
        ArgumentNullException.ThrowIfNull(projection);
        _projection = projection;
    }

    /// <summary>Events in stream <paramref name="streamId"/> (add as many streams as needed; they are appended in call order).</summary>
    public ProjectionScenario Given(string streamId, params object[] events) => GivenStream(streamId, events);

    /// <summary>Expects document <paramref name="key"/> to equal <paramref name="json"/> (compared as JSON, not as text); check with <see cref="Verify"/>.</summary>
    public ProjectionScenario ThenDocument(string key, string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(json);
        using (JsonDocument.Parse(json))
        {
            // Fails here, naming the bad expectation, rather than later as a mismatch.
        }

        _expected.Add((key, json));
        return this;
    }

    /// <summary>Runs the scenario and checks every <see cref="ThenDocument"/> expectation; returns all documents.</summary>
    public async Task<IReadOnlyDictionary<string, string>> Verify()
    {
        var documents = await RunAsync().ConfigureAwait(false);
        var failures = new List<string>();
        foreach (var (key, json) in _expected)
        {
            if (!documents.TryGetValue(key, out var actual))
            {
                failures.Add($"document '{key}': expected {json}, but there is none");
                continue;
            }

            using var e = JsonDocument.Parse(json);
            using var a = JsonDocument.Parse(actual);
            if (!JsonElement.DeepEquals(e.RootElement, a.RootElement))
            {
                failures.Add($"document '{key}': expected {json}, got {actual}");
            }
        }

        if (failures.Count > 0)
        {
            var all = string.Join(Environment.NewLine, documents.Select(d => $"  {d.Key}: {d.Value}"));
            throw new SpecificationException($"Projection '{_projection.Name}': {string.Join("; ", failures)}.{Environment.NewLine}Documents:{Environment.NewLine}{(all.Length == 0 ? "  (none)" : all)}");
        }

        return documents;
    }

    /// <summary>Runs the scenario: projects the given events and returns the projection's documents by key.</summary>
    public async Task<IReadOnlyDictionary<string, string>> RunAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var ct = timeout.Token;
        var store = await NewStoreAsync(ct).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            // The daemon polls on real time: a fake clock that never moves would leave it waiting.
            var daemon = new ProjectionDaemon(store, [_projection], new ProjectionDaemonOptions { PollInterval = TimeSpan.FromMilliseconds(10) });
            await using (daemon.ConfigureAwait(false))
            {
                await daemon.StartAsync(ct).ConfigureAwait(false);
                try
                {
                    await daemon.WaitForCatchUpAsync(_projection.Name, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    throw new SpecificationException($"Projection '{_projection.Name}' did not catch up within {Patience.TotalSeconds:0} s.", daemon.LastError(_projection.Name) ?? new TimeoutException());
                }

                await daemon.StopAsync(ct).ConfigureAwait(false);
            }

            var projections = store.GetProjectionStore();
            var dead = await projections.ReadDeadLettersAsync(_projection.Name, ct).ConfigureAwait(false);
            if (dead.Count > 0)
            {
                var first = dead[0];
                throw new SpecificationException($"Projection '{_projection.Name}' failed on {dead.Count} event(s); the first, {first.EventType} at position {first.Position} of stream '{first.StreamId}': {first.Error}");
            }

            var documents = new SortedDictionary<string, string>(StringComparer.Ordinal);
            await foreach (var d in projections.ReadProjectionDocumentsAsync(_projection.Name, ct).ConfigureAwait(false))
            {
                documents[d.Key] = d.Json;
            }

            return documents;
        }
    }
}
