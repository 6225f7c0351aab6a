using System.Text;
using Eventuali.Cli.Demo;

namespace Eventuali.Cli.Tests;

/// <summary>Output shows as it is produced: per line on a terminal, per section (and at least every 200 ms) otherwise.</summary>
public sealed class OutputFlushTests
{
    [Fact]
    public async Task On_a_terminal_every_line_reaches_the_stream_as_it_is_written()
    {
        using var stream = new MemoryStream();
        var output = new ConsoleOutput(new StreamWriter(stream, new UTF8Encoding(false), 1 << 16), flushEveryLine: true, new ManualClock());
        await output.WriteLineAsync("first row");
        Assert.Equal("first row\n", Encoding.UTF8.GetString(stream.ToArray()));
        await output.WriteAsync("partial");
        Assert.Equal("first row\n", Encoding.UTF8.GetString(stream.ToArray()));
        await output.WriteAsync(" line\n");
        Assert.Equal("first row\npartial line\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task Into_a_pipe_lines_are_buffered_but_never_held_past_the_interval()
    {
        using var stream = new MemoryStream();
        var clock = new ManualClock();
        var output = new ConsoleOutput(new StreamWriter(stream, new UTF8Encoding(false), 1 << 16), flushEveryLine: false, clock);
        await output.WriteLineAsync("row 1");
        await output.WriteLineAsync("row 2");
        Assert.Empty(stream.ToArray());

        clock.Advance(ConsoleOutput.PipeFlushInterval);
        await output.WriteLineAsync("row 3");
        Assert.Equal("row 1\nrow 2\nrow 3\n", Encoding.UTF8.GetString(stream.ToArray()));
        await output.WriteLineAsync("row 4");
        await output.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal("row 1\nrow 2\nrow 3\nrow 4\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task The_demo_flushes_each_section_as_it_ends()
    {
        using var dir = new TempDirectory();
        var output = new FlushRecorder();
        await new DemoScenario(output, "sqlite://" + dir.File("demo.db"), deletedPrevious: false).RunAsync(TestContext.Current.CancellationToken);

        // The first section was on its way before the story went on, not only when the command ended.
        var firstSection = output.Flushed.First(text => text.Contains("1. Opening two accounts", StringComparison.Ordinal));
        Assert.DoesNotContain("2. Deposits and withdrawals", firstSection, StringComparison.Ordinal);
        Assert.DoesNotContain("6. Reopened the file", firstSection, StringComparison.Ordinal);
        Assert.True(output.Flushed.Count >= 6, $"{output.Flushed.Count} flushes");
    }

    private sealed class FlushRecorder : StringWriter
    {
        public List<string> Flushed { get; } = [];

        public override void Flush() => Flushed.Add(ToString());

        public override Task FlushAsync()
        {
            Flush();
            return Task.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => FlushAsync();
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
