namespace Eventuali;

/// <summary>
/// A lease holder's work was refused because another node holds the lease now (its epoch moved on), or because the
/// holder could not renew it in time. A refused commit changed nothing: the new holder applies that work instead.
/// </summary>
public sealed class LeaseLostException : EventualiException
{
    /// <summary>Creates the exception for the lease <paramref name="name"/> held at <paramref name="epoch"/>.</summary>
    /// <param name="name">The lease's name.</param>
    /// <param name="epoch">The epoch this holder had.</param>
    /// <param name="commitRefused">True when a commit was refused by the epoch check (the fence); false when renewal failed.</param>
    /// <param name="detail">What was found instead (the current epoch and holder, or the renewal error).</param>
    /// <param name="innerException">The error behind it, if any.</param>
    public LeaseLostException(string name, long epoch, bool commitRefused, string detail, Exception? innerException = null)
        : base($"The lease '{name}' held at epoch {epoch} was lost{(commitRefused ? "; its commit was refused and changed nothing" : string.Empty)}: {detail}", innerException)
    {
        Name = name;
        Epoch = epoch;
        CommitRefused = commitRefused;
    }

    /// <summary>The lease's name.</summary>
    public string Name { get; }

    /// <summary>The epoch this holder had.</summary>
    public long Epoch { get; }

    /// <summary>True when a commit was refused by the epoch check; false when the holder noticed the loss while renewing.</summary>
    public bool CommitRefused { get; }
}
