using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Eventuali.Cli.Schema;
using Eventuali.Testing.Generation;
using Eventuali.Typed;

namespace Eventuali.Cli.Generate;

/// <summary>
/// <c>eventuali generate --domain NAME --streams N --events M</c>: seeded, reproducible histories made by driving a
/// domain's commands, bulk-loaded through the store's import path. Built-in domain: bank; an application's own
/// domains come from --assembly (public IEventHistoryDomain classes).
/// </summary>
internal static class GenerateCommand
{
    private static readonly IEventHistoryDomain[] BuiltIn = [new BankDomain()];

    public static Command Create(CliIo io)
    {
        var domain = new Option<string>("--domain") { Description = "The domain: bank (built in), or one of --assembly's IEventHistoryDomain names.", Required = true, HelpName = "name" };
        var streams = NumberOptions.Int("--streams", null, 1, 10_000_000, 10);
        streams.Description = "How many streams (aggregates) to generate (default 10).";
        var events = NumberOptions.Int("--events", null, 1, 1_000_000, 20);
        events.Description = "About how many events per stream (default 20).";
        var seed = NumberOptions.Int("--seed", null, int.MinValue, int.MaxValue, 1);
        seed.Description = "The seed: the same seed, domain and counts always give the same history (default 1).";
        var assembly = new Option<string?>("--assembly", "-a") { Description = "The application's built .dll holding its IEventHistoryDomain classes (and IEventTypeSetup).", HelpName = "path" };
        var database = CommonOptions.Database();
        var command = new Command("generate", "Generate realistic, seeded, reproducible event histories by driving a domain's own commands, and bulk-load them into the store. A domain that throws stops it before anything is written.")
        {
            domain, streams, events, seed, assembly, database,
        };
        Examples.Add(command, "eventuali generate --domain bank --streams 1000 --events 50 -d sqlite://test.db", "eventuali generate --assembly bin/Release/net10.0/MyApp.dll --domain shop --streams 100 --events 20 --seed 7");
        command.SetAction(async (parse, ct) =>
        {
            var (chosen, types) = Resolve(parse.GetRequiredValue(domain), parse.GetValue(assembly));
            var options = new EventHistoryOptions { Streams = parse.GetValue(streams), EventsPerStream = parse.GetValue(events), Seed = parse.GetValue(seed) };
            var generator = new EventHistoryGenerator(chosen, types, options);
            var url = CommonOptions.ResolveDatabase(parse.GetValue(database), io);
            // Test data: relaxed durability (a crash of the process loses nothing; a power loss may lose the last streams) for bulk-load speed.
            var opened = await EventStore.CreateAsync(url, EventStoreOptions.Default with { Durability = Durability.Relaxed }, ct).ConfigureAwait(false);
            var store = await KeyFileOption.SecureAsync(AuditOption.Apply(opened)).ConfigureAwait(false);
            await using (store.ConfigureAwait(false))
            {
                var clock = Stopwatch.StartNew();
                EventHistorySummary summary;
                try
                {
                    summary = await generator.WriteAsync(store, null, ct).ConfigureAwait(false);
                }
                catch (EventGenerationException ex)
                {
                    throw new EventualiException(ex.Message);
                }

                var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                await io.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Generated {summary.Streams:N0} streams, {summary.Events:N0} events of domain '{chosen.Name}' (seed {options.Seed}) into {StoreLocation.Display(url)} in {seconds:0.0} s ({summary.Events / seconds:N0} events/s).")).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "UserAssembly.Load refuses to run without dynamic code, i.e. in a trimmed or Native AOT build.")]
    private static (IEventHistoryDomain Domain, EventTypeRegistry Types) Resolve(string name, string? assemblyPath)
    {
        if (assemblyPath is null)
        {
            return (BuiltIn.FirstOrDefault(d => d.Name == name) ?? throw Unknown(name, BuiltIn), new EventTypeRegistry());
        }

        var user = UserAssembly.Load(assemblyPath);
        var domains = user.Domains();
        var domain = domains.FirstOrDefault(d => d.Name == name) ?? throw Unknown(name, domains, assemblyPath);
        var hasSetup = user.Assembly.GetExportedTypes().Any(t => typeof(IEventTypeSetup).IsAssignableFrom(t) && !t.IsAbstract);
        return (domain, hasSetup ? user.Types() : new EventTypeRegistry());
    }

    private static UsageException Unknown(string name, IReadOnlyList<IEventHistoryDomain> known, string? assembly = null)
        => new($"No generator domain '{name}'{(assembly is null ? " is built in" : $" in '{assembly}'")}; known: {(known.Count == 0 ? "none (add a public IEventHistoryDomain class)" : string.Join(", ", known.Select(d => d.Name)))}.");
}
