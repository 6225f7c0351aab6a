using System.Diagnostics;
using System.Globalization;

namespace MicroservicesIntegration;

/// <summary>
/// The lines the shipping service prints, tallied by the order service over every shipping process of the run
/// (lines a process printed before it was killed are still in the pipe and are counted).
/// </summary>
internal sealed class Progress
{
    public const string ReadyLine = "ready";
    public const string DeliveredLine = "delivered";
    public const string AppliedLine = "applied";
    public const string DuplicateLine = "duplicate";
    public const string InboxLinePrefix = "inbox ";

    private int _ready;
    private int _delivered;
    private int _applied;
    private int _duplicates;
    private long _shippingInbox;

    public int Ready => Volatile.Read(ref _ready);

    /// <summary>Deliveries of order messages, redeliveries included.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Messages the inbox recorded (as the processes reported them; the store has the exact count).</summary>
    public int Applied => Volatile.Read(ref _applied);

    /// <summary>Deliveries the inbox found already recorded: no effect.</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>The shipping inbox's size as the shipping service last counted it in its store.</summary>
    public long ShippingInbox => Interlocked.Read(ref _shippingInbox);

    /// <summary>Reads <paramref name="process"/>'s standard output to its end, counting.</summary>
    public async Task FollowAsync(Process process)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            _ = line switch
            {
                ReadyLine => Interlocked.Increment(ref _ready),
                DeliveredLine => Interlocked.Increment(ref _delivered),
                AppliedLine => Interlocked.Increment(ref _applied),
                DuplicateLine => Interlocked.Increment(ref _duplicates),
                _ when line.StartsWith(InboxLinePrefix, StringComparison.Ordinal) => Interlocked.Exchange(ref _shippingInbox, long.Parse(line[InboxLinePrefix.Length..], CultureInfo.InvariantCulture)),
                _ => 0,
            };
        }
    }
}
