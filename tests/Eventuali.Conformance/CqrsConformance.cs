using Eventuali.Cqrs;
using Eventuali.Typed;

namespace Eventuali.Conformance;

/// <summary>The command handler over the backend: load, decide, save, retry a conflict, give up after N.</summary>
public abstract class CqrsConformance<TFixture>(TFixture fixture) : ConformanceBase<TFixture>(fixture), IClassFixture<TFixture>
    where TFixture : class, IStoreFixture
{
    private static readonly CommandRetryOptions Quick = new() { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20) };

    private static EventStoreOptions Options() => new() { Types = new EventTypeRegistry().RegisterAssembly(typeof(CqrsConformance<>).Assembly) };

    [Fact]
    public async Task A_command_on_a_new_aggregate_creates_it_and_one_on_an_existing_one_appends()
    {
        await using var store = await NewStoreAsync(Options());
        var handler = new CommandHandler<ConformanceAccount>(store, Quick);
        var opened = await handler.HandleAsync("1", a => a.Deposit(0m), cancellationToken: Ct);
        Assert.Equal((1L, 1), (opened.Append.StreamVersion, opened.Attempts));
        var deposited = await handler.HandleAsync("1", a => a.Deposit(25m), cancellationToken: Ct);
        Assert.Equal((2L, 2L, 25m), (deposited.Append.StreamVersion, deposited.Aggregate.Version, deposited.Aggregate.Balance));
        var nothing = await handler.HandleAsync("1", _ => { }, cancellationToken: Ct);
        Assert.Equal((2L, 0L), (nothing.Append.StreamVersion, nothing.Append.LastPosition));
        Assert.Equal(2, await store.GetStreamVersionAsync("conformance-account-1", Ct));
    }

    [Fact]
    public async Task A_decision_that_throws_writes_nothing_and_is_not_retried()
    {
        await using var store = await NewStoreAsync(Options());
        var handler = new CommandHandler<ConformanceAccount>(store, Quick);
        await handler.HandleAsync("1", a => a.Deposit(10m), cancellationToken: Ct);
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await handler.HandleAsync("1", a => { calls++; a.Withdraw(50m); }, cancellationToken: Ct));
        Assert.Equal(1, calls);
        Assert.Equal(1, await store.GetStreamVersionAsync("conformance-account-1", Ct));
    }

    [Fact]
    public async Task Two_handlers_racing_on_one_aggregate_the_loser_reloads_decides_again_and_succeeds()
    {
        await using var store = await NewStoreAsync(Options());
        var a = new CommandHandler<ConformanceAccount>(store, Quick);
        var b = new CommandHandler<ConformanceAccount>(store, Quick);
        await a.HandleAsync("1", x => x.Deposit(100m), cancellationToken: Ct);

        var seen = new List<decimal>();
        var result = await a.HandleAsync("1", async (account, ct) =>
        {
            seen.Add(account.Balance);
            if (seen.Count == 1)
            {
                // b commits between a's load and a's save.
                await b.HandleAsync("1", x => x.Withdraw(70m), cancellationToken: ct);
            }

            account.Withdraw(20m);
        }, cancellationToken: Ct);

        Assert.Equal(2, result.Attempts);
        Assert.Equal([100m, 30m], seen);
        Assert.Equal((10m, 3L), (result.Aggregate.Balance, result.Aggregate.Version));
        Assert.Equal(10m, (await store.LoadAsync<ConformanceAccount>("1", Ct))!.Balance);
    }

    [Fact]
    public async Task Concurrent_commands_on_one_aggregate_all_land_with_no_lost_update()
    {
        await using var store = await NewStoreAsync(Options());
        var retry = new CommandRetryOptions { MaxAttempts = 100, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };
        await new CommandHandler<ConformanceAccount>(store, retry).HandleAsync("1", x => x.Deposit(0m), cancellationToken: Ct);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            await new CommandHandler<ConformanceAccount>(store, retry).HandleAsync("1", x => x.Deposit(1m), cancellationToken: Ct))));
        Assert.Equal(8m, (await store.LoadAsync<ConformanceAccount>("1", Ct))!.Balance);
        Assert.Equal(9, await store.GetStreamVersionAsync("conformance-account-1", Ct));
        Assert.Equal(Enumerable.Range(2, 8).Select(v => (long)v), results.Select(r => r.Append.StreamVersion).Order());
    }

    [Fact]
    public async Task A_conflict_on_every_attempt_gives_up_after_MaxAttempts_with_the_ConcurrencyException()
    {
        await using var store = await NewStoreAsync(Options());
        var handler = new CommandHandler<ConformanceAccount>(store, Quick with { MaxAttempts = 3 });
        await handler.HandleAsync("1", x => x.Deposit(1m), cancellationToken: Ct);
        var attempts = 0;
        var ex = await Assert.ThrowsAsync<ConcurrencyException>(async () => await handler.HandleAsync("1", async (account, ct) =>
        {
            attempts++;
            await store.AppendAsync("conformance-account-1", ExpectedVersion.Any, [store.Options.Types.ToEventData(new NoteAdded("interloper"))], ct);
            account.Deposit(5m);
        }, cancellationToken: Ct));

        Assert.Equal(3, attempts);
        Assert.Equal("conformance-account-1", ex.StreamId);
        var loaded = (await store.LoadAsync<ConformanceAccount>("1", Ct))!;
        Assert.Equal((1m, 4L), (loaded.Balance, loaded.Version)); // the deposit + three notes; no 5m deposit
    }

    [Fact]
    public async Task The_dispatcher_routes_commands_by_type_and_refuses_unknown_ones()
    {
        await using var store = await NewStoreAsync(Options());
        var dispatcher = new CommandDispatcher(store, Quick)
            .Register<OpenAccount, ConformanceAccount>(c => c.Id, (a, c) => a.Deposit(c.Initial))
            .Register<Withdraw, ConformanceAccount>(c => c.Id, (a, c) => a.Withdraw(c.Amount));
        var opened = await dispatcher.SendAsync(new OpenAccount("7", 50m), cancellationToken: Ct);
        var took = await dispatcher.SendAsync(new Withdraw("7", 20m), cancellationToken: Ct);
        Assert.Equal(("7", 1L, 2L), (opened.AggregateId, opened.Append.StreamVersion, took.Append.StreamVersion));
        Assert.Equal(30m, (await store.LoadAsync<ConformanceAccount>("7", Ct))!.Balance);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await dispatcher.SendAsync("not a command", cancellationToken: Ct));
        Assert.Throws<ArgumentException>(() => dispatcher.Register<Withdraw, ConformanceAccount>(c => c.Id, (a, c) => { }));
    }

    private sealed record OpenAccount(string Id, decimal Initial);

    private sealed record Withdraw(string Id, decimal Amount);
}
