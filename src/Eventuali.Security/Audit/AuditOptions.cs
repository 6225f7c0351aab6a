namespace Eventuali.Security.Audit;

/// <summary>How much the access audit log records.</summary>
public enum AuditMode
{
    /// <summary>Nothing is recorded (the default).</summary>
    Off = 0,

    /// <summary>
    /// Every write, erasure, administrative operation and failure is recorded; of the successful reads, a
    /// deterministic share (<see cref="AuditOptions.SampleRate"/>: with 0.25, every fourth read).
    /// </summary>
    Sampled = 1,

    /// <summary>Every operation is recorded.</summary>
    Full = 2,
}

/// <summary>Settings of the access audit log (see docs/audit-log.md).</summary>
public sealed record AuditOptions
{
    /// <summary>What is recorded (default <see cref="AuditMode.Off"/>).</summary>
    public AuditMode Mode { get; init; } = AuditMode.Off;

    /// <summary>In <see cref="AuditMode.Sampled"/>, the share of successful reads recorded, 0 to 1 (default 0.1: every tenth).</summary>
    public double SampleRate { get; init; } = 0.1;

    /// <summary>The actor recorded when no <see cref="Eventuali.Auditing.AuditContext"/> scope is open (default "unknown").</summary>
    public string DefaultActor { get; init; } = "unknown";

    /// <summary>Entries held in memory before callers wait for the writer (default 10,000).</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>The most entries written in one transaction (default 1,000).</summary>
    public int MaxBatch { get; init; } = 1_000;

    /// <summary>How long the writer gathers entries before writing a batch that is not full (default 200 ms).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Full auditing: every operation recorded.</summary>
    public static AuditOptions Full { get; } = new() { Mode = AuditMode.Full };

    /// <summary>Sampled auditing: writes, erasures, administration and failures always; <paramref name="rate"/> of the reads.</summary>
    public static AuditOptions Sampled(double rate) => new() { Mode = AuditMode.Sampled, SampleRate = rate };

    internal void Validate()
    {
        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"Audit mode {(int)Mode} is not defined.", nameof(Mode));
        }

        if (double.IsNaN(SampleRate) || SampleRate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleRate), SampleRate, "The audit sample rate must be between 0 and 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1, nameof(Capacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatch, 1, nameof(MaxBatch));
        ArgumentOutOfRangeException.ThrowIfLessThan(FlushInterval, TimeSpan.Zero, nameof(FlushInterval));
        Eventuali.Auditing.AuditValidation.Actor(DefaultActor, nameof(DefaultActor));
    }
}
