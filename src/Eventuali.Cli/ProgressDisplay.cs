using Spectre.Console;

namespace Eventuali.Cli;

/// <summary>A progress bar on stderr for long work, only when stderr is a terminal; nothing at all in pipes and tests.</summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, which reports how far it got (out of <paramref name="total"/>, or open-ended when null).</summary>
    public static async Task<T> RunAsync<T>(CliIo io, string description, long? total, Func<Action<long>, Task<T>> work)
    {
        if (!io.ErrorIsTerminal)
        {
            return await work(static _ => { }).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(total ?? 1, 1));
                task.IsIndeterminate = total is null;
                var result = await work(done => task.Value = Math.Min(done, task.MaxValue)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }
}
