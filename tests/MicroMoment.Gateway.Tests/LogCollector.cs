using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MicroMoment.Gateway.Tests;

/// <summary>A logger provider that keeps every entry (level, category, message, exception) for assertions.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(LogLevel Level, string Category, string Message, Exception? Exception);

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Entries at Warning or above.</summary>
    public IReadOnlyList<Entry> Problems => [.. _entries.Where(e => e.Level >= LogLevel.Warning)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), exception));
    }
}
