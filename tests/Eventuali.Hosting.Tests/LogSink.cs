using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Eventuali.Hosting.Tests;

/// <summary>A logging provider that keeps every entry (formatted message, event name, exception text) for assertions.</summary>
internal sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Everything a log backend could print: messages, structured values and exceptions.</summary>
    public string AllText => string.Join("\n", _entries.Select(e => $"{e.Level} {e.EventName} {e.Message} {string.Join(",", e.State)} {e.Exception}"));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    internal sealed record Entry(LogLevel Level, string? EventName, string Message, IReadOnlyList<string> State, string? Exception);

    private sealed class Logger(LogSink sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.Select(p => $"{p.Key}={p.Value}").ToList() : [];
            sink._entries.Enqueue(new Entry(logLevel, eventId.Name, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
