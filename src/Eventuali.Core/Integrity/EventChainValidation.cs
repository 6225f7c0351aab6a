using Eventuali.Integrity;

namespace Eventuali.Extensibility;

/// <summary>The checks every backend makes on chain entries and checkpoints before storing them, so errors read the same.</summary>
public static class EventChainValidation
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the entry unless positions ascend above <paramref name="afterPosition"/> and hashes are 32 bytes.</summary>
    public static void ValidateEntries(long afterPosition, IReadOnlyList<EventChainEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        var last = afterPosition;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i] ?? throw new ArgumentException($"Chain entry {i} is null.", nameof(entries));
            if (e.Position <= last)
            {
                throw new ArgumentException($"Chain entry {i} is at position {e.Position}, not above {last}: entries must ascend above the last sealed position.", nameof(entries));
            }

            if (e.ChainHash.Length != EventChainEntry.HashLength)
            {
                throw new ArgumentException($"Chain entry at position {e.Position} has a hash that is not {EventChainEntry.HashLength} bytes.", nameof(entries));
            }

            last = e.Position;
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the field unless the checkpoint is well formed.</summary>
    public static void ValidateCheckpoint(EventChainCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Position < 1)
        {
            throw new ArgumentException($"Checkpoint position {checkpoint.Position} is below 1.", nameof(checkpoint));
        }

        if (checkpoint.ChainHash.Length != EventChainEntry.HashLength)
        {
            throw new ArgumentException($"Checkpoint at position {checkpoint.Position} has a chain hash that is not {EventChainEntry.HashLength} bytes.", nameof(checkpoint));
        }

        if (string.IsNullOrWhiteSpace(checkpoint.KeyId) || checkpoint.KeyId.Length > 200)
        {
            throw new ArgumentException($"Checkpoint at position {checkpoint.Position} has no usable key id (1-200 characters).", nameof(checkpoint));
        }

        if (checkpoint.Signature.IsEmpty || checkpoint.Signature.Length > 512)
        {
            throw new ArgumentException($"Checkpoint at position {checkpoint.Position} has no usable signature (1-512 bytes).", nameof(checkpoint));
        }
    }
}
