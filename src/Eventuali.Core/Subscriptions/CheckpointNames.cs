using Eventuali.Subscriptions;

namespace Eventuali.Extensibility;

/// <summary>Argument checks shared by every <see cref="ICheckpointStore"/>.</summary>
public static class CheckpointNames
{
    /// <summary>The longest checkpoint name accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>Throws when a checkpoint name is empty, too long or not valid text.</summary>
    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > MaxLength)
        {
            throw new ArgumentException($"Checkpoint name '{name[..40]}...' is {name.Length} characters long; at most {MaxLength} are allowed.", nameof(name));
        }
    }

    /// <summary>Throws when the name is not valid or the position is negative.</summary>
    public static void Validate(string name, long position)
    {
        Validate(name);
        if (position < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"Checkpoint '{name}' cannot be negative.");
        }
    }
}
