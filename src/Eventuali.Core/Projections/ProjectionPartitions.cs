using System.Globalization;
using System.Text;

namespace Eventuali.Projections;

/// <summary>
/// Partitions of a projection (<see cref="Projection.Partitions"/>): a stream belongs to partition
/// FNV-1a-32(UTF-8 stream id) mod count, the same on every node, platform and version, so a stream's events are all
/// applied by one partition, in order. Partition <c>p</c> of projection <c>name</c> has its own lease and position under
/// the name <c>name#p</c>; its documents go to the projection's one read model.
/// </summary>
public static class ProjectionPartitions
{
    /// <summary>The most partitions a projection may have.</summary>
    public const int Max = 1024;

    /// <summary>The partition of <paramref name="streamId"/> among <paramref name="count"/>.</summary>
    public static int Of(string streamId, int count)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(streamId) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(streamId, buffer)] : Encoding.UTF8.GetBytes(streamId);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)count);
    }

    /// <summary>The lease and position name of partition <paramref name="partition"/> of <paramref name="projection"/>: <c>projection#partition</c>.</summary>
    public static string Name(string projection, int partition)
    {
        ProjectionNames.Validate(projection);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        return $"{projection}#{partition.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The projection a lease name belongs to: the part before '#', or the name itself.</summary>
    public static string ProjectionOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = name.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? name : name[..hash];
    }

    /// <summary>The partition number of a lease name, or null when it names a whole projection.</summary>
    public static int? PartitionOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = name.IndexOf('#', StringComparison.Ordinal);
        return hash >= 0 && int.TryParse(name.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="name"/> is a projection name, optionally with <c>#partition</c>.</summary>
    public static void ValidateLeaseName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ProjectionNames.Validate(ProjectionOf(name));
        if (name.Contains('#', StringComparison.Ordinal) && PartitionOf(name) is not (>= 0 and < Max))
        {
            throw new ArgumentException($"Projection partition name '{name}' is not valid: use projection#n with n from 0 to {Max - 1}.", nameof(name));
        }
    }
}
